import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import type { Tenant } from '../collector/tenants';
import { NotifySettings } from './config';
import { Observation, observe } from './events';
import { Claim, NotificationLedger } from './NotificationLedger';

/** The topic of a tenant's notifications: one per tenant, so a user can mute one tenant. */
export const tenantTopic = (entityRef: string) => `Bedrock: ${entityRef}`;

/** Link to the entity's Bedrock tab (the default catalog entity route). */
export function tenantTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/bedrock`;
}

export interface TenantNotifierOptions {
  settings: NotifySettings;
  ledger: NotificationLedger;
  notifications: NotificationService;
  /** the tenant's summary as the tab shows it, read from the store (no AWS call) */
  summarize: (tenant: Tenant) => Promise<EntitySummary>;
  logger: LoggerService;
  now: () => number;
}

interface Pending {
  observation: Observation;
  claim: Claim;
}

/**
 * Turns what a collection shows into owner notifications, exactly once per event: each event
 * is first claimed in the ledger (a unique key, so of two replicas racing only one wins), and
 * only the winner sends. When sending fails the claim is given back and the next collection
 * tries again, so an unreachable notifications backend delays a notification but loses none;
 * a crash between claim and send loses that one notification rather than sending it twice.
 */
export class TenantNotifier {
  readonly #o: TenantNotifierOptions;

  constructor(o: TenantNotifierOptions) {
    this.#o = o;
  }

  /** Checks every tenant; one tenant failing does not stop the others. Returns how many were sent. */
  async check(tenants: Tenant[]): Promise<number> {
    if (!this.#o.settings.enabled) return 0;
    let sent = 0;
    for (const tenant of tenants) {
      try {
        sent += await this.checkTenant(tenant);
      } catch (e) {
        this.#o.logger.warn('Bedrock owner notifications failed for a tenant', {
          entityRef: tenant.entityRef,
          error: String(e),
        });
      }
    }
    return sent;
  }

  async checkTenant(tenant: Tenant): Promise<number> {
    const { settings, ledger } = this.#o;
    const summary = await this.#o.summarize(tenant);
    const observations = observe(summary, {
      enabled: settings.events,
      budgetThresholds: settings.budgetThresholds,
      now: this.#o.now(),
    });
    const last = await ledger.last(tenant.tenantId);
    const pending: Pending[] = [];
    for (const o of observations) {
      const prev = last.get(o.subject);
      if (prev ? prev.state === o.state : o.quiet) continue;
      pending.push({
        observation: o,
        claim: {
          tenantId: tenant.tenantId,
          entityRef: tenant.entityRef,
          subject: o.subject,
          seq: (prev?.seq ?? 0) + 1,
          state: o.state,
          notified: o.notify,
        },
      });
    }
    quieterThresholdsOf(pending);
    let sent = 0;
    for (const p of pending) {
      if (!(await ledger.claim(p.claim)) || !p.claim.notified) continue;
      try {
        await this.#send(tenant, p.observation);
        sent++;
      } catch (e) {
        await ledger.release(p.claim);
        throw e;
      }
    }
    return sent;
  }

  async #send(tenant: Tenant, o: Observation) {
    await this.#o.notifications.send({
      // resolved by the notifications backend at send time: the entity's owner, a Group's members
      recipients: { type: 'entity', entityRef: tenant.entityRef },
      payload: {
        title: o.title,
        description: o.description,
        link: tenantTabLink(tenant.entityRef),
        severity: o.severity,
        topic: tenantTopic(tenant.entityRef),
        // a later budget threshold of the period replaces the earlier notification in the inbox
        ...(o.type === 'budgetThreshold' && {
          scope: `bedrock:${tenant.tenantId}:${o.subject.replace(/:\d+$/, '')}`,
        }),
      },
    });
    this.#o.logger.info('Sent Bedrock owner notification', {
      entityRef: tenant.entityRef,
      subject: o.subject,
      state: o.state,
    });
  }
}

/**
 * A tenant first seen past 80% has crossed 50% and 80% at once: record both, tell only the
 * highest (per threshold type).
 */
function quieterThresholdsOf(pending: Pending[]) {
  const highest = new Map<string, Pending>();
  for (const p of pending) {
    if (p.observation.type !== 'budgetThreshold') continue;
    const [, , type, percent] = p.observation.subject.split(':');
    const best = highest.get(type);
    if (
      !best ||
      Number(best.observation.subject.split(':')[3]) < Number(percent)
    )
      highest.set(type, p);
  }
  for (const p of pending) {
    if (p.observation.type !== 'budgetThreshold') continue;
    const type = p.observation.subject.split(':')[2];
    if (highest.get(type) !== p) p.claim.notified = false;
  }
}
