import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { UsageStore } from '../database/types';
import { Limiter } from '../lib/limiter';
import {
  DAY_MS,
  floorHour,
  iso,
  windows,
  CLOUDWATCH_HOURLY_RETENTION_DAYS,
} from '../lib/time';
import { fetchBatch, FetchCounter, listSeries } from './cloudWatchUsage';
import { Cohort, planCohorts } from './collectionPlan';
import { IdentityLogReader } from './IdentityLogReader';
import {
  buildQueries,
  SeriesValues,
  tenantDimensions,
  tenantRows,
} from './metrics';
import { groupByAccountRegion, Tenant } from '../tenant';

export interface CollectorOptions {
  backfillDays: number;
  refetchHours: number;
  windowHours: number;
  /** account-regions collected at once by this instance, across all its tasks */
  concurrency: number;
  /**
   * Closed hours an account-region gathers before it is fetched again. GetMetricData is billed
   * per metric requested whatever the span, so one fetch of three hours costs what one of one
   * hour does.
   */
  fetchEveryHours: number;
}

export interface CollectSummary {
  tenants: number;
  groups: number;
  /** account-regions with nothing due (no closed hours to fetch yet): no AWS call */
  skippedGroups: number;
  failedGroups: number;
  series: number;
  getMetricDataCalls: number;
  /** metric data queries sent to GetMetricData: what CloudWatch bills */
  metricsRequested: number;
  awsCalls: number;
  durationMs: number;
  /** `account/region` of every group fetched (not skipped), failed ones included */
  collected: string[];
  /** one line per failed account and region */
  errors: string[];
}

interface GroupResult {
  ok: boolean;
  skipped: boolean;
  error?: string;
  series: number;
  counter: FetchCounter;
}

export interface CollectOptions {
  /** fetch even when no new hour has closed (the refresh route) */
  force?: boolean;
  /** only these account-regions (a scheduler shard's share) */
  accountRegion?: (accountId: string, region: string) => boolean;
}

const MAX_LOOKBACK_MS = CLOUDWATCH_HOURLY_RETENTION_DAYS * DAY_MS;

/**
 * Collects hourly AWS/Bedrock usage for tenants, per account and region: the closed hours since
 * each tenant's watermark there (plus `refetchHours` before it, for late datapoints), once
 * `fetchEveryHours` hours have closed, so a 15-minute schedule never re-requests closed hours.
 * ListMetrics (free) names the series with data in the last two weeks; only those are requested,
 * up to 500 queries per GetMetricData call. A tenant seen for the first time is backfilled on its
 * own, without re-fetching its neighbours. Identity-attributed tenants are read from invocation
 * logs. Every collect() of one instance shares one bound of `concurrency` account-regions.
 */
export class UsageCollector {
  readonly #store: UsageStore;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #options: CollectorOptions;
  readonly #now: () => number;
  readonly #logs: IdentityLogReader;
  readonly #limiter: Limiter;

  static create(options: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    options: CollectorOptions;
    now?: () => number;
  }) {
    return new UsageCollector(options);
  }

  private constructor(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    options: CollectorOptions;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#clients = o.clients;
    this.#logger = o.logger;
    this.#options = o.options;
    this.#now = o.now ?? Date.now;
    this.#logs = IdentityLogReader.create({ clients: o.clients });
    this.#limiter = new Limiter(o.options.concurrency);
  }

  /** Account-regions this instance could start collecting right now. */
  get freeSlots(): number {
    return this.#limiter.available;
  }

  async collect(
    tenants: Tenant[],
    options: CollectOptions = {},
  ): Promise<CollectSummary> {
    const started = Date.now();
    const callsBefore = this.#clients.calls;
    const only = options.accountRegion ?? (() => true);
    // metrics and invocation logs are collected (and fail) separately per account and region
    const groups = [
      ...groupByAccountRegion(
        tenants.filter(t => t.attribution !== 'identity'),
      ),
      ...groupByAccountRegion(
        tenants.filter(t => t.attribution === 'identity'),
      ),
    ].filter(g => only(g.accountId, g.region));
    const results = await Promise.all(
      groups.map(g =>
        this.#limiter.run(() =>
          this.#collectGroupSafely(g, options.force ?? false),
        ),
      ),
    );
    const fetched = results.filter(r => !r.skipped);
    const summary: CollectSummary = {
      tenants: new Set(groups.flatMap(g => g.tenants.map(t => t.tenantId)))
        .size,
      groups: groups.length,
      skippedGroups: results.length - fetched.length,
      failedGroups: results.filter(r => !r.ok).length,
      series: results.reduce((n, r) => n + r.series, 0),
      getMetricDataCalls: results.reduce((n, r) => n + r.counter.calls, 0),
      metricsRequested: results.reduce((n, r) => n + r.counter.metrics, 0),
      awsCalls: this.#clients.calls - callsBefore,
      durationMs: Date.now() - started,
      collected: groups
        .filter((_, i) => !results[i].skipped)
        .map(g => `${g.accountId}/${g.region}`),
      errors: results.flatMap(r => (r.error ? [r.error] : [])),
    };
    const { errors: _e, collected: _c, ...logged } = summary;
    if (fetched.length) this.#logger.info('Collected Bedrock usage', logged);
    return summary;
  }

  async #collectGroupSafely(
    g: { accountId: string; region: string; tenants: Tenant[] },
    force: boolean,
  ): Promise<GroupResult> {
    try {
      return await this.#collectGroup(g.accountId, g.region, g.tenants, force);
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.#logger.warn(
        'Bedrock usage collection failed for an account and region',
        {
          accountId: g.accountId,
          region: g.region,
          tenants: g.tenants.length,
          error,
        },
      );
      for (const t of g.tenants) {
        await this.#store.markFailed({
          tenantId: t.tenantId,
          entityRef: t.entityRef,
          error: `${g.accountId}/${g.region}: ${error}`,
        });
      }
      return {
        ok: false,
        skipped: false,
        error: `${g.accountId}/${g.region}: ${error}`,
        series: 0,
        counter: { calls: 0, metrics: 0 },
      };
    }
  }

  /** The due tenants' cohorts: see {@link planCohorts}. */
  async #plan(
    accountId: string,
    region: string,
    tenants: Tenant[],
    end: number,
    force: boolean,
  ): Promise<Cohort<Tenant>[]> {
    const marks = await this.#store.getWatermarks({
      accountId,
      region,
      tenantIds: tenants.map(t => t.tenantId),
    });
    return planCohorts({
      tenants,
      watermarks: marks,
      end,
      options: { ...this.#options, maxLookbackMs: MAX_LOOKBACK_MS },
      force,
    });
  }

  async #collectGroup(
    accountId: string,
    region: string,
    tenants: Tenant[],
    force: boolean,
  ): Promise<GroupResult> {
    const end = floorHour(this.#now());
    const cohorts = await this.#plan(accountId, region, tenants, end, force);
    const counter = { calls: 0, metrics: 0 };
    if (!cohorts.length) return { ok: true, skipped: true, series: 0, counter };
    // a group holds metric tenants or identity tenants, never both
    if (tenants[0].attribution === 'identity') {
      for (const c of cohorts) {
        await this.#collectLogs(accountId, region, c.tenants, c.start, end);
      }
      return { ok: true, skipped: false, series: 0, counter };
    }
    const cw = (await this.#clients.forTarget(accountId, region)).cloudwatch;
    const series = await listSeries(cw);
    let fetchedSeries = 0;
    for (const c of cohorts) {
      fetchedSeries += await this.#collectMetrics({
        accountId,
        region,
        tenants: c.tenants,
        series,
        start: c.start,
        end,
        counter,
      });
    }
    return { ok: true, skipped: false, series: fetchedSeries, counter };
  }

  async #collectLogs(
    accountId: string,
    region: string,
    tenants: Tenant[],
    start: number,
    end: number,
  ) {
    await this.#logs.collect({
      accountId,
      region,
      tenants,
      from: start,
      to: end,
      windowHours: this.#options.windowHours,
      onWindow: async (from, to, rows) => {
        await this.#store.replaceWindows({
          tenantIds: tenants.map(t => t.tenantId),
          accountId,
          region,
          from: iso(from),
          to: iso(to),
          rows,
        });
        await this.#markCollected(accountId, region, tenants, to);
      },
    });
    await this.#markCollected(accountId, region, tenants, end);
  }

  async #markCollected(
    accountId: string,
    region: string,
    tenants: Tenant[],
    to: number,
  ) {
    await this.#store.advanceWatermarks({
      accountId,
      region,
      tenantIds: tenants.map(t => t.tenantId),
      watermark: iso(to),
    });
    await this.#store.markCollectedMany({
      tenants,
      watermark: iso(to),
      at: iso(this.#now()),
    });
  }

  /** One cohort's series over [start, end): returns how many series were requested. */
  async #collectMetrics(o: {
    accountId: string;
    region: string;
    tenants: Tenant[];
    series: Awaited<ReturnType<typeof listSeries>>;
    start: number;
    end: number;
    counter: FetchCounter;
  }): Promise<number> {
    const { accountId, region, tenants, start, end, counter } = o;
    const allDims = o.series.map(s => s.dimension);
    const owned = new Map(
      tenants.map(t => [t.tenantId, tenantDimensions(t, allDims)]),
    );
    const wanted = new Set([...owned.values()].flat());
    const mine = o.series.filter(s => wanted.has(s.dimension));
    if (!mine.length) {
      // idle for two weeks: nothing to request, and nothing stored in the window to replace
      await this.#markCollected(accountId, region, tenants, end);
      return 0;
    }
    const clients = await this.#clients.forTarget(accountId, region);
    const main = buildQueries(mine, false);
    const p99 = buildQueries(mine, true);
    let percentiles = p99.batches.length > 0;

    for (const [from, to] of windows(start, end, this.#options.windowHours)) {
      const values: SeriesValues = new Map();
      for (const batch of main.batches) {
        await fetchBatch({
          cw: clients.cloudwatch,
          queries: batch,
          meta: main.meta,
          from,
          to,
          into: values,
          counter,
        });
      }
      if (percentiles) {
        try {
          for (const batch of p99.batches) {
            await fetchBatch({
              cw: clients.cloudwatchProbe,
              queries: batch,
              meta: p99.meta,
              from,
              to,
              into: values,
              counter,
            });
          }
        } catch (e) {
          percentiles = false; // optional: report p99 as not available
          this.#logger.debug('Latency percentiles not available', {
            accountId,
            region,
            error: e instanceof Error ? e.name : String(e),
          });
        }
      }
      await this.#store.replaceWindows({
        tenantIds: tenants.map(t => t.tenantId),
        accountId,
        region,
        from: iso(from),
        to: iso(to),
        rows: tenants.flatMap(t =>
          tenantRows({
            tenant: t,
            accountId,
            region,
            dimensions: owned.get(t.tenantId) ?? [],
            values,
          }),
        ),
      });
      await this.#markCollected(accountId, region, tenants, to);
    }
    return mine.length;
  }
}
