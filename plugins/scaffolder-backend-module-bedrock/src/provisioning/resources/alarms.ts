/*
 * The tenant's CloudWatch metric-math alarms, one per kind, over all of its profiles. The `ttft`
 * kind is optional: planned only when the tenant's thresholds set `ttftMs`, so when it is later
 * unset the alarm is no longer planned and converge deletes it as any other stale alarm.
 */
import {
  DeleteAlarmsCommand,
  ListTagsForResourceCommand,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  TagResourceCommand,
  type MetricAlarm,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  isTenantAlarmName,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import type { AlarmThresholds } from '../../config';
import type { ChangeLog } from '../changes';
import { ALARM_KINDS, type AlarmKind, type TenantNames } from '../naming';
import { sameJson } from '../policies';
import {
  isTenants,
  missingTags,
  tagList,
  tagMap,
  tenantOwnershipProblem,
  type Tags,
} from './tags';
import type { PlannedAlarm } from '../types';

export type AlarmState = MetricAlarm & { tags: Tags };

type CloudWatch = Pick<AwsClients, 'cloudwatch'>;

const THRESHOLD_OF: Record<AlarmKind, keyof AlarmThresholds> = {
  tokens: 'tokensPerHour',
  errors: 'errorsPer5Minutes',
  invocations: 'invocationsPerHour',
  latency: 'latencyMs',
  throttles: 'throttlesPer5Minutes',
  ttft: 'ttftMs',
};

/** True when the alarm has exactly one of the tenant's alarm names (never by prefix). */
const isAlarmName = (names: TenantNames, alarmName: string | undefined) =>
  isTenantAlarmName(names.alarmPrefix, alarmName);

/**
 * Every alarm kind over the given profiles, with the tenant's thresholds; an optional kind (`ttft`)
 * only when its threshold is set.
 */
export function planAlarms(
  names: TenantNames,
  thresholds: AlarmThresholds,
  profileIds: string[],
): PlannedAlarm[] {
  return ALARM_KINDS.flatMap(kind => {
    const threshold = thresholds[THRESHOLD_OF[kind]];
    return threshold === undefined
      ? []
      : [planAlarm(kind, names.alarmName(kind), threshold, profileIds)];
  });
}

function planAlarm(
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
    case 'ttft':
      // as latency: the average per model, the alarm on the worst one
      return build(
        300,
        ['TimeToFirstToken'],
        'Average',
        'MAX',
        'Average time to first token (ms)',
        `Average time to first token of a model over ${threshold} ms`,
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

/**
 * The tenant's alarms: those with exactly one of its alarm names, and those tagged for it (what
 * an older suite version may have left under other names, for delete and converge to remove).
 * The prefix only narrows the listing: tenant `checkout`'s prefix also lists
 * `checkout-assistant`'s alarms, which are neither and are dropped.
 */
export async function readAlarms(
  aws: CloudWatch,
  names: TenantNames,
  tenantId: string,
): Promise<AlarmState[]> {
  const found: AlarmState[] = [];
  for await (const page of paginateDescribeAlarms(
    { client: aws.cloudwatch },
    { AlarmNamePrefix: names.alarmPrefix },
  )) {
    for (const a of page.MetricAlarms ?? []) {
      // emulators may ignore the prefix: filter again
      if (!a.AlarmName?.startsWith(names.alarmPrefix)) continue;
      const res = await aws.cloudwatch.send(
        new ListTagsForResourceCommand({ ResourceARN: a.AlarmArn }),
      );
      const tags = tagMap(res.Tags);
      if (tags[TAG_TENANT] === tenantId || isAlarmName(names, a.AlarmName))
        found.push({ ...a, tags });
    }
  }
  return found;
}

/** The alarms the suite made for this tenant. */
export const ownAlarms = (alarms: AlarmState[], tenantId: string) =>
  alarms.filter(a => isTenants(a.tags, tenantId));

/** Every alarm with one of the tenant's alarm names must be the tenant's. */
export const alarmProblems = (
  alarms: AlarmState[],
  names: TenantNames,
  tenantId: string,
) =>
  alarms
    .filter(a => isAlarmName(names, a.AlarmName))
    .map(a => tenantOwnershipProblem(`alarm ${a.AlarmName}`, a.tags, tenantId));

/** Puts every planned alarm that differs, tags those that lack tags, deletes the tenant's others. */
export async function convergeAlarms(
  aws: CloudWatch,
  plan: {
    tenantId: string;
    tags: Tags;
    topicArn: string;
    alarms: PlannedAlarm[];
  },
  current: AlarmState[],
  log: ChangeLog,
) {
  for (const alarm of plan.alarms) {
    const have = current.find(a => a.AlarmName === alarm.name);
    if (have && sameAlarm(have, alarm, plan.topicArn)) {
      const missing = missingTags(have.tags, plan.tags);
      if (missing) {
        await aws.cloudwatch.send(
          new TagResourceCommand({
            ResourceARN: have.AlarmArn,
            Tags: tagList(missing),
          }),
        );
        log.add(`Tagged alarm ${alarm.name}`);
      }
      continue;
    }
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarm.name,
        AlarmDescription: `Bedrock tenant ${plan.tenantId}: ${alarm.description}`,
        ActionsEnabled: true,
        AlarmActions: [plan.topicArn],
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: alarm.threshold,
        TreatMissingData: 'notBreaching',
        Metrics: alarm.metrics,
        Tags: tagList(plan.tags),
      }),
    );
    if (have) {
      // PutMetricAlarm tags only new alarms
      await aws.cloudwatch.send(
        new TagResourceCommand({
          ResourceARN: have.AlarmArn,
          Tags: tagList(plan.tags),
        }),
      );
    }
    log.add(`${have ? 'Updated' : 'Created'} alarm ${alarm.name}`, {
      threshold: alarm.threshold,
    });
  }
  const desired = new Set(plan.alarms.map(a => a.name));
  const stale = ownAlarms(current, plan.tenantId)
    .map(a => a.AlarmName!)
    .filter(n => !desired.has(n));
  if (stale.length) {
    await removeAlarms(aws, stale);
    log.add(`Deleted alarms ${stale.join(', ')}`);
  }
}

export async function removeAlarms(aws: CloudWatch, alarmNames: string[]) {
  await aws.cloudwatch.send(
    new DeleteAlarmsCommand({ AlarmNames: alarmNames }),
  );
}

/** Turns alarm actions off or on (shared with budget enforcement, in plugin-bedrock-node). */
export { setAlarmActions } from '@bedrock-tenancy/plugin-bedrock-node';

/** An alarm's metric queries in one comparable shape (as AWS returns them, or as planned). */
export function normMetrics(ms: MetricDataQuery[] | undefined) {
  return (ms ?? []).map(m => ({
    Id: m.Id,
    Expression: m.Expression ?? null,
    Label: m.Expression ? m.Label ?? null : null,
    ReturnData: m.ReturnData ?? true,
    Stat: m.MetricStat
      ? {
          Namespace: m.MetricStat.Metric?.Namespace,
          MetricName: m.MetricStat.Metric?.MetricName,
          Dimensions: (m.MetricStat.Metric?.Dimensions ?? []).map(d => [
            d.Name,
            d.Value,
          ]),
          Period: Number(m.MetricStat.Period),
          Stat: m.MetricStat.Stat,
        }
      : null,
  }));
}

function sameAlarm(
  current: MetricAlarm,
  alarm: PlannedAlarm,
  topicArn: string,
) {
  return (
    Number(current.Threshold) === alarm.threshold &&
    current.ComparisonOperator === 'GreaterThanThreshold' &&
    Number(current.EvaluationPeriods) === 1 &&
    current.TreatMissingData === 'notBreaching' &&
    current.ActionsEnabled === true &&
    sameJson(current.AlarmActions ?? [], [topicArn]) &&
    sameJson(normMetrics(current.Metrics), normMetrics(alarm.metrics))
  );
}
