import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AlarmInfo,
  AlarmState,
  GovernanceInfo,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { tenantAlarmNames } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  GLOBAL_REGION,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { BudgetSnapshot } from '../database/snapshots';
import type { Tenant } from '../tenant';

export const errorText = (e: unknown) =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);
const money = (v?: { Amount?: string }) =>
  v?.Amount !== undefined ? Number(v.Amount) : null;

export const alarmConsoleUrl = (region: string, name: string) =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(
    name,
  )}`;

/**
 * The AWS reads behind a tenant's status: alarms, budget and invocation-logging governance
 * (billed cost: reconcile/CostExplorerBilling, per account). Each call reads one thing and returns what the store keeps; the
 * {@link StatusCollector} decides when, how many at once and what to do with failures.
 */
export class StatusReader {
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #now: () => number;

  constructor(o: {
    clients: AwsClientFactory;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#clients = o.clients;
    this.#logger = o.logger;
    this.#now = o.now ?? Date.now;
  }

  /**
   * The tenant's alarms in every region: one paginated DescribeAlarms by the tenant's exact alarm
   * names (`<alarmPrefix><kind>`, the binding's prefix or the default one), never by prefix:
   * tenant `checkout`'s prefix also starts `checkout-assistant`'s alarm names. Names only, no
   * per-alarm tag read: the collector reads every tenant each cycle.
   */
  async alarms(t: Tenant): Promise<AlarmInfo[]> {
    const names = tenantAlarmNames(t.alarmPrefix);
    const out: AlarmInfo[] = [];
    for (const region of t.regions) {
      const cw = (await this.#clients.forTarget(t.accountId, region))
        .cloudwatch;
      let NextToken: string | undefined;
      do {
        const page = await cw.send(
          new DescribeAlarmsCommand({ AlarmNames: names, NextToken }),
        );
        for (const a of page?.MetricAlarms ?? []) {
          // the emulator (and only-first-filter servers) may return more: filter again
          if (!a.AlarmName || !names.includes(a.AlarmName)) continue;
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
}
