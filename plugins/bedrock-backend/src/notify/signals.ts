import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import { tenantChannel } from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * Tells open pages that a tenant's data changed. The message carries no figures, only the
 * entity ref: pages refetch through the permission-checked API, so a signal cannot leak data.
 */
export async function publishTenantChanged(
  signals: SignalsService,
  entityRefs: string[],
  logger: LoggerService,
): Promise<void> {
  for (const entityRef of new Set(entityRefs)) {
    try {
      await signals.publish({
        recipients: { type: 'broadcast' },
        channel: tenantChannel(entityRef),
        message: { type: 'bedrock-tenant-changed', entityRef },
      });
    } catch (e) {
      logger.warn('Could not publish the Bedrock tenant signal', {
        entityRef,
        error: String(e),
      });
    }
  }
}
