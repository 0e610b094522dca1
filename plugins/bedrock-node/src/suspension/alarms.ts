/* The alarm side of a suspension: reading a tenant's alarms and turning their actions off or on. */
import {
  ListTagsForResourceCommand,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { GetRoleCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../clients';
import { orUndefined } from '../errors';
import type { SuspensionTarget, TenantAlarm } from './types';

const tagMap = (tags: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']));

/**
 * Turns alarm actions off or on by putting each alarm again with its own configuration
 * (what Disable/EnableAlarmActions do, through the call every emulator supports).
 *
 * @public
 */
export async function setAlarmActions(
  aws: Pick<AwsClients, 'cloudwatch'>,
  alarms: MetricAlarm[],
  enabled: boolean,
) {
  for (const a of alarms) {
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: a.AlarmName,
        AlarmDescription: a.AlarmDescription,
        ActionsEnabled: enabled,
        OKActions: a.OKActions,
        AlarmActions: a.AlarmActions,
        InsufficientDataActions: a.InsufficientDataActions,
        MetricName: a.MetricName,
        Namespace: a.Namespace,
        Statistic: a.Statistic,
        ExtendedStatistic: a.ExtendedStatistic,
        Dimensions: a.Dimensions?.length ? a.Dimensions : undefined,
        Period: a.Period,
        Unit: a.Unit,
        EvaluationPeriods: a.EvaluationPeriods,
        DatapointsToAlarm: a.DatapointsToAlarm,
        Threshold: a.Threshold,
        ComparisonOperator: a.ComparisonOperator,
        TreatMissingData: a.TreatMissingData,
        EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
        Metrics: a.Metrics,
        ThresholdMetricId: a.ThresholdMetricId,
      }),
    );
  }
}

/**
 * The tags of an IAM role; undefined when the role does not exist.
 *
 * @public
 */
export async function readRoleTags(
  aws: Pick<AwsClients, 'iam'>,
  RoleName: string,
): Promise<Record<string, string> | undefined> {
  const res = await orUndefined(
    () => aws.iam.send(new ListRoleTagsCommand({ RoleName })),
    'NoSuchEntity',
    'NoSuchEntityException',
  );
  return res && tagMap(res.Tags);
}

/**
 * Reads what a suspension works on without the rest of the tenant: its role and tags, and the
 * tenant's alarms: those with exactly one of `alarmNames` (read by name, never by prefix: tenant
 * `checkout`'s prefix also starts `checkout-assistant`'s alarm names) that `isOwn` accepts by their
 * tags (the suite's, for this tenant). Undefined when the role does not exist (a tenant the suite
 * did not provision cannot be suspended), or when `isOwn` rejects the role.
 *
 * @public
 */
export async function readSuspensionTarget(
  aws: Pick<AwsClients, 'iam' | 'cloudwatch'>,
  o: {
    roleName: string;
    /** the start of the tenant's alarm names; what follows it is the kind suspend records */
    alarmPrefix: string;
    /**
     * every alarm name of the tenant, the same in each region: `<alarmPrefix><kind>` per kind
     * (`tenantAlarmNames` of plugin-bedrock-common)
     */
    alarmNames: readonly string[];
    isOwn: (tags: Record<string, string>) => boolean;
    /** the tenant's other regions, whose alarms a suspension turns off too */
    otherRegions?: Array<{
      region: string;
      aws: Pick<AwsClients, 'cloudwatch'>;
    }>;
  },
): Promise<SuspensionTarget | undefined> {
  const RoleName = o.roleName;
  const role = await orUndefined(
    () => aws.iam.send(new GetRoleCommand({ RoleName })),
    'NoSuchEntity',
    'NoSuchEntityException',
  );
  if (!role) return undefined;
  const roleTags = tagMap(
    (await aws.iam.send(new ListRoleTagsCommand({ RoleName }))).Tags,
  );
  if (!o.isOwn(roleTags)) return undefined;
  const otherRegions = [];
  for (const r of o.otherRegions ?? []) {
    otherRegions.push({ ...r, alarms: await readOwnAlarms(r.aws, o) });
  }
  return {
    roleName: RoleName,
    roleTags,
    alarmPrefix: o.alarmPrefix,
    alarms: await readOwnAlarms(aws, o),
    ...(otherRegions.length && { otherRegions }),
  };
}

/** DescribeAlarms takes at most this many alarm names. */
const MAX_ALARM_NAMES = 100;

/** The alarms with exactly one of the names that `isOwn` accepts by their tags, in the clients' region. */
async function readOwnAlarms(
  aws: Pick<AwsClients, 'cloudwatch'>,
  o: {
    alarmNames: readonly string[];
    isOwn: (tags: Record<string, string>) => boolean;
  },
): Promise<TenantAlarm[]> {
  const wanted = [...new Set(o.alarmNames)];
  const alarms: TenantAlarm[] = [];
  for (let i = 0; i < wanted.length; i += MAX_ALARM_NAMES) {
    const AlarmNames = wanted.slice(i, i + MAX_ALARM_NAMES);
    for await (const page of paginateDescribeAlarms(
      { client: aws.cloudwatch },
      { AlarmNames },
    )) {
      for (const a of page.MetricAlarms ?? []) {
        // emulators may ignore the names: filter again, before reading any other alarm's tags
        if (!a.AlarmName || !AlarmNames.includes(a.AlarmName)) continue;
        const tags = tagMap(
          (
            await aws.cloudwatch.send(
              new ListTagsForResourceCommand({ ResourceARN: a.AlarmArn }),
            )
          ).Tags,
        );
        if (o.isOwn(tags)) alarms.push({ ...a, tags });
      }
    }
  }
  return alarms;
}
