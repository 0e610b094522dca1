import {
  CloudWatchClient,
  MetricDatum,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BudgetsClient,
  CreateBudgetCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  DEFAULT_PRICES,
  findPrice,
  normalizeModelId,
  priceTokens,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  tenantNames,
  type TenantPlan,
} from '@bedrock-tenancy/plugin-scaffolder-backend-module-bedrock';
import {
  DEMO_ACCOUNTS,
  EMULATOR_CREDENTIALS,
  resetMoto,
  startBedrockStandIn,
} from '@bedrock-tenancy/aws-emulator';
import { provisionDemoStacks } from './provision';
import { DEMO_LOGGING, DEMO_TENANTS, DemoTenant } from './tenants';
import { floorHour, hourlyUsage, HourUsage } from './traffic';

export interface SeedOptions {
  /** moto, or anything that forwards to it */
  endpoint: string;
  /**
   * Serves the Bedrock inference-profile API (the stand-in in front of moto), for the stacks the
   * actions create. Default: a stand-in started for the seed only.
   */
  bedrockEndpoint?: string;
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

/** The role the platform account assumes in the demo's second account (moto lets any role be assumed). */
export const DEMO_READER_ROLE = 'backstage-bedrock-reader';

/** The `aws` config section (@backstage/integration-aws-node) reaching both demo accounts, as in app-config.yaml. */
export const DEMO_AWS_CONFIG = {
  mainAccount: {
    accessKeyId: EMULATOR_CREDENTIALS.accessKeyId,
    secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey,
    region: 'us-east-1',
  },
  accounts: [
    {
      accountId: DEMO_ACCOUNTS.risk as string,
      roleName: DEMO_READER_ROLE,
      region: 'us-east-1',
    },
  ],
};

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
      RoleArn: `arn:aws:iam::${accountId}:role/${DEMO_READER_ROLE}`,
      RoleSessionName: 'demo-seed',
    }),
  );
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken,
  };
}

function metricData(dimension: string, hours: HourUsage[]): MetricDatum[] {
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
    // one sample per streaming request, as AWS emits it: a statistic set keeps moto small
    if (h.streamingRequests > 0) {
      const ttft = h.ttftMs;
      data.push({
        MetricName: 'TimeToFirstToken',
        Dimensions: dims,
        Timestamp: h.time,
        StatisticValues: {
          SampleCount: h.streamingRequests,
          Sum: ttft * h.streamingRequests,
          Minimum: ttft,
          Maximum: ttft,
        },
        Unit: 'Milliseconds',
      });
    }
  }
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

/** Which demo alarms AWS would have in ALARM, and why. */
const ALARMING: Array<{
  tenantId: string;
  kind: 'tokens' | 'throttles' | 'errors';
  reason: string;
}> = [
  {
    tenantId: 'checkout-assistant',
    kind: 'tokens',
    reason:
      'Threshold Crossed: 1 datapoint [2386544.0] was greater than the threshold (100000.0).',
  },
  {
    tenantId: 'support-bot',
    kind: 'throttles',
    reason:
      'Threshold Crossed: 1 datapoint [17.0] was greater than the threshold (0.0).',
  },
  {
    tenantId: 'support-bot',
    kind: 'errors',
    reason:
      'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (10.0).',
  },
];

/**
 * Puts the month's spend on the tenant's budget, as AWS Billing would. moto has no
 * UpdateBudget and keeps CalculatedSpend only from CreateBudget, so the budget the action made
 * is read, and made again with the same definition, notifications and subscribers plus the spend.
 */
async function reportBudgetSpend(
  budgets: BudgetsClient,
  plan: TenantPlan,
  spendUsd: number,
) {
  const key = { AccountId: plan.accountId, BudgetName: plan.budget.name };
  const { Budget } = await budgets.send(new DescribeBudgetCommand(key));
  const { Notifications = [] } = await budgets.send(
    new DescribeNotificationsForBudgetCommand(key),
  );
  await budgets.send(new DeleteBudgetCommand(key));
  await budgets.send(
    new CreateBudgetCommand({
      AccountId: plan.accountId,
      Budget: {
        ...Budget!,
        CalculatedSpend: {
          ActualSpend: { Amount: spendUsd.toFixed(2), Unit: 'USD' },
        },
      },
      NotificationsWithSubscribers: Notifications.map(Notification => ({
        Notification,
        Subscribers: [
          { SubscriptionType: 'SNS', Address: plan.budget.subscriberTopicArn },
        ],
      })),
    }),
  );
}

/**
 * Seeds the emulator with the demo data set. The stacks (invocation logging of one account and
 * region, every tenant's role, profiles, topic, alarms, dashboard and budget) are made by the
 * suite's scaffolder actions; the seed then adds what AWS would produce: hourly AWS/Bedrock
 * metrics, invocation logs for the identity-attributed tenant, alarm states and budget spend.
 */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const { endpoint } = options;
  const log = options.log ?? (() => {});
  const anchor = floorHour(options.anchor ?? new Date());
  const standIn = options.bedrockEndpoint
    ? undefined
    : await startBedrockStandIn({
        motoEndpoint: endpoint,
        accountId: DEMO_ACCOUNTS.platform,
      });
  try {
    const bedrockEndpoint = options.bedrockEndpoint ?? standIn!.endpoint;
    // through the stand-in, so that it forgets its profiles with moto's state
    if (options.reset !== false) await resetMoto(bedrockEndpoint);
    const creds = new Map<string, Creds>();
    for (const accountId of Object.values(DEMO_ACCOUNTS)) {
      creds.set(accountId, await accountCredentials(endpoint, accountId));
    }
    // every AWS call through the stand-in: it notes the budgets' subscribers, which moto cannot
    // answer, so that an approved budget increase can update a demo budget (budgetsStandIn.ts)
    const { plans } = await provisionDemoStacks({
      endpoint: bedrockEndpoint,
      bedrockEndpoint,
      credentials: accountId => creds.get(accountId)!,
      anchor,
      budgetLimitUsd: tenant => demoBudgetLimitUsd(tenant, anchor),
      log,
    });
    let datapoints = 0;
    let alarms = 0;
    for (const tenant of DEMO_TENANTS) {
      const c = creds.get(tenant.accountId)!;
      const plan = plans.get(tenant.tenantId)!;
      const cw = new CloudWatchClient(cfg(endpoint, tenant.region, c));
      if (tenant.attribution !== 'identity') {
        for (const model of tenant.models) {
          const data = metricData(
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
      for (const a of ALARMING.filter(x => x.tenantId === tenant.tenantId)) {
        await cw.send(
          new SetAlarmStateCommand({
            AlarmName: tenantNames(tenant.tenantId).alarmName(a.kind),
            StateValue: 'ALARM',
            StateReason: a.reason,
          }),
        );
      }
      alarms += plan.alarms.length;
      await reportBudgetSpend(
        new BudgetsClient(cfg(bedrockEndpoint, 'us-east-1', c)),
        plan,
        demoMonthToDateUsd(tenant, anchor),
      );
      log(`seeded ${tenant.tenantId} (${tenant.accountId} ${tenant.region})`);
    }
    await seedInvocationLogs(
      endpoint,
      creds.get(DEMO_LOGGING.accountId)!,
      anchor,
    );
    log(
      `seeded invocation logs in ${DEMO_LOGGING.accountId} ${DEMO_LOGGING.region}`,
    );
    return { anchor, datapoints, alarms, budgets: DEMO_TENANTS.length };
  } finally {
    await standIn?.stop();
  }
}

/** What Bedrock delivers to the logging account's log group: the identity tenant's invocation logs. */
async function seedInvocationLogs(endpoint: string, c: Creds, anchor: Date) {
  const { region, logGroupName } = DEMO_LOGGING;
  const logs = new CloudWatchLogsClient(cfg(endpoint, region, c));
  const logStreamName = 'aws/bedrock/modelinvocations';
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
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
