import {
  CloudWatchClient,
  MetricDatum,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { BudgetsClient, CreateBudgetCommand } from '@aws-sdk/client-budgets';
import {
  BedrockClient,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  DEFAULT_PRICES,
  findPrice,
  normalizeModelId,
  priceTokens,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { resetMoto } from '../moto';
import {
  DEMO_ACCOUNTS,
  DEMO_LOGGING,
  DEMO_TENANTS,
  DemoTenant,
} from './tenants';
import { floorHour, hourlyUsage, HourUsage } from './traffic';

/** Static credentials of the emulator's default account (moto accepts any). */
export const EMULATOR_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIADEMOPLATFORM0001',
  secretAccessKey: 'demo-secret-not-a-real-key',
};

export interface SeedOptions {
  endpoint: string;
  /** The data ends at the start of this hour; defaults to now. Same anchor, same data. */
  anchor?: Date;
  /** Forget everything in the emulator first (default true), so a re-run gives the same state. */
  reset?: boolean;
  log?: (message: string) => void;
}

export interface SeedResult {
  anchor: Date;
  datapoints: number;
  alarms: number;
  budgets: number;
}

type Creds = AwsCredentialIdentity;
const cfg = (endpoint: string, region: string, credentials: Creds) => ({
  endpoint,
  region,
  credentials,
  maxAttempts: 2,
  // moto cannot read the gzip bodies that PutMetricData sends when request compression is on
  disableRequestCompression: true,
});

async function accountCredentials(
  endpoint: string,
  accountId: string,
): Promise<Creds> {
  if (accountId === DEMO_ACCOUNTS.platform) return EMULATOR_CREDENTIALS;
  const sts = new STSClient(cfg(endpoint, 'us-east-1', EMULATOR_CREDENTIALS));
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/backstage-bedrock-reader`,
      RoleSessionName: 'demo-seed',
    }),
  );
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken,
  };
}

function metricData(
  tenant: DemoTenant,
  dimension: string,
  hours: HourUsage[],
): MetricDatum[] {
  const data: MetricDatum[] = [];
  const dims = [{ Name: 'ModelId', Value: dimension }];
  for (const h of hours) {
    const put = (
      MetricName: string,
      Value: number,
      Unit: MetricDatum['Unit'] = 'Count',
    ) =>
      data.push({
        MetricName,
        Dimensions: dims,
        Timestamp: h.time,
        Value,
        Unit,
      });
    if (h.invocations === 0 && h.clientErrors === 0) continue; // no traffic, no datapoints (as in AWS)
    put('Invocations', h.invocations);
    put('InputTokenCount', h.inputTokens);
    put('OutputTokenCount', h.outputTokens);
    put('InvocationLatency', h.latencyMs, 'Milliseconds');
    put('InvocationClientErrors', h.clientErrors);
    put('InvocationServerErrors', h.serverErrors);
    put('InvocationThrottles', h.throttles);
  }
  void tenant;
  return data;
}

/** Estimated cost of the tenant's traffic from the first of the anchor's month, at the built-in prices. */
export function demoMonthToDateUsd(tenant: DemoTenant, anchor: Date): number {
  const monthStart = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), 1);
  let total = 0;
  for (const model of tenant.models) {
    for (const h of hourlyUsage(tenant, model, anchor)) {
      if (h.time.getTime() < monthStart) continue;
      const day = h.time.toISOString().slice(0, 10);
      const price = findPrice(
        DEFAULT_PRICES,
        normalizeModelId(model.modelId),
        tenant.region,
        day,
      );
      if (price) total += priceTokens(price, h);
    }
  }
  return total;
}

/** Limit of the tenant's demo budget: month-to-date spend times its headroom, in whole dollars. */
export function demoBudgetLimitUsd(tenant: DemoTenant, anchor: Date): number {
  return Math.max(
    20,
    Math.ceil(demoMonthToDateUsd(tenant, anchor) * tenant.budgetHeadroom),
  );
}

function alarmDefinitions(tenant: DemoTenant) {
  const prefix = `bedrock-${tenant.tenantId}-`;
  return [
    {
      name: `${prefix}input-tokens-per-hour`,
      metric: 'InputTokenCount',
      stat: 'Sum',
      period: 3600,
      threshold: 100_000,
    },
    {
      name: `${prefix}errors-per-5m`,
      metric: 'InvocationServerErrors',
      stat: 'Sum',
      period: 300,
      threshold: 10,
    },
    {
      name: `${prefix}invocations-per-hour`,
      metric: 'Invocations',
      stat: 'Sum',
      period: 3600,
      threshold: 1000,
    },
    {
      name: `${prefix}latency`,
      metric: 'InvocationLatency',
      stat: 'Average',
      period: 300,
      threshold: 10_000,
    },
    {
      name: `${prefix}throttles-per-5m`,
      metric: 'InvocationThrottles',
      stat: 'Sum',
      period: 300,
      threshold: 0,
    },
  ];
}

/** Which demo alarms are driven to ALARM, and why. */
const ALARMING: Record<string, string> = {
  'bedrock-checkout-assistant-input-tokens-per-hour':
    'Threshold Crossed: 1 datapoint [2386544.0] was greater than the threshold (100000.0).',
  'bedrock-support-bot-throttles-per-5m':
    'Threshold Crossed: 1 datapoint [17.0] was greater than the threshold (0.0).',
  'bedrock-support-bot-errors-per-5m':
    'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (10.0).',
};

/**
 * Seeds the emulator with the demo data set: hourly AWS/Bedrock metrics for every demo tenant,
 * their alarms (some in ALARM) and budgets, invocation logs for the identity-attributed tenant,
 * and the invocation logging configuration of one account and region.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const { endpoint } = options;
  const log = options.log ?? (() => {});
  const anchor = floorHour(options.anchor ?? new Date());
  if (options.reset !== false) await resetMoto(endpoint);

  const creds = new Map<string, Creds>();
  for (const accountId of Object.values(DEMO_ACCOUNTS)) {
    creds.set(accountId, await accountCredentials(endpoint, accountId));
  }
  let datapoints = 0;
  let alarms = 0;
  for (const tenant of DEMO_TENANTS) {
    const c = creds.get(tenant.accountId)!;
    const cw = new CloudWatchClient(cfg(endpoint, tenant.region, c));
    if (tenant.attribution !== 'identity') {
      for (const model of tenant.models) {
        const data = metricData(
          tenant,
          model.dimension,
          hourlyUsage(tenant, model, anchor),
        );
        for (let i = 0; i < data.length; i += 500) {
          await cw.send(
            new PutMetricDataCommand({
              Namespace: 'AWS/Bedrock',
              MetricData: data.slice(i, i + 500),
            }),
          );
        }
        datapoints += data.length;
      }
    }
    for (const a of alarmDefinitions(tenant)) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: a.name,
          AlarmDescription: `Bedrock tenant ${tenant.tenantId}: ${a.metric} ${a.stat} over ${a.period}s`,
          Namespace: 'AWS/Bedrock',
          MetricName: a.metric,
          Statistic: a.stat as 'Sum',
          Period: a.period,
          EvaluationPeriods: 1,
          Threshold: a.threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          Tags: [{ Key: TAG_TENANT, Value: tenant.tenantId }],
        }),
      );
      if (ALARMING[a.name]) {
        await cw.send(
          new SetAlarmStateCommand({
            AlarmName: a.name,
            StateValue: 'ALARM',
            StateReason: ALARMING[a.name],
          }),
        );
      }
      alarms++;
    }
    const budgets = new BudgetsClient(cfg(endpoint, 'us-east-1', c));
    const mtd = demoMonthToDateUsd(tenant, anchor);
    await budgets.send(
      new CreateBudgetCommand({
        AccountId: tenant.accountId,
        Budget: {
          BudgetName: `bedrock-${tenant.tenantId}`,
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: {
            Amount: String(demoBudgetLimitUsd(tenant, anchor)),
            Unit: 'USD',
          },
          CostFilters: {
            TagKeyValue: [`user:${TAG_TENANT}$${tenant.tenantId}`],
          },
          CalculatedSpend: {
            ActualSpend: { Amount: mtd.toFixed(2), Unit: 'USD' },
          },
        },
      }),
    );
    log(`seeded ${tenant.tenantId} (${tenant.accountId} ${tenant.region})`);
  }
  await seedLogging(endpoint, creds.get(DEMO_LOGGING.accountId)!, anchor);
  log(
    `seeded invocation logging in ${DEMO_LOGGING.accountId} ${DEMO_LOGGING.region}`,
  );
  return { anchor, datapoints, alarms, budgets: DEMO_TENANTS.length };
}

/** The logging configuration of the platform account, and the identity tenant's invocation logs. */
async function seedLogging(endpoint: string, c: Creds, anchor: Date) {
  const { region, logGroupName, bucketName, roleName, accountId } =
    DEMO_LOGGING;
  const logs = new CloudWatchLogsClient(cfg(endpoint, region, c));
  await logs.send(new CreateLogGroupCommand({ logGroupName }));
  const logStreamName = 'aws/bedrock/modelinvocations';
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  const bedrock = new BedrockClient(cfg(endpoint, region, c));
  await bedrock.send(
    new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: {
        cloudWatchConfig: {
          logGroupName,
          roleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
        },
        s3Config: { bucketName, keyPrefix: 'bedrock' },
        textDataDeliveryEnabled: false,
        imageDataDeliveryEnabled: false,
        embeddingDataDeliveryEnabled: false,
      },
    }),
  );
  const events = identityLogEvents(anchor);
  for (let i = 0; i < events.length; i += 1000) {
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName,
        logEvents: events.slice(i, i + 1000),
      }),
    );
  }
}

/**
 * CloudWatch Logs (and moto) reject events older than 14 days, so the identity-attributed
 * tenant's invocation logs cover only the last 13 days of its traffic.
 */
export const IDENTITY_LOG_DAYS = 13;

/**
 * Invocation log records (schema ModelInvocationLog 1.0, no prompt bodies) for the tenants
 * attributed by identity: one record per invocation, spread over the hour.
 */
export function identityLogEvents(anchor: Date) {
  const events: Array<{ timestamp: number; message: string }> = [];
  const since =
    floorHour(anchor).getTime() - IDENTITY_LOG_DAYS * 24 * 3_600_000;
  for (const tenant of DEMO_TENANTS.filter(t => t.attribution === 'identity')) {
    for (const model of tenant.models) {
      for (const h of hourlyUsage(tenant, model, anchor).filter(
        u => u.time.getTime() >= since,
      )) {
        for (let k = 0; k < h.invocations; k++) {
          const share = (n: number) =>
            Math.floor(n / h.invocations) + (k < n % h.invocations ? 1 : 0);
          const timestamp =
            h.time.getTime() +
            Math.floor(((k + 0.5) * 3_600_000) / h.invocations);
          events.push({
            timestamp,
            message: JSON.stringify({
              schemaType: 'ModelInvocationLog',
              schemaVersion: '1.0',
              timestamp: new Date(timestamp).toISOString(),
              accountId: tenant.accountId,
              region: tenant.region,
              requestId: `${tenant.tenantId}-${timestamp}-${k}`,
              operation: 'Converse',
              modelId: model.dimension,
              identity: { arn: tenant.principalArn },
              input: { inputTokenCount: share(h.inputTokens) },
              output: { outputTokenCount: share(h.outputTokens) },
            }),
          });
        }
      }
    }
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}
