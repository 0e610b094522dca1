import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { BindingStore } from '../bindings/types';
import { tenantOfBinding } from '../bindings/verify';
import { BedrockBackendConfig } from '../config';
import { UsageStore } from '../database/types';
import { DAY_MS, iso } from '../lib/time';
import { StatusCollector } from './StatusCollector';
import { Tenant } from '../tenant';
import { UsageCollector } from './UsageCollector';
import { shardOf, shardTaskId } from './shards';

/** On the first run the bindings may still be read from AWS tags: look a few more times. */
const STARTUP_RETRIES = 6;
const STARTUP_RETRY_MS = 10_000;
/** How a shard this instance had no room for hands itself back: trigger attempts, and the pause between. */
const HAND_BACK_ATTEMPTS = 50;
const HAND_BACK_PAUSE_MS = 100;
/**
 * A shard whose AWS reads failed (a timeout, a throttle) runs again after these pauses rather than
 * at its next scheduled run, 15 minutes later by default; then waits for the schedule.
 */
export const FAILED_SHARD_RETRY_MS = [60_000, 120_000, 240_000];

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
  /** Called after each billed-cost run with its tenants (estimate vs bill: the admins' variance notices). */
  onBilled?: (tenants: Tenant[]) => Promise<unknown>;
  /**
   * The accounts' whole usage, split into attributed and unattributed (unattributed/): run after
   * the tenants of the same shard, pruned with them. Its failures never fail the shard.
   */
  accountUsage?: {
    collect(
      tenants: Tenant[],
      options: {
        accountRegion: (accountId: string, region: string) => boolean;
      },
    ): Promise<unknown>;
    prune(before: string): Promise<number>;
  };
  /**
   * Batch inference jobs (batch/): the shard's account-regions' ended jobs, stored as the
   * tenants' `+batch` rows. Its failures never fail the shard.
   */
  batchUsage?: {
    collect(
      tenants: Tenant[],
      options: {
        accountRegion: (accountId: string, region: string) => boolean;
      },
    ): Promise<unknown>;
  };
}

/**
 * The scheduled tasks of the plugin: usage (in `collector.shards` global shard tasks, so the
 * replicas share it), status and (optional) billed cost collection.
 */
export class CollectorTasks {
  readonly #o: CollectorTasksOptions;
  #started = false;
  #statusFilled = false;
  #collectedOnce = false;
  /** shards this instance is collecting now */
  #running = 0;
  /** shard -> retries so far of its failed account-regions */
  readonly #retries = new Map<number, number>();

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

  /**
   * One usage shard: the account-regions hashed to `shard`. The scheduler runs each shard on
   * one replica at a time; the watermarks make a run that follows another (on any replica)
   * fetch only what is still due, so each account-region window is fetched once.
   */
  async collectShard(shard: number): Promise<{ failedGroups: number }> {
    const { settings, store, usage, logger } = this.#o;
    const tenants = await this.#tenantsAtStartup();
    const shards = settings.collector.shards;
    const summary = await usage.collect(tenants, {
      accountRegion: (a, r) => shardOf(a, r, shards) === shard,
    });
    if (summary.collected.length) {
      logger.info('Collected a Bedrock usage shard', {
        shard,
        accountRegions: summary.collected.join(' '),
        getMetricDataCalls: summary.getMetricDataCalls,
        metricsRequested: summary.metricsRequested,
      });
      this.#collectedOnce = true;
      const collected = new Set(summary.collected);
      await this.#o.onCollected?.(
        tenants.filter(t =>
          t.regions.some(r => collected.has(`${t.accountId}/${r}`)),
        ),
      );
    }
    await this.#o.batchUsage
      ?.collect(tenants, {
        accountRegion: (a, r) => shardOf(a, r, shards) === shard,
      })
      .catch(error =>
        logger.warn(`Bedrock batch inference collection failed: ${error}`),
      );
    // after the tenants: an account-region's hours are split once its tenants' rows are stored
    await this.#o.accountUsage
      ?.collect(tenants, {
        accountRegion: (a, r) => shardOf(a, r, shards) === shard,
      })
      .catch(error =>
        logger.warn(`Bedrock account usage collection failed: ${error}`),
      );
    // once per cycle, by whichever replica runs shard 0
    if (shard === 0) {
      const before = iso(
        Date.now() - settings.collector.retentionDays * DAY_MS,
      );
      const pruned = await store.prune(before);
      if (pruned)
        logger.info('Pruned old Bedrock usage rows', { rows: pruned });
      await this.#o.accountUsage?.prune(before);
    }
    return { failedGroups: summary.failedGroups };
  }

  /**
   * The scheduled function of a shard. When this instance already collects as many
   * account-regions as `collector.concurrency` allows, the shard hands itself back: it returns
   * at once and asks the scheduler to run it again now, so a replica with room claims it
   * (this one too, once it has room). The scheduler's claim stays the only lock.
   */
  async #runShard(shard: number, scheduler: SchedulerService) {
    if (this.#running >= this.#o.settings.collector.concurrency) {
      this.#handBack(shard, scheduler);
      return;
    }
    this.#running++;
    try {
      const { failedGroups } = await this.collectShard(shard);
      this.#retryIfFailed(shard, failedGroups, scheduler);
    } finally {
      this.#running--;
    }
    // the status task's first run may have found no bindings yet: once this instance's first
    // collection is done (no shard running), fill its panels, and tell the notifier and budget
    // enforcement as any status run does (else they decide on a budget not collected yet)
    if (!this.#running && this.#collectedOnce && !this.#statusFilled) {
      this.#statusFilled = true;
      await this.collectStatus();
    }
  }

  /** Runs a shard with failed account-regions again soon (the watermarks keep what succeeded). */
  #retryIfFailed(shard: number, failed: number, scheduler: SchedulerService) {
    const done = this.#retries.get(shard) ?? 0;
    if (!failed || done >= FAILED_SHARD_RETRY_MS.length) {
      this.#retries.delete(shard);
      return;
    }
    this.#retries.set(shard, done + 1);
    this.#o.logger.info(
      `Collecting Bedrock usage shard ${shard} again in ${
        FAILED_SHARD_RETRY_MS[done] / 1000
      } s: ${failed} account-region(s) failed`,
    );
    const timer = setTimeout(() => {
      scheduler.triggerTask(shardTaskId(shard)).catch(() => {});
    }, FAILED_SHARD_RETRY_MS[done]);
    timer.unref?.();
  }

  #handBack(shard: number, scheduler: SchedulerService, attempt = 0) {
    // the trigger only takes once the scheduler has released this run
    const timer = setTimeout(
      () => {
        scheduler.triggerTask(shardTaskId(shard)).catch(() => {
          if (attempt + 1 < HAND_BACK_ATTEMPTS)
            this.#handBack(shard, scheduler, attempt + 1);
        });
      },
      attempt ? HAND_BACK_PAUSE_MS : HAND_BACK_PAUSE_MS / 4,
    );
    timer.unref?.();
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
    await this.#o.onBilled?.(tenants);
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
    for (let k = 0; k < settings.collector.shards; k++) {
      await scheduler.scheduleTask({
        id: shardTaskId(k),
        ...settings.collector.schedule,
        scope: 'global',
        fn: () => this.#runShard(k, scheduler),
      });
    }
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
