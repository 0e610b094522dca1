import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { BillingReconciliation } from '@bedrock-tenancy/plugin-bedrock-common';
import { Claim, NotificationLedger } from '../notify/NotificationLedger';
import { tenantTabLink } from '../notify/TenantNotifier';
import type { Tenant } from '../tenant';
import {
  describeVariance,
  passesThreshold,
  type VarianceThreshold,
} from '../service/reconciliation';

/** The notification topic of cost variances (admins can mute it as one). */
export const VARIANCE_TOPIC = 'bedrock-cost-variance';

/** The ledger subject of a tenant's variance in a month: one notification per tenant and month. */
export const varianceSubject = (month: string) => `variance:${month}`;

const month = (t: number) => new Date(t).toISOString().slice(0, 7);
const previousMonth = (t: number) => {
  const d = new Date(t);
  return month(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
};

export interface VarianceNotifierOptions {
  threshold: VarianceThreshold;
  /** entity refs of the Bedrock admins; nobody else is ever told */
  recipients: string[];
  ledger: NotificationLedger;
  notifications: Pick<NotificationService, 'send'>;
  /** the tenants' estimate vs bill of a month, in the tenants' order, from the store (no AWS call) */
  reconcile: (
    tenants: Tenant[],
    month: string,
  ) => Promise<Array<BillingReconciliation | null | undefined>>;
  logger: LoggerService;
  now?: () => number;
}

/**
 * Tells the Bedrock admins (never the tenant's owners: the notice names the bill) when a
 * tenant's monthly variance between estimate and bill passes the threshold, once per tenant and
 * month: the month is claimed in the notifications ledger first (a unique key, so of two replicas
 * only one sends), and given back when sending fails. Checks the current month and the previous
 * one, whose last days' bill completes in the first days of the next.
 */
export class VarianceNotifier {
  readonly #o: VarianceNotifierOptions;
  readonly #now: () => number;

  constructor(o: VarianceNotifierOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  /** Checks every tenant; returns how many notifications were sent. Never throws. */
  async check(tenants: Tenant[]): Promise<number> {
    if (!tenants.length) return 0;
    const now = this.#now();
    let sent = 0;
    for (const m of [previousMonth(now), month(now)]) {
      let figures: Array<BillingReconciliation | null | undefined>;
      try {
        figures = await this.#o.reconcile(tenants, m);
      } catch (e) {
        this.#o.logger.warn('Bedrock cost variance check failed', {
          month: m,
          error: String(e),
        });
        continue;
      }
      for (let i = 0; i < tenants.length; i++) {
        const r = figures[i];
        if (!r || !passesThreshold(r, this.#o.threshold)) continue;
        try {
          if (await this.#tell(tenants[i], r)) sent++;
        } catch (e) {
          this.#o.logger.warn('Telling the admins of a cost variance failed', {
            tenantId: tenants[i].tenantId,
            month: m,
            error: String(e),
          });
        }
      }
    }
    return sent;
  }

  async #tell(tenant: Tenant, r: BillingReconciliation): Promise<boolean> {
    const { recipients, ledger, logger } = this.#o;
    if (!recipients.length) {
      logger.warn(
        `Bedrock tenant ${tenant.tenantId}: cost variance past the threshold in ${r.month}, but no admin is configured (bedrock.reconciliation.adminRecipients)`,
        { description: describeVariance(r) },
      );
      return false;
    }
    const claim: Claim = {
      tenantId: tenant.tenantId,
      entityRef: tenant.entityRef,
      subject: varianceSubject(r.month),
      seq: 1,
      state: 'passed',
      notified: true,
    };
    if (!(await ledger.claim(claim))) return false;
    const pct =
      r.variancePercent === null
        ? 'no billed cost against'
        : `${Math.abs(r.variancePercent).toFixed(1)}% ${
            r.varianceUsd >= 0 ? 'above' : 'below'
          }`;
    try {
      await this.#o.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title: `Bedrock tenant ${tenant.tenantId}: billed cost ${pct} the estimate in ${r.month}`,
          description: `${tenant.entityRef}: ${describeVariance(r)}.`,
          link: tenantTabLink(tenant.entityRef),
          severity: 'normal',
          topic: VARIANCE_TOPIC,
          scope: `bedrock:variance:${tenant.tenantId}:${r.month}`,
        },
      });
    } catch (e) {
      await ledger.release(claim);
      throw e;
    }
    logger.info('Told the Bedrock admins of a cost variance', {
      tenantId: tenant.tenantId,
      month: r.month,
      varianceUsd: r.varianceUsd,
    });
    return true;
  }
}
