import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationLedger } from '../notify/NotificationLedger';
import { tenantTabLink, tenantTopic } from '../notify/TenantNotifier';
import type { Tenant } from '../tenant';

/**
 * Tells the owners that enforcement suspended (or resumed) the tenant, through the ledger's
 * `suspension` subject that the notifier also uses: the notifier then sees the state as told and
 * does not tell it again, and of two replicas only the one whose insert wins sends.
 */
export async function tellOwners(
  o: {
    ledger: NotificationLedger;
    notifications?: NotificationService;
    logger: LoggerService;
  },
  tenant: Tenant,
  state: 'suspended' | 'active',
  text: { title: string; description: string },
) {
  const { notifications, ledger } = o;
  const prev = (await ledger.last(tenant.tenantId)).get('suspension');
  if (prev?.state === state) return;
  const claim = {
    tenantId: tenant.tenantId,
    entityRef: tenant.entityRef,
    subject: 'suspension',
    seq: (prev?.seq ?? 0) + 1,
    state,
    notified: Boolean(notifications),
  };
  if (!(await ledger.claim(claim)) || !notifications) return;
  try {
    await notifications.send({
      recipients: { type: 'entity', entityRef: tenant.entityRef },
      payload: {
        ...text,
        link: tenantTabLink(tenant.entityRef),
        severity: state === 'suspended' ? 'high' : 'normal',
        topic: tenantTopic(tenant.entityRef),
      },
    });
  } catch (e) {
    await ledger.release(claim);
    o.logger.warn('Bedrock enforcement notification failed', {
      entityRef: tenant.entityRef,
      error: String(e),
    });
  }
}
