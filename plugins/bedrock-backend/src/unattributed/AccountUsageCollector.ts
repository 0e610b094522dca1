import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import {
  fetchBatch,
  FetchCounter,
  listSeries,
} from '../collector/cloudWatchUsage';
import { planCohorts } from '../collector/collectionPlan';
import {
  buildQueries,
  METRICS,
  Series,
  SeriesValues,
  tenantDimensions,
} from '../collector/metrics';
import { inScope, UsageStore } from '../database/types';
import {
  CLOUDWATCH_HOURLY_RETENTION_DAYS,
  DAY_MS,
  floorHour,
  iso,
  windows,
} from '../lib/time';
import { groupByAccountRegion, Tenant } from '../tenant';
import { AccountUsageStore } from './AccountUsageStore';
import {
  accountSeriesRows,
  ATTRIBUTED_COUNTERS,
  attributeHours,
} from './attribution';

export interface AccountUsageOptions {
  backfillDays: number;
  refetchHours: number;
  windowHours: number;
  fetchEveryHours: number;
  /** false: collect nothing (bedrock.collector.accountUsage); the rows are still pruned */
  accountUsage?: boolean;
}

export interface AccountUsageSummary {
  /** `account/region` of every account-region fetched (failed ones included) */
  collected: string[];
  errors: string[];
  series: number;
  getMetricDataCalls: number;
  /** metric data queries sent to GetMetricData: what CloudWatch bills */
  metricsRequested: number;
}

/** The metrics attribution splits (tokens and invocations): nothing else is requested. */
const TRAFFIC_METRICS = new Set(
  Object.entries(METRICS)
    .filter(([, specs]) =>
      specs.some(s =>
        (ATTRIBUTED_COUNTERS as readonly string[]).includes(s.field),
      ),
    )
    .map(([name]) => name),
);

/** Where the watermark of an account and region is kept among the tenants' (planCohorts). */
const ACCOUNT_KEY = 'account';

/**
 * Collects the whole `AWS/Bedrock` usage of every account and region tenants are bound in, and
 * splits it into what those tenants were attributed and the rest (attribution.ts): the spend no
 * tenant owns. Runs after the tenants' collection of the same account-regions (CollectorTasks,
 * same shard), with the tenants' fetch settings:
 * - ListMetrics (free) names every `ModelId` series with data in the last two weeks (moto and
 *   AWS alike; no SEARCH expression); the series a profile tenant bound here owns are not asked
 *   again (its stored rows are those series: see accountSeriesRows), and of the others only the
 *   token and invocation metrics are requested, with the tenants' query builder, in GetMetricData
 *   calls of at most 500 queries; an account tenant owns every series, so nothing is requested;
 * - incremental: from the account-region's own watermark (less `refetchHours`, for late
 *   datapoints), once `fetchEveryHours` have closed, at most `backfillDays` back the first time;
 * - never past the tenants' watermarks there, so an hour is split only once the tenants' rows of
 *   it are stored (a lagging tenant would otherwise leave its usage unattributed).
 */
export class AccountUsageCollector {
  readonly #store: AccountUsageStore;
  readonly #usage: UsageStore;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #options: AccountUsageOptions;
  readonly #now: () => number;

  static create(o: {
    store: AccountUsageStore;
    usage: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    options: AccountUsageOptions;
    now?: () => number;
  }) {
    return new AccountUsageCollector(o);
  }

  private constructor(o: {
    store: AccountUsageStore;
    usage: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    options: AccountUsageOptions;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#usage = o.usage;
    this.#clients = o.clients;
    this.#logger = o.logger;
    this.#options = o.options;
    this.#now = o.now ?? Date.now;
  }

  /** The account-regions of `tenants` (those `accountRegion` accepts), one after the other. */
  async collect(
    tenants: Tenant[],
    options: {
      accountRegion?: (accountId: string, region: string) => boolean;
      force?: boolean;
    } = {},
  ): Promise<AccountUsageSummary> {
    const only = options.accountRegion ?? (() => true);
    const summary: AccountUsageSummary = {
      collected: [],
      errors: [],
      series: 0,
      getMetricDataCalls: 0,
      metricsRequested: 0,
    };
    if (this.#options.accountUsage === false) return summary;
    for (const g of groupByAccountRegion(tenants)) {
      if (!only(g.accountId, g.region)) continue;
      const counter: FetchCounter = { calls: 0, metrics: 0 };
      const where = `${g.accountId}/${g.region}`;
      try {
        const fetched = await this.#collectAccountRegion(
          g.accountId,
          g.region,
          g.tenants,
          counter,
          options.force ?? false,
        );
        if (fetched === undefined) continue;
        summary.collected.push(where);
        summary.series += fetched;
      } catch (e) {
        const error =
          e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        summary.collected.push(where);
        summary.errors.push(`${where}: ${error}`);
        this.#logger.warn('Bedrock account usage collection failed', {
          accountId: g.accountId,
          region: g.region,
          error,
        });
        await this.#store.markFailed({
          accountId: g.accountId,
          region: g.region,
          error,
        });
      } finally {
        summary.getMetricDataCalls += counter.calls;
        summary.metricsRequested += counter.metrics;
      }
    }
    if (summary.collected.length) {
      const { collected: _c, errors: _e, ...logged } = summary;
      this.#logger.info('Collected Bedrock account usage', {
        ...logged,
        accountRegions: summary.collected.length,
        failed: summary.errors.length,
      });
    }
    return summary;
  }

  /** Returns the number of series fetched, or undefined when nothing was due. */
  async #collectAccountRegion(
    accountId: string,
    region: string,
    tenants: Tenant[],
    counter: FetchCounter,
    force: boolean,
  ): Promise<number | undefined> {
    const tenantIds = [...new Set(tenants.map(t => t.tenantId))];
    const marks = await this.#usage.getWatermarks({
      accountId,
      region,
      tenantIds,
    });
    // never split an hour before every (collected) tenant's rows of it are stored
    const tenantEnd = Math.min(
      ...Object.values(marks).map(m => floorHour(Date.parse(m))),
    );
    if (!Number.isFinite(tenantEnd)) return undefined; // no tenant collected yet
    const end = Math.min(floorHour(this.#now()), tenantEnd);
    const mark = await this.#store.getWatermark(accountId, region);
    const [cohort] = planCohorts({
      tenants: [{ tenantId: ACCOUNT_KEY }],
      watermarks: { [ACCOUNT_KEY]: mark },
      end,
      options: {
        ...this.#options,
        maxLookbackMs: CLOUDWATCH_HOURLY_RETENTION_DAYS * DAY_MS,
      },
      force,
    });
    if (!cohort || cohort.start >= end) return undefined;

    // an account tenant owns every series: its rows are the account's, nothing is fetched
    const accountWide = tenants.some(t => t.attribution === 'account');
    const clients = await this.#clients.forTarget(accountId, region);
    const listed: Series[] = accountWide
      ? []
      : (await listSeries(clients.cloudwatch))
          .map(s => ({
            dimension: s.dimension,
            metrics: new Set(
              [...s.metrics].filter(m => TRAFFIC_METRICS.has(m)),
            ),
          }))
          .filter(s => s.metrics.size > 0);
    // a profile tenant's series are stored already (its rows): only the others are requested
    const owned = new Set(
      tenants.flatMap(t =>
        t.attribution === 'inference-profile'
          ? tenantDimensions(
              t,
              listed.map(s => s.dimension),
            )
          : [],
      ),
    );
    const series = listed.filter(s => !owned.has(s.dimension));
    const ownsSeries = new Set(
      tenants.filter(t => t.attribution !== 'identity').map(t => t.tenantId),
    );
    const { batches, meta } = buildQueries(series, false);
    for (const [from, to] of windows(
      cohort.start,
      end,
      this.#options.windowHours,
    )) {
      const values: SeriesValues = new Map();
      for (const batch of batches) {
        await fetchBatch({
          cw: clients.cloudwatch,
          queries: batch,
          meta,
          from,
          to,
          into: values,
          counter,
        });
      }
      const attributed = (
        await this.#usage.getUsage({
          tenantIds,
          from: iso(from),
          to: iso(to),
        })
      ).filter(
        // batch jobs are not in AWS/Bedrock: their rows are no part of the series
        r =>
          r.accountId === accountId &&
          r.region === region &&
          inScope(r.modelId, 'metrics'),
      );
      const rows = attributeHours({
        accountId,
        region,
        account: [
          // the series no tenant owns, fetched now...
          ...accountSeriesRows({
            accountId,
            region,
            tenants,
            dimensions: series.map(s => s.dimension),
            values,
          }),
          // ...and those profile (or account) tenants own: their stored rows are those series
          ...attributed.filter(r => ownsSeries.has(r.tenantId)),
        ],
        attributed,
        accountWide,
      });
      await this.#store.replaceWindow({
        accountId,
        region,
        from: iso(from),
        to: iso(to),
        rows,
      });
      await this.#store.markCollected({
        accountId,
        region,
        watermark: iso(to),
        at: iso(this.#now()),
      });
    }
    return series.length;
  }
}
