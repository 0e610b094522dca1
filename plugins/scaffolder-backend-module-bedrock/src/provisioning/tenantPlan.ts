import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ALARM_PREFIX,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_BUDGET_NAME,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_ENTITY_REF,
  TAG_OWNER,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AlarmThresholds, ProvisioningConfig } from '../config';
import type { TenantSpec } from './inputs';
import { AlarmKind, ALARM_KINDS, tenantNames } from './naming';
import { policy, PolicyDocument } from './policies';

/** The IAM actions that invoke a model. Converse and ConverseStream are authorised by these two. */
export const INVOKE_ACTIONS = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
];

/** An application inference profile the tenant has (or will have, in a plan). */
export interface ProfileRef {
  id: string;
  arn: string;
}

export interface PlannedProfile {
  modelId: string;
  name: string;
  copyFrom: string;
  clientRequestToken: string;
  /** known once the profile exists; a `<pending:...>` placeholder in a dry run */
  id: string;
  arn: string;
  exists: boolean;
}

export interface PlannedAlarm {
  kind: AlarmKind;
  name: string;
  threshold: number;
  periodSeconds: number;
  description: string;
  metrics: MetricDataQuery[];
}

export interface BudgetNotificationPlan {
  notificationType: 'ACTUAL' | 'FORECASTED';
  threshold: number;
}

/** The full desired state of a tenant. Pure: the same spec and profiles give the same plan. */
export interface TenantPlan {
  tenantId: string;
  accountId: string;
  region: string;
  tags: Record<string, string>;
  role: {
    name: string;
    arn: string;
    trustPolicy: PolicyDocument;
    invokePolicyName: string;
    invokePolicy: PolicyDocument;
  };
  profiles: PlannedProfile[];
  topic: {
    name: string;
    arn: string;
    policy: PolicyDocument;
    emails: string[];
  };
  alarms: PlannedAlarm[];
  dashboard: { name: string; body: Record<string, unknown> };
  budget: {
    name: string;
    limitUsd: number;
    costFilterTag: string;
    notifications: BudgetNotificationPlan[];
    subscriberTopicArn: string;
  };
  annotations: Record<string, string>;
}

export const BUDGET_NOTIFICATIONS: BudgetNotificationPlan[] = [
  { notificationType: 'ACTUAL', threshold: 50 },
  { notificationType: 'ACTUAL', threshold: 80 },
  { notificationType: 'ACTUAL', threshold: 100 },
  { notificationType: 'FORECASTED', threshold: 100 },
];

/** Text the tenant's dashboard carries, so the suite recognises its own dashboards. */
export const dashboardMarker = (tenantId: string) =>
  `Managed by ${MANAGED_BY_VALUE} for tenant ${tenantId}. Do not edit: changes are overwritten.`;

/** Cost allocation tag filter of the budget: `user:<tag key>$<tenant id>`. */
export const budgetTagFilter = (tenantId: string) =>
  `user:${TAG_TENANT}$${tenantId}`;

/** Resolves `{region}` / `{accountId}` in a configured copyFrom ARN. */
export function resolveCopyFrom(
  template: string,
  accountId: string,
  region: string,
) {
  return template
    .replaceAll('{region}', region)
    .replaceAll('{accountId}', accountId);
}

/** For a system (cross-region) profile, the foundation models it routes to in any region. */
function underlyingModelArns(copyFrom: string, modelId: string): string[] {
  if (/:inference-profile\//.test(copyFrom)) {
    return [copyFrom, `arn:aws:bedrock:*::foundation-model/${modelId}`];
  }
  return [copyFrom];
}

function principalBlock(principals: string[]): Record<string, string[]> {
  const service = principals.filter(p => p.endsWith('.amazonaws.com'));
  const aws = principals
    .filter(p => !p.endsWith('.amazonaws.com'))
    .map(p => (/^\d{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p));
  return {
    ...(aws.length ? { AWS: aws } : {}),
    ...(service.length ? { Service: service } : {}),
  };
}

const THRESHOLD_OF: Record<AlarmKind, keyof AlarmThresholds> = {
  tokens: 'tokensPerHour',
  errors: 'errorsPer5Minutes',
  invocations: 'invocationsPerHour',
  latency: 'latencyMs',
  throttles: 'throttlesPer5Minutes',
};

function alarmFor(
  kind: AlarmKind,
  name: string,
  threshold: number,
  profileIds: string[],
): PlannedAlarm {
  const stat = (
    id: string,
    metric: string,
    profileId: string,
    period: number,
    s: string,
  ) => ({
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Bedrock',
        MetricName: metric,
        Dimensions: [{ Name: 'ModelId', Value: profileId }],
      },
      Period: period,
      Stat: s,
    },
  });
  const build = (
    period: number,
    metricNames: string[],
    s: string,
    fn: 'SUM' | 'MAX',
    label: string,
    description: string,
  ): PlannedAlarm => {
    const metrics: MetricDataQuery[] = [];
    profileIds.forEach((pid, i) =>
      metricNames.forEach((m, j) =>
        metrics.push(stat(`m${i}x${j}`, m, pid, period, s)),
      ),
    );
    metrics.push({
      Id: 'total',
      Expression: `${fn}([${metrics.map(m => m.Id).join(',')}])`,
      Label: label,
      ReturnData: true,
    });
    return {
      kind,
      name,
      threshold,
      periodSeconds: period,
      description,
      metrics,
    };
  };
  switch (kind) {
    case 'tokens':
      return build(
        3600,
        ['InputTokenCount', 'OutputTokenCount'],
        'Sum',
        'SUM',
        'Tokens per hour',
        `Input + output tokens over ${threshold} per hour`,
      );
    case 'errors':
      return build(
        300,
        ['InvocationClientErrors', 'InvocationServerErrors'],
        'Sum',
        'SUM',
        'Errors per 5 minutes',
        `Client + server errors over ${threshold} per 5 minutes`,
      );
    case 'invocations':
      return build(
        3600,
        ['Invocations'],
        'Sum',
        'SUM',
        'Invocations per hour',
        `Invocations over ${threshold} per hour`,
      );
    case 'latency':
      return build(
        300,
        ['InvocationLatency'],
        'Average',
        'MAX',
        'Average latency (ms)',
        `Average invocation latency of a model over ${threshold} ms`,
      );
    case 'throttles':
    default:
      return build(
        300,
        ['InvocationThrottles'],
        'Sum',
        'SUM',
        'Throttles per 5 minutes',
        `Throttled invocations over ${threshold} per 5 minutes`,
      );
  }
}

function dashboardBody(
  spec: TenantSpec,
  profiles: PlannedProfile[],
  logGroupName: string,
): Record<string, unknown> {
  const { region, tenantId } = spec;
  const series = (metric: string, stat: string, suffix = '') =>
    profiles.map(p => [
      'AWS/Bedrock',
      metric,
      'ModelId',
      p.id,
      { label: `${p.modelId}${suffix}`, stat },
    ]);
  const widget = (
    title: string,
    metrics: unknown[],
    period: number,
    x: number,
    y: number,
  ) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region,
      view: 'timeSeries',
      stacked: false,
      period,
      metrics,
    },
  });
  const arns = profiles.map(p => JSON.stringify(p.arn)).join(', ');
  return {
    widgets: [
      {
        type: 'text',
        x: 0,
        y: 0,
        width: 24,
        height: 2,
        properties: {
          markdown: `# Bedrock tenant ${tenantId}\n${dashboardMarker(
            tenantId,
          )}`,
        },
      },
      widget('Invocations', series('Invocations', 'Sum'), 300, 0, 2),
      widget(
        'Tokens in / out',
        [
          ...series('InputTokenCount', 'Sum', ' in'),
          ...series('OutputTokenCount', 'Sum', ' out'),
        ],
        300,
        12,
        2,
      ),
      widget(
        'Latency (ms, average)',
        series('InvocationLatency', 'Average'),
        300,
        0,
        8,
      ),
      widget(
        'Client / server errors',
        [
          ...series('InvocationClientErrors', 'Sum', ' client'),
          ...series('InvocationServerErrors', 'Sum', ' server'),
        ],
        300,
        12,
        8,
      ),
      widget('Throttles', series('InvocationThrottles', 'Sum'), 300, 0, 14),
      {
        type: 'log',
        x: 12,
        y: 14,
        width: 12,
        height: 6,
        properties: {
          title: 'Invocations by caller and model (invocation logs)',
          region,
          view: 'table',
          query:
            `SOURCE '${logGroupName}' | fields @timestamp, identity.arn, modelId` +
            ` | filter modelId in [${arns}]` +
            ' | stats sum(input.inputTokenCount) as inTok, sum(output.outputTokenCount) as outTok, count(*) as calls by identity.arn, modelId',
        },
      },
    ],
  };
}

/**
 * Computes everything a tenant consists of. `existing` maps model id -> the profile that already
 * exists; models without one get `<pending:...>` placeholders (a dry run, or before creation).
 */
export function buildTenantPlan(
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  existing: Record<string, ProfileRef | undefined> = {},
): TenantPlan {
  const { tenantId, accountId, region } = spec;
  const names = tenantNames(tenantId);
  const tags = {
    [TAG_TENANT]: tenantId,
    [TAG_OWNER]: spec.owner,
    // lets the bedrock backend rebuild the tenant's binding from AWS
    [TAG_ENTITY_REF]: spec.entityRef,
    [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
  };
  const profiles: PlannedProfile[] = spec.models.map(modelId => {
    const model = cfg.models.find(m => m.id === modelId)!;
    const name = names.profileName(modelId);
    const found = existing[modelId];
    return {
      modelId,
      name,
      copyFrom: resolveCopyFrom(model.copyFrom, accountId, region),
      clientRequestToken: names.profileClientToken(modelId),
      id: found?.id ?? `<pending:${name}>`,
      arn:
        found?.arn ??
        `arn:aws:bedrock:${region}:${accountId}:application-inference-profile/<pending:${name}>`,
      exists: Boolean(found),
    };
  });
  const profileArns = profiles.map(p => p.arn);
  const roleArn = `arn:aws:iam::${accountId}:role/${names.roleName}`;
  const topicArn = `arn:aws:sns:${region}:${accountId}:${names.topicName}`;
  const alarms = ALARM_KINDS.map(kind =>
    alarmFor(
      kind,
      names.alarmName(kind),
      spec.thresholds[THRESHOLD_OF[kind]],
      profiles.map(p => p.id),
    ),
  );

  return {
    tenantId,
    accountId,
    region,
    tags,
    role: {
      name: names.roleName,
      arn: roleArn,
      trustPolicy: policy({
        Sid: 'TenantWorkloadsAssumeRole',
        Effect: 'Allow',
        Principal: principalBlock(spec.trustPrincipals),
        Action: 'sts:AssumeRole',
      }),
      invokePolicyName: names.invokePolicyName,
      invokePolicy: policy(
        {
          Sid: 'InvokeTenantInferenceProfiles',
          Effect: 'Allow',
          Action: INVOKE_ACTIONS,
          Resource: profileArns,
        },
        {
          Sid: 'InvokeModelsOnlyThroughTenantProfiles',
          Effect: 'Allow',
          Action: INVOKE_ACTIONS,
          Resource: [
            ...new Set(
              profiles.flatMap(p => underlyingModelArns(p.copyFrom, p.modelId)),
            ),
          ],
          Condition: {
            ArnEquals: { 'bedrock:InferenceProfileArn': profileArns },
          },
        },
        {
          Sid: 'ReadTenantInferenceProfiles',
          Effect: 'Allow',
          Action: 'bedrock:GetInferenceProfile',
          Resource: profileArns,
        },
      ),
    },
    profiles,
    topic: {
      name: names.topicName,
      arn: topicArn,
      emails: [...spec.notificationEmails].map(e => e.toLowerCase()).sort(),
      policy: policy(
        {
          Sid: 'AccountOwnerAccess',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: [
            'sns:GetTopicAttributes',
            'sns:SetTopicAttributes',
            'sns:Subscribe',
            'sns:ListSubscriptionsByTopic',
            'sns:Publish',
            'sns:DeleteTopic',
          ],
          Resource: topicArn,
        },
        {
          Sid: 'TenantAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topicArn,
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: {
              'aws:SourceArn': `arn:aws:cloudwatch:${region}:${accountId}:alarm:${names.alarmPrefix}*`,
            },
          },
        },
        {
          Sid: 'TenantBudgetPublish',
          Effect: 'Allow',
          Principal: { Service: 'budgets.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topicArn,
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:budgets::${accountId}:*` },
          },
        },
      ),
    },
    alarms,
    dashboard: {
      name: names.dashboardName,
      body: dashboardBody(spec, profiles, cfg.logging.logGroupName),
    },
    budget: {
      name: names.budgetName,
      limitUsd: spec.monthlyBudgetUsd,
      costFilterTag: budgetTagFilter(tenantId),
      notifications: BUDGET_NOTIFICATIONS,
      subscriberTopicArn: topicArn,
    },
    annotations: {
      [ANNOTATION_TENANT_ID]: tenantId,
      [ANNOTATION_ACCOUNT_ID]: accountId,
      [ANNOTATION_REGIONS]: region,
      [ANNOTATION_ATTRIBUTION]: 'inference-profile',
      [ANNOTATION_INFERENCE_PROFILES]: profiles
        .map(p => `${p.id}=${p.modelId}`)
        .join(','),
      [ANNOTATION_ALARM_PREFIX]: names.alarmPrefix,
      [ANNOTATION_BUDGET_NAME]: names.budgetName,
    },
  };
}
