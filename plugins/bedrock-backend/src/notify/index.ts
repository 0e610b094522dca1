import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { DAY_MS, floorHour, HOUR_MS } from '../lib/time';
import type { Tenant } from '../tenant';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import { readNotifySettings } from './config';
import { NotificationLedger } from './NotificationLedger';
import { publishTenantChanged } from './signals';
import { TenantNotifier } from './TenantNotifier';

/**
 * What happens after a collection or status refresh of some tenants: open pages are told
 * (signals) and owners are notified of new events. Never throws: a failure here must not fail
 * the collection.
 */
export async function createAfterCollection(o: {
  config: Config;
  database: DatabaseService;
  /** the tenant's summary of a range (SummaryService), for the notifications' figures */
  summary: {
    entitySummary(
      tenant: Tenant,
      range: { from: number; to: number },
    ): Promise<EntitySummary>;
  };
  notifications: NotificationService;
  signals: SignalsService;
  logger: LoggerService;
  /** budget enforcement, run before the owners are told (its suspensions are among the events) */
  enforce?: (tenants: Tenant[]) => Promise<unknown>;
  now?: () => number;
}): Promise<(tenants: Tenant[]) => Promise<void>> {
  const settings = readNotifySettings(o.config);
  const now = o.now ?? Date.now;
  const notifier = new TenantNotifier({
    settings,
    ledger: new NotificationLedger(await o.database.getClient(), now),
    notifications: o.notifications,
    summarize: tenant => {
      const to = floorHour(now()) + HOUR_MS;
      return o.summary.entitySummary(tenant, { from: to - DAY_MS, to });
    },
    logger: o.logger,
    now,
  });
  return async tenants => {
    if (settings.signals) {
      await publishTenantChanged(
        o.signals,
        tenants.map(t => t.entityRef),
        o.logger,
      );
    }
    try {
      await o.enforce?.(tenants);
    } catch (e) {
      o.logger.warn('Bedrock budget enforcement failed', { error: String(e) });
    }
    try {
      await notifier.check(tenants);
    } catch (e) {
      o.logger.warn('Bedrock owner notifications failed', { error: String(e) });
    }
  };
}
