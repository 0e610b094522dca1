import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AlarmInfo,
  AlarmState,
  GovernanceInfo,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { TAG_TENANT } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  GLOBAL_REGION,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { UsageStore } from '../database/types';
import { GuardrailCollector } from './GuardrailCollector';
import { iso, mapLimit } from './hours';
import { groupByAccountRegion, Tenant } from './tenants';

/** What the status collector stores about a tenant's AWS Budget. */
export interface BudgetSnapshot {
  name: string;
  limitUsd: number;
  actualSpendUsd: number;
  forecastedSpendUsd: number | null;
  notifications: Array<{ percent: number; type: 'ACTUAL' | 'FORECASTED' }>;
}

export interface BilledSnapshot {
  monthToDateUsd: number;
  daily: Array<{ date: string; usd: number }>;
}

export const SNAPSHOT = {
  alarms: 'alarms',
  budget: 'budget',
  governance: 'governance',
  billed: 'billed',
  /** the last scheduled status run (StatusRunRecord) */
  run: 'status-run',
} as const;

const errorText = (e: unknown) =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);
const money = (v?: { Amount?: string }) =>
  v?.Amount !== undefined ? Number(v.Amount) : null;

export const alarmConsoleUrl = (region: string, name: string) =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(
    name,
  )}`;

/** How much one status run may do; `bedrock.status.*` (config.d.ts documents each). */
export interface StatusBudget {
  /** fetches (one tenant's alarms, one tenant's budget, one account-region's logging) in flight */
  concurrency: number;
  /** milliseconds one account may take in one run; its remaining fetches wait for the next run */
  accountBudgetMs: number;
  /** milliseconds after which a run starts no more fetches (inside the task timeout) */
  runBudgetMs: number;
}

/** What a status run stores under SNAPSHOT.run: the next run starts with `pending`. */
export interface StatusRunRecord {
  state: 'done' | 'partial';
  startedAt: string;
  finishedAt: string;
  fetched: number;
  failures: number;
  /** fetches the run had no time for (`kind:key`), first in line next run */
  pending: string[];
}

const RUN_KEY = 'status';
const UNBOUNDED: StatusBudget = {
  concurrency: 4,
  accountBudgetMs: Infinity,
  runBudgetMs: Infinity,
};

interface StatusFetch {
  id: string;
  accountId: string;
  run: () => Promise<boolean>;
}

/**
 * Fetches the slower-changing status of tenants (alarms, budget, invocation-logging
 * governance, guardrails, optionally billed cost) on its own schedule and stores it, so page
 * views never call AWS. A run is bounded in concurrency, time per account and total time; what it
 * had no time for is recorded as pending (the run as partial) and fetched first by the next run.
 */
export class StatusCollector {
  readonly #store: UsageStore;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #guardrails: GuardrailCollector;
  readonly #budget: StatusBudget;

  static create(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    budget?: StatusBudget;
    now?: () => number;
  }) {
    return new StatusCollector(o);
  }

  private constructor(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    budget?: StatusBudget;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#clients = o.clients;
    this.#logger = o.logger;
    this.#budget = o.budget ?? UNBOUNDED;
    this.#now = o.now ?? Date.now;
    this.#guardrails = GuardrailCollector.create(o);
  }

  async #record(
    kind: string,
    key: string,
    fn: () => Promise<unknown>,
  ): Promise<boolean> {
    const fetchedAt = iso(this.#now());
    try {
      await this.#store.putSnapshot({
        kind,
        key,
        payload: (await fn()) ?? null,
        error: null,
        fetchedAt,
      });
      return true;
    } catch (e) {
      this.#logger.warn('Bedrock status fetch failed', {
        kind,
        key,
        error: errorText(e),
      });
      await this.#store.putSnapshot({
        kind,
        key,
        payload: null,
        error: errorText(e),
        fetchedAt,
      });
      return false;
    }
  }

  /** Alarms and budget per tenant, invocation logging per account and region. */
  #fetches(tenants: Tenant[]): StatusFetch[] {
    const fetch = (
      kind: string,
      key: string,
      accountId: string,
      fn: () => Promise<unknown>,
    ): StatusFetch => ({
      id: `${kind}:${key}`,
      accountId,
      run: () => this.#record(kind, key, fn),
    });
    return [
      ...tenants.flatMap(t => [
        fetch(SNAPSHOT.alarms, t.tenantId, t.accountId, () => this.alarms(t)),
        fetch(SNAPSHOT.budget, t.tenantId, t.accountId, () => this.budget(t)),
      ]),
      ...groupByAccountRegion(tenants).map(g =>
        fetch(
          SNAPSHOT.governance,
          `${g.accountId}/${g.region}`,
          g.accountId,
          () => this.governance(g.accountId, g.region),
        ),
      ),
      // the tenants' guardrails, read per account-region in one batch
      {
        id: 'guardrails:all',
        accountId: '*',
        run: async () =>
          (await this.#guardrails.collect(tenants)).every(ok => ok),
      },
    ];
  }

  /**
   * Fetches the tenants' status within the budget. A scheduled run (`resumable`, the default)
   * starts with what the previous run left pending and records itself as done or partial; a
   * one-tenant refresh passes `resumable: false` and leaves that record alone.
   */
  async collect(
    tenants: Tenant[],
    options: { resumable?: boolean } = {},
  ): Promise<StatusRunRecord> {
    const resumable = options.resumable ?? true;
    const started = this.#now();
    const callsBefore = this.#clients.calls;
    let fetches = this.#fetches(tenants);
    if (resumable) {
      const last = await this.#lastRun();
      const first = new Set(last?.pending ?? []);
      fetches = [
        ...fetches.filter(f => first.has(f.id)),
        ...fetches.filter(f => !first.has(f.id)),
      ];
    }

    const { concurrency, accountBudgetMs, runBudgetMs } = this.#budget;
    const accountStarted = new Map<string, number>();
    const pending: string[] = [];
    const outcomes = await mapLimit(fetches, concurrency, async f => {
      const now = this.#now();
      const accountStart = accountStarted.get(f.accountId) ?? now;
      accountStarted.set(f.accountId, accountStart);
      if (
        now - started >= runBudgetMs ||
        now - accountStart >= accountBudgetMs
      ) {
        pending.push(f.id);
        return undefined;
      }
      return f.run();
    });

    const record: StatusRunRecord = {
      state: pending.length ? 'partial' : 'done',
      startedAt: iso(started),
      finishedAt: iso(this.#now()),
      fetched: outcomes.filter(o => o !== undefined).length,
      failures: outcomes.filter(o => o === false).length,
      pending,
    };
    if (resumable) {
      await this.#store.putSnapshot({
        kind: SNAPSHOT.run,
        key: RUN_KEY,
        payload: record,
        error: pending.length
          ? `ran out of time: ${pending.length} of ${fetches.length} fetches left for the next run`
          : null,
        fetchedAt: record.finishedAt,
      });
    }
    this.#logger[pending.length ? 'warn' : 'info'](
      pending.length
        ? 'Bedrock status run ran out of time; the next run resumes'
        : 'Collected Bedrock status',
      {
        tenants: tenants.length,
        state: record.state,
        fetched: record.fetched,
        failures: record.failures,
        pending: pending.length,
        awsCalls: this.#clients.calls - callsBefore,
        durationMs: this.#now() - started,
      },
    );
    return record;
  }

  /** The record of the last scheduled status run, if any. */
  async #lastRun(): Promise<StatusRunRecord | undefined> {
    const snapshots = await this.#store.getSnapshots<StatusRunRecord>(
      SNAPSHOT.run,
      [RUN_KEY],
    );
    return snapshots[RUN_KEY]?.payload ?? undefined;
  }

  /** Billed cost per tenant from Cost Explorer: USD 0.01 per call, so on a slow schedule only. */
  async collectBilled(tenants: Tenant[]) {
    const callsBefore = this.#clients.calls;
    const results = await mapLimit(tenants, 2, t =>
      this.#record(SNAPSHOT.billed, t.tenantId, () => this.billed(t)),
    );
    this.#logger.info('Collected Bedrock billed cost', {
      tenants: tenants.length,
      failures: results.filter(ok => !ok).length,
      costExplorerCalls: this.#clients.calls - callsBefore,
    });
  }

  /** The tenant's alarms in every region: one paginated DescribeAlarms by name prefix. */
  async alarms(t: Tenant): Promise<AlarmInfo[]> {
    const out: AlarmInfo[] = [];
    for (const region of t.regions) {
      const cw = (await this.#clients.forTarget(t.accountId, region))
        .cloudwatch;
      let NextToken: string | undefined;
      do {
        const page = await cw.send(
          new DescribeAlarmsCommand({
            AlarmNamePrefix: t.alarmPrefix,
            NextToken,
          }),
        );
        for (const a of page?.MetricAlarms ?? []) {
          // the emulator (and only-first-filter servers) may return more: filter again
          if (!a.AlarmName?.startsWith(t.alarmPrefix)) continue;
          out.push({
            name: a.AlarmName,
            state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState,
            reason: a.StateReason ?? '',
            updatedAt: a.StateUpdatedTimestamp
              ? new Date(a.StateUpdatedTimestamp).toISOString()
              : null,
            metricName: a.MetricName ?? null,
            threshold: a.Threshold ?? null,
            region,
            consoleUrl: alarmConsoleUrl(region, a.AlarmName),
            ...(a.ActionsEnabled !== undefined && {
              actionsEnabled: a.ActionsEnabled,
            }),
          });
        }
        NextToken = page?.NextToken;
      } while (NextToken);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The tenant's budget, or null when it has none. */
  async budget(t: Tenant): Promise<BudgetSnapshot | null> {
    const budgets = (await this.#clients.forTarget(t.accountId, GLOBAL_REGION))
      .budgets;
    let budget;
    try {
      budget = (
        await budgets.send(
          new DescribeBudgetCommand({
            AccountId: t.accountId,
            BudgetName: t.budgetName,
          }),
        )
      )?.Budget;
    } catch (e) {
      if ((e as Error).name === 'NotFoundException') return null;
      throw e;
    }
    if (!budget) return null;
    let notifications: BudgetSnapshot['notifications'] = [];
    try {
      const res = await budgets.send(
        new DescribeNotificationsForBudgetCommand({
          AccountId: t.accountId,
          BudgetName: t.budgetName,
        }),
      );
      notifications = (res?.Notifications ?? [])
        .filter(
          n =>
            (n.ThresholdType ?? 'PERCENTAGE') === 'PERCENTAGE' &&
            n.Threshold !== undefined,
        )
        .map(n => ({
          percent: n.Threshold!,
          type: n.NotificationType === 'FORECASTED' ? 'FORECASTED' : 'ACTUAL',
        }));
    } catch (e) {
      this.#logger.debug('Budget notifications not available', {
        tenantId: t.tenantId,
        error: errorText(e),
      });
    }
    return {
      name: budget.BudgetName ?? t.budgetName,
      limitUsd: money(budget.BudgetLimit) ?? 0,
      actualSpendUsd: money(budget.CalculatedSpend?.ActualSpend) ?? 0,
      forecastedSpendUsd: money(budget.CalculatedSpend?.ForecastedSpend),
      notifications,
    };
  }

  /** Model invocation logging of an account and region. Never returns prompt content. */
  async governance(accountId: string, region: string): Promise<GovernanceInfo> {
    const bedrock = (await this.#clients.forTarget(accountId, region)).bedrock;
    const res = await bedrock.send(
      new GetModelInvocationLoggingConfigurationCommand({}),
    );
    const c = res?.loggingConfig;
    const logGroup = c?.cloudWatchConfig?.logGroupName ?? null;
    const bucket = c?.s3Config?.bucketName ?? null;
    const loggingEnabled = Boolean(logGroup || bucket);
    return {
      region,
      loggingEnabled,
      cloudWatchLogGroup: logGroup,
      s3Bucket: bucket,
      promptsLogged: Boolean(
        c && (c.textDataDeliveryEnabled ?? false) && loggingEnabled,
      ),
      deliveryFailures: loggingEnabled
        ? await this.#deliveryFailures(accountId, region)
        : null,
    };
  }

  /** Log delivery failures of the last 24 h; optional metrics, null when they cannot be read. */
  async #deliveryFailures(accountId: string, region: string) {
    const end = Math.floor(this.#now() / 3_600_000) * 3_600_000;
    const query = (Id: string, MetricName: string) => ({
      Id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Bedrock', MetricName },
        Period: 86_400,
        Stat: 'Sum',
      },
    });
    try {
      const cw = (await this.#clients.forTarget(accountId, region))
        .cloudwatchProbe;
      const res = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(end - 86_400_000),
          EndTime: new Date(end),
          MetricDataQueries: [
            query('cw', 'ModelInvocationLogsCloudWatchDeliveryFailure'),
            query('s3', 'ModelInvocationLogsS3DeliveryFailure'),
          ],
        }),
      );
      const sum = (id: string) =>
        (res?.MetricDataResults ?? [])
          .filter(r => r.Id === id)
          .flatMap(r => r.Values ?? [])
          .reduce((a, b) => a + b, 0);
      return { cloudWatch: sum('cw'), s3: sum('s3') };
    } catch (e) {
      this.#logger.debug('Log delivery metrics not available', {
        accountId,
        region,
        error: errorText(e),
      });
      return null;
    }
  }

  /** Billed cost of the tenant (cost allocation tag) this month. Each call costs USD 0.01. */
  async billed(t: Tenant): Promise<BilledSnapshot> {
    const ce = (await this.#clients.forTarget(t.accountId, GLOBAL_REGION))
      .costExplorer;
    const now = new Date(this.#now());
    const start = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
    );
    const end = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
    );
    const daily: BilledSnapshot['daily'] = [];
    let NextPageToken: string | undefined;
    do {
      const res = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: {
            Start: start.toISOString().slice(0, 10),
            End: end.toISOString().slice(0, 10),
          },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Tags: { Key: TAG_TENANT, Values: [t.tenantId] } },
          NextPageToken,
        }),
      );
      for (const r of res?.ResultsByTime ?? []) {
        daily.push({
          date: r.TimePeriod?.Start ?? '',
          usd: Number(r.Total?.UnblendedCost?.Amount ?? 0),
        });
      }
      NextPageToken = res?.NextPageToken;
    } while (NextPageToken);
    return { monthToDateUsd: daily.reduce((s, d) => s + d.usd, 0), daily };
  }
}
