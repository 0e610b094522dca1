import {
  GetMetricDataCommand,
  ListMetricsCommand,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { UsageStore } from '../database/types';
import { DAY_MS, floorHour, HOUR_MS, iso, mapLimit, windows } from './hours';
import { IdentityLogReader } from './IdentityLogReader';
import {
  addResult,
  buildQueries,
  DIMENSION,
  METRICS,
  NAMESPACE,
  QueryMeta,
  Series,
  SeriesValues,
  tenantDimensions,
  tenantRows,
} from './metrics';
import { groupByAccountRegion, Tenant } from './tenants';

export interface CollectorOptions {
  backfillDays: number;
  refetchHours: number;
  windowHours: number;
  concurrency: number;
}

export interface CollectSummary {
  tenants: number;
  groups: number;
  failedGroups: number;
  series: number;
  getMetricDataCalls: number;
  awsCalls: number;
  durationMs: number;
  /** one line per failed account and region */
  errors: string[];
}

interface GroupResult {
  ok: boolean;
  error?: string;
  series: number;
  getMetricDataCalls: number;
}

/** CloudWatch keeps hourly datapoints 455 days. */
const MAX_LOOKBACK_MS = 455 * DAY_MS;

/**
 * Collects hourly AWS/Bedrock usage for tenants: per account and region one ListMetrics
 * listing, then GetMetricData with up to 500 queries per call in windows of at most
 * `windowHours`, from each tenant's watermark (minus `refetchHours`) or a backfill.
 * Identity-attributed tenants are read from invocation logs.
 */
export class UsageCollector {
  readonly #store: UsageStore;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #options: CollectorOptions;
  readonly #now: () => number;
  readonly #logs: IdentityLogReader;

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
  }

  async collect(tenants: Tenant[]): Promise<CollectSummary> {
    const started = Date.now();
    const callsBefore = this.#clients.calls;
    // metrics and invocation logs are collected (and fail) separately per account and region
    const groups = [
      ...groupByAccountRegion(
        tenants.filter(t => t.attribution !== 'identity'),
      ),
      ...groupByAccountRegion(
        tenants.filter(t => t.attribution === 'identity'),
      ),
    ];
    const results = await mapLimit(
      groups,
      this.#options.concurrency,
      async g => {
        try {
          return await this.#collectGroup(g.accountId, g.region, g.tenants);
        } catch (e) {
          const error =
            e instanceof Error ? `${e.name}: ${e.message}` : String(e);
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
            error: `${g.accountId}/${g.region}: ${error}`,
            series: 0,
            getMetricDataCalls: 0,
          } as GroupResult;
        }
      },
    );
    const summary: CollectSummary = {
      tenants: tenants.length,
      groups: groups.length,
      failedGroups: results.filter(r => !r.ok).length,
      series: results.reduce((n, r) => n + r.series, 0),
      getMetricDataCalls: results.reduce((n, r) => n + r.getMetricDataCalls, 0),
      awsCalls: this.#clients.calls - callsBefore,
      durationMs: Date.now() - started,
      errors: results.flatMap(r => (r.error ? [r.error] : [])),
    };
    const { errors: _e, ...logged } = summary;
    this.#logger.info('Collected Bedrock usage', { ...logged });
    return summary;
  }

  /** Start of the fetch for a tenant: watermark minus the re-fetch hours, or the backfill. */
  async #starts(tenants: Tenant[], end: number) {
    const states = await this.#store.getStates(tenants.map(t => t.tenantId));
    const floor = end - MAX_LOOKBACK_MS;
    return tenants.map(t => {
      const wm = states[t.tenantId]?.watermark;
      const start = wm
        ? Date.parse(wm) - this.#options.refetchHours * HOUR_MS
        : end - this.#options.backfillDays * DAY_MS;
      return Math.max(floor, floorHour(Math.min(start, end - HOUR_MS)));
    });
  }

  async #collectGroup(
    accountId: string,
    region: string,
    tenants: Tenant[],
  ): Promise<GroupResult> {
    const end = floorHour(this.#now());
    const metricTenants = tenants.filter(t => t.attribution !== 'identity');
    const identityTenants = tenants.filter(t => t.attribution === 'identity');
    let result: GroupResult = { ok: true, series: 0, getMetricDataCalls: 0 };
    if (metricTenants.length) {
      result = await this.#collectMetrics(
        accountId,
        region,
        metricTenants,
        end,
      );
    }
    if (identityTenants.length) {
      const starts = await this.#starts(identityTenants, end);
      await this.#logs.collect({
        accountId,
        region,
        tenants: identityTenants,
        from: Math.min(...starts),
        to: end,
        windowHours: this.#options.windowHours,
        onWindow: async (from, to, rows) => {
          for (const t of identityTenants) {
            await this.#store.replaceWindow({
              tenantId: t.tenantId,
              accountId,
              region,
              from: iso(from),
              to: iso(to),
              rows: rows.filter(r => r.tenantId === t.tenantId),
            });
            await this.#markCollected(t, to);
          }
        },
      });
    }
    return result;
  }

  async #markCollected(t: Tenant, to: number) {
    await this.#store.markCollected({
      tenantId: t.tenantId,
      entityRef: t.entityRef,
      watermark: iso(to),
      at: iso(this.#now()),
    });
  }

  async #listSeries(accountId: string, region: string): Promise<Series[]> {
    const cw = (await this.#clients.forTarget(accountId, region)).cloudwatch;
    const byDimension = new Map<string, Set<string>>();
    let NextToken: string | undefined;
    do {
      const page = await cw.send(
        new ListMetricsCommand({ Namespace: NAMESPACE, NextToken }),
      );
      for (const m of page?.Metrics ?? []) {
        if (m.Namespace && m.Namespace !== NAMESPACE) continue;
        const dims = m.Dimensions ?? [];
        if (dims.length !== 1 || dims[0].Name !== DIMENSION || !dims[0].Value)
          continue;
        if (!m.MetricName || !METRICS[m.MetricName]) continue;
        const set = byDimension.get(dims[0].Value) ?? new Set<string>();
        set.add(m.MetricName);
        byDimension.set(dims[0].Value, set);
      }
      NextToken = page?.NextToken;
    } while (NextToken);
    return [...byDimension].map(([dimension, metrics]) => ({
      dimension,
      metrics,
    }));
  }

  async #collectMetrics(
    accountId: string,
    region: string,
    tenants: Tenant[],
    end: number,
  ): Promise<GroupResult> {
    const series = await this.#listSeries(accountId, region);
    const allDims = series.map(s => s.dimension);
    const owned = new Map(
      tenants.map(t => [t.tenantId, tenantDimensions(t, allDims)]),
    );
    const wanted = new Set([...owned.values()].flat());
    const mine = series.filter(s => wanted.has(s.dimension));
    const starts = await this.#starts(tenants, end);
    const start = Math.min(...starts);
    const main = buildQueries(mine, false);
    const p99 = buildQueries(mine, true);
    let percentiles = p99.batches.length > 0;
    const calls = { n: 0 };

    for (const [from, to] of windows(start, end, this.#options.windowHours)) {
      const values: SeriesValues = new Map();
      for (const batch of main.batches) {
        await this.#fetch(
          accountId,
          region,
          batch,
          main.meta,
          from,
          to,
          values,
          calls,
          false,
        );
      }
      if (percentiles) {
        try {
          for (const batch of p99.batches) {
            await this.#fetch(
              accountId,
              region,
              batch,
              p99.meta,
              from,
              to,
              values,
              calls,
              true,
            );
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
      for (const t of tenants) {
        const rows = tenantRows({
          tenant: t,
          accountId,
          region,
          dimensions: owned.get(t.tenantId) ?? [],
          values,
        });
        await this.#store.replaceWindow({
          tenantId: t.tenantId,
          accountId,
          region,
          from: iso(from),
          to: iso(to),
          rows,
        });
        await this.#markCollected(t, to);
      }
    }
    if (!mine.length) {
      for (const t of tenants) await this.#markCollected(t, end);
    }
    return { ok: true, series: mine.length, getMetricDataCalls: calls.n };
  }

  async #fetch(
    accountId: string,
    region: string,
    queries: MetricDataQuery[],
    meta: Map<string, QueryMeta>,
    from: number,
    to: number,
    into: SeriesValues,
    calls: { n: number },
    probe: boolean,
  ): Promise<void> {
    const cw = probe
      ? (await this.#clients.forTarget(accountId, region)).cloudwatchProbe
      : (await this.#clients.forTarget(accountId, region)).cloudwatch;
    let NextToken: string | undefined;
    do {
      calls.n++;
      const page = await cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(from),
          EndTime: new Date(to),
          ScanBy: 'TimestampAscending',
          NextToken,
        }),
      );
      for (const r of page?.MetricDataResults ?? []) {
        addResult(
          into,
          meta.get(r.Id ?? ''),
          r.Timestamps ?? [],
          r.Values ?? [],
        );
      }
      NextToken = page?.NextToken;
    } while (NextToken);
  }
}
