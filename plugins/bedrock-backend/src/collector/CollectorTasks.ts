import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { BindingStore } from '../bindings/types';
import { tenantOfBinding } from '../bindings/verify';
import { BedrockBackendConfig } from '../config';
import { UsageStore } from '../database/types';
import { DAY_MS, iso } from '../lib/time';
import { StatusCollector } from './StatusCollector';
import { Tenant } from '../tenant';
import { UsageCollector } from './UsageCollector';

/** On the first run the bindings may still be read from AWS tags: look a few more times. */
const STARTUP_RETRIES = 6;
const STARTUP_RETRY_MS = 10_000;

export interface CollectorTasksOptions {
  settings: BedrockBackendConfig;
  store: UsageStore;
  usage: UsageCollector;
  status: StatusCollector;
  bindings: BindingStore;
  logger: LoggerService;
  /** settles when the startup read of the bindings' AWS tags is done */
  bindingsReady?: Promise<unknown>;
  /** Called after each collection with the tenants it covered (signals, owner notifications). */
  onCollected?: (tenants: Tenant[]) => Promise<void>;
}

/** The scheduled tasks of the plugin: usage, status and (optional) billed cost collection. */
export class CollectorTasks {
  readonly #o: CollectorTasksOptions;
  #started = false;

  static create(o: CollectorTasksOptions) {
    return new CollectorTasks(o);
  }

  private constructor(o: CollectorTasksOptions) {
    this.#o = o;
  }

  /** The bound tenants: what an entity's annotations claim is never collected. */
  async tenants(): Promise<Tenant[]> {
    return (await this.#o.bindings.list()).map(tenantOfBinding);
  }

  async #tenantsAtStartup(): Promise<Tenant[]> {
    if (!this.#started) await this.#o.bindingsReady;
    let tenants = await this.tenants();
    for (
      let i = 0;
      !this.#started && !tenants.length && i < STARTUP_RETRIES;
      i++
    ) {
      await new Promise(r => setTimeout(r, STARTUP_RETRY_MS));
      tenants = await this.tenants();
    }
    this.#started = true;
    return tenants;
  }

  async collectUsage(): Promise<void> {
    const { settings, store, usage, status, logger } = this.#o;
    const firstRun = !this.#started;
    const tenants = await this.#tenantsAtStartup();
    await usage.collect(tenants);
    // the status task's first run may have found an empty catalog: fill its panels now
    if (firstRun) await status.collect(tenants);
    await this.#o.onCollected?.(tenants);
    const pruned = await store.prune(
      iso(Date.now() - settings.collector.retentionDays * DAY_MS),
    );
    if (pruned) logger.info('Pruned old Bedrock usage rows', { rows: pruned });
  }

  async collectStatus(): Promise<void> {
    const tenants = await this.tenants();
    await this.#o.status.collect(tenants);
    await this.#o.onCollected?.(tenants);
  }

  async collectBilled(): Promise<void> {
    const tenants = await this.tenants();
    await this.#o.status.collectBilled(tenants);
    await this.#o.onCollected?.(tenants);
  }

  /** Re-collects one tenant now (the refresh route). */
  async refreshTenant(
    tenant: Tenant,
  ): Promise<{ ok: boolean; message?: string }> {
    const summary = await this.#o.usage.collect([tenant], { force: true });
    await this.#o.status.collect([tenant], { resumable: false });
    await this.#o.onCollected?.([tenant]);
    return summary.failedGroups
      ? { ok: false, message: summary.errors.join('; ') }
      : { ok: true };
  }

  /** Every task is global (one run per cluster); a configured schedule cannot make it local. */
  async schedule(scheduler: SchedulerService): Promise<void> {
    const { settings } = this.#o;
    if (!settings.collector.enabled) {
      this.#o.logger.info(
        'Bedrock collection is disabled (bedrock.collector.enabled: false)',
      );
      return;
    }
    await scheduler.scheduleTask({
      id: 'bedrock-usage-collector',
      ...settings.collector.schedule,
      scope: 'global',
      fn: () => this.collectUsage(),
    });
    await scheduler.scheduleTask({
      id: 'bedrock-status-collector',
      ...settings.status.schedule,
      scope: 'global',
      fn: () => this.collectStatus(),
    });
    if (settings.costExplorer.enabled) {
      await scheduler.scheduleTask({
        id: 'bedrock-billed-cost',
        ...settings.costExplorer.schedule,
        scope: 'global',
        fn: () => this.collectBilled(),
      });
    }
  }
}
