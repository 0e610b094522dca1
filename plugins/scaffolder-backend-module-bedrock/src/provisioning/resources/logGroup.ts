/* The shared CloudWatch Logs group Bedrock delivers invocation logs to, with its retention. */
import {
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { isManaged, type Tags } from './tags';

export interface LogGroupState {
  tags: Tags;
  retentionDays?: number;
}

type Logs = Pick<AwsClients, 'logs'>;

export async function readLogGroup(
  aws: Logs,
  logGroup: { name: string; arn: string },
): Promise<LogGroupState | undefined> {
  const res = await aws.logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroup.name }),
  );
  const group = res.logGroups?.find(g => g.logGroupName === logGroup.name);
  if (!group) return undefined;
  const tags = await aws.logs.send(
    new ListTagsForResourceCommand({ resourceArn: logGroup.arn }),
  );
  return { tags: tags.tags ?? {}, retentionDays: group.retentionInDays };
}

/** Creates the group (or marks it the suite's) and sets its retention. */
export async function convergeLogGroup(
  aws: Logs,
  logGroup: { name: string; arn: string; retentionDays: number },
  tags: Tags,
  current: LogGroupState | undefined,
  log: ChangeLog,
) {
  const name = logGroup.name;
  if (!current) {
    await aws.logs.send(
      new CreateLogGroupCommand({ logGroupName: name, tags }),
    );
    log.add(`Created log group ${name}`);
  } else if (!isManaged(current.tags)) {
    await aws.logs.send(
      new TagResourceCommand({ resourceArn: logGroup.arn, tags }),
    );
    log.add(`Tagged log group ${name} as managed by this suite`);
  }
  if (current?.retentionDays !== logGroup.retentionDays) {
    await aws.logs.send(
      new PutRetentionPolicyCommand({
        logGroupName: name,
        retentionInDays: logGroup.retentionDays,
      }),
    );
    log.add(`Set retention of ${name} to ${logGroup.retentionDays} days`);
  }
}
