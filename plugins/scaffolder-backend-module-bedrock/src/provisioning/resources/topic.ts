/* The tenant's SNS topic: alarm and budget notifications, e-mail subscribers. */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  paginateListSubscriptionsByTopic,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { arns, tenantArns, tenantNames } from '../naming';
import { parsePolicy, policy, sameJson } from '../policies';
import { missingTags, tagList, tagMap, type Tags } from './tags';
import type { PlannedTopic } from '../types';

export interface TopicState {
  tags: Tags;
  policy: unknown;
}

type Sns = Pick<AwsClients, 'sns'>;

/** The topic: the account may manage it, the tenant's alarms and the account's budgets publish. */
export function planTopic(
  target: { tenantId: string; accountId: string; region: string },
  notificationEmails: string[],
): PlannedTopic {
  const { tenantId, accountId, region } = target;
  const topicArn = tenantArns(tenantId, accountId, region).topic;
  return {
    name: tenantNames(tenantId).topicName,
    arn: topicArn,
    emails: [...notificationEmails].map(e => e.toLowerCase()).sort(),
    policy: policy(
      {
        Sid: 'AccountOwnerAccess',
        Effect: 'Allow',
        Principal: { AWS: arns.accountRoot(accountId) },
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
            'aws:SourceArn': tenantArns(tenantId, accountId, region).alarms,
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
          ArnLike: { 'aws:SourceArn': arns.budgets(accountId) },
        },
      },
    ),
  };
}

export async function readTopic(
  aws: Sns,
  TopicArn: string,
): Promise<TopicState | undefined> {
  const topic = await orUndefined(
    () => aws.sns.send(new GetTopicAttributesCommand({ TopicArn })),
    'NotFoundException',
    'NotFound',
  );
  if (!topic) return undefined;
  const tags = await aws.sns.send(
    new ListTagsForResourceCommand({ ResourceArn: TopicArn }),
  );
  return {
    tags: tagMap(tags.Tags),
    policy: parsePolicy(topic.Attributes?.Policy),
  };
}

/** Creates or tags the topic, sets its policy and makes the e-mail subscriptions the planned ones. */
export async function convergeTopic(
  aws: Sns,
  topic: PlannedTopic,
  tags: Tags,
  current: TopicState | undefined,
  log: ChangeLog,
  logger?: LoggerService,
) {
  const TopicArn = topic.arn;
  if (!current) {
    await aws.sns.send(
      new CreateTopicCommand({ Name: topic.name, Tags: tagList(tags) }),
    );
    log.add(`Created topic ${TopicArn}`);
  } else {
    const missing = missingTags(current.tags, tags);
    if (missing) {
      await aws.sns.send(
        new TagResourceCommand({
          ResourceArn: TopicArn,
          Tags: tagList(missing),
        }),
      );
      log.add(`Tagged topic ${TopicArn}`);
    }
  }
  if (!sameJson(current?.policy, topic.policy)) {
    await aws.sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'Policy',
        AttributeValue: JSON.stringify(topic.policy),
      }),
    );
    log.add(`Set access policy of ${TopicArn}`);
  }
  const subs: Array<{ endpoint: string; arn: string }> = [];
  for await (const page of paginateListSubscriptionsByTopic(
    { client: aws.sns },
    { TopicArn },
  )) {
    for (const s of page.Subscriptions ?? []) {
      if (s.Protocol === 'email')
        subs.push({
          endpoint: s.Endpoint!.toLowerCase(),
          arn: s.SubscriptionArn!,
        });
    }
  }
  for (const email of topic.emails) {
    if (subs.some(s => s.endpoint === email)) continue;
    await aws.sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: email }),
    );
    log.add(`Subscribed ${email} to ${TopicArn}`);
  }
  for (const s of subs) {
    if (topic.emails.includes(s.endpoint)) continue;
    if (!s.arn.startsWith('arn:')) {
      logger?.warn(
        `Subscription of ${s.endpoint} is still pending confirmation and cannot be removed; it expires after 3 days`,
      );
      continue;
    }
    await aws.sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
    log.add(`Unsubscribed ${s.endpoint} from ${TopicArn}`);
  }
}

/** The e-mail endpoints subscribed to the topic (confirmed or pending), lower-cased. */
export async function readEmailSubscriptions(
  aws: Sns,
  TopicArn: string,
): Promise<string[]> {
  const emails: string[] = [];
  for await (const page of paginateListSubscriptionsByTopic(
    { client: aws.sns },
    { TopicArn },
  )) {
    for (const s of page.Subscriptions ?? []) {
      if (s.Protocol === 'email') emails.push(s.Endpoint!.toLowerCase());
    }
  }
  return emails;
}

export async function removeTopic(aws: Sns, TopicArn: string) {
  await aws.sns.send(new DeleteTopicCommand({ TopicArn }));
}
