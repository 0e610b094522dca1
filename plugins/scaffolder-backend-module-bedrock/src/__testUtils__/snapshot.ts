/* TEST-ONLY: a read-only snapshot of everything the actions can touch, read through the AWS APIs. */
import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListDashboardsCommand,
  ListTagsForResourceCommand as ListAlarmTags,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand as ListLogTags,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTags,
  ListTopicsCommand,
} from '@aws-sdk/client-sns';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { parsePolicy } from '../provisioning/policies';

const safe = async <T>(f: () => Promise<T>): Promise<T | string> => {
  try {
    return await f();
  } catch (e) {
    return `error:${(e as Error).name}`;
  }
};
const strip = (v: any) => {
  if (v && typeof v === 'object') delete v.$metadata;
  return v;
};
const byKey = <T>(list: T[], key: (t: T) => string) =>
  [...list].sort((a, b) => key(a).localeCompare(key(b)));

export async function snapshot(
  aws: AwsClients,
): Promise<Record<string, unknown>> {
  const roles = [];
  for (const r of byKey(
    (await aws.iam.send(new ListRolesCommand({}))).Roles ?? [],
    x => x.RoleName!,
  )) {
    const RoleName = r.RoleName!;
    const inline = [];
    for (const PolicyName of (
      await aws.iam.send(new ListRolePoliciesCommand({ RoleName }))
    ).PolicyNames ?? []) {
      const p = await aws.iam.send(
        new GetRolePolicyCommand({ RoleName, PolicyName }),
      );
      inline.push({ PolicyName, document: parsePolicy(p.PolicyDocument) });
    }
    roles.push({
      RoleName,
      trust: parsePolicy(r.AssumeRolePolicyDocument),
      tags: (await aws.iam.send(new ListRoleTagsCommand({ RoleName }))).Tags,
      inline,
      attached: (
        await aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))
      ).AttachedPolicies,
    });
  }
  const buckets = [];
  for (const b of byKey(
    (await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? [],
    x => x.Name!,
  )) {
    const Bucket = b.Name!;
    buckets.push({
      Bucket,
      tags: strip(
        await safe(() => aws.s3.send(new GetBucketTaggingCommand({ Bucket }))),
      ),
      versioning: strip(
        await safe(() =>
          aws.s3.send(new GetBucketVersioningCommand({ Bucket })),
        ),
      ),
      encryption: strip(
        await safe(() =>
          aws.s3.send(new GetBucketEncryptionCommand({ Bucket })),
        ),
      ),
      publicAccess: strip(
        await safe(() =>
          aws.s3.send(new GetPublicAccessBlockCommand({ Bucket })),
        ),
      ),
      lifecycle: strip(
        await safe(() =>
          aws.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
        ),
      ),
      policy: parsePolicy(
        (
          (await safe(() =>
            aws.s3.send(new GetBucketPolicyCommand({ Bucket })),
          )) as any
        )?.Policy,
      ),
    });
  }
  const topics = [];
  for (const t of byKey(
    (await aws.sns.send(new ListTopicsCommand({}))).Topics ?? [],
    x => x.TopicArn!,
  )) {
    const TopicArn = t.TopicArn!;
    const attrs =
      (await aws.sns.send(new GetTopicAttributesCommand({ TopicArn })))
        .Attributes ?? {};
    topics.push({
      TopicArn,
      policy: parsePolicy(attrs.Policy),
      tags: (await aws.sns.send(new ListTopicTags({ ResourceArn: TopicArn })))
        .Tags,
      subscriptions: byKey(
        (
          (
            await aws.sns.send(
              new ListSubscriptionsByTopicCommand({ TopicArn }),
            )
          ).Subscriptions ?? []
        ).map(s => ({
          Protocol: s.Protocol,
          Endpoint: s.Endpoint,
        })),
        s => `${s.Protocol}:${s.Endpoint}`,
      ),
    });
  }
  const alarms = [];
  for (const a of byKey(
    (await aws.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ??
      [],
    x => x.AlarmName!,
  )) {
    const {
      AlarmConfigurationUpdatedTimestamp,
      StateUpdatedTimestamp,
      StateReason,
      StateReasonData,
      StateValue,
      StateTransitionedTimestamp,
      ...rest
    } = a as any;
    alarms.push({
      ...rest,
      tags: (
        await aws.cloudwatch.send(
          new ListAlarmTags({ ResourceARN: a.AlarmArn }),
        )
      ).Tags,
    });
  }
  const dashboards = [];
  for (const d of byKey(
    (await aws.cloudwatch.send(new ListDashboardsCommand({})))
      .DashboardEntries ?? [],
    x => x.DashboardName!,
  )) {
    const body = (
      await aws.cloudwatch.send(
        new GetDashboardCommand({ DashboardName: d.DashboardName }),
      )
    ).DashboardBody;
    dashboards.push({ name: d.DashboardName, body: JSON.parse(body ?? '{}') });
  }
  const budgets = [];
  const described = await safe(() =>
    aws.budgets.send(new DescribeBudgetsCommand({ AccountId: aws.accountId })),
  );
  for (const b of typeof described === 'string'
    ? []
    : byKey(described.Budgets ?? [], x => x.BudgetName!)) {
    const notes = await aws.budgets.send(
      new DescribeNotificationsForBudgetCommand({
        AccountId: aws.accountId,
        BudgetName: b.BudgetName,
      }),
    );
    const { CalculatedSpend, LastUpdatedTime, TimePeriod, ...rest } = b as any;
    budgets.push({
      ...rest,
      notifications: byKey(notes.Notifications ?? [], n => JSON.stringify(n)),
    });
  }
  const logGroups = [];
  for (const g of (await aws.logs.send(new DescribeLogGroupsCommand({})))
    .logGroups ?? []) {
    logGroups.push({
      name: g.logGroupName,
      retention: g.retentionInDays,
      tags: (
        await aws.logs.send(
          new ListLogTags({ resourceArn: g.arn!.replace(/:\*$/, '') }),
        )
      ).tags,
    });
  }
  const logging = strip(
    await safe(() =>
      aws.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({})),
    ),
  );
  return {
    roles,
    buckets,
    topics,
    alarms,
    dashboards,
    budgets,
    logGroups,
    logging,
  };
}
