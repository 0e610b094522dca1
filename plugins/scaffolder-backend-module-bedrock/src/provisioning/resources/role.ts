/* An IAM role with its trust policy, tags and inline policies (the tenant role, the log delivery role). */
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRoleTagsCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { parsePolicy, sameJson, type PolicyDocument } from '../policies';
import { missingTags, tagList, tagMap, type Tags } from './tags';

/** What IAM answers for a role or policy that does not exist. */
export const IAM_NOT_FOUND = ['NoSuchEntity', 'NoSuchEntityException'];

export interface RoleState {
  tags: Tags;
  trustPolicy: unknown;
}

export interface DesiredRole {
  name: string;
  description: string;
  trustPolicy: PolicyDocument;
  tags: Tags;
  /** tag keys the role must not keep unless `tags` has them (a binding tag of another mode) */
  dropTags?: string[];
}

type Iam = Pick<AwsClients, 'iam'>;

export async function readRole(
  aws: Iam,
  RoleName: string,
): Promise<RoleState | undefined> {
  const role = await orUndefined(
    () => aws.iam.send(new GetRoleCommand({ RoleName })),
    ...IAM_NOT_FOUND,
  );
  if (!role) return undefined;
  const tags = await aws.iam.send(new ListRoleTagsCommand({ RoleName }));
  return {
    tags: tagMap(tags.Tags),
    trustPolicy: parsePolicy(role.Role?.AssumeRolePolicyDocument),
  };
}

/** Creates the role, or brings its trust policy and tags to the desired ones. */
export async function convergeRole(
  aws: Iam,
  role: DesiredRole,
  current: RoleState | undefined,
  log: ChangeLog,
) {
  const RoleName = role.name;
  if (!current) {
    await aws.iam.send(
      new CreateRoleCommand({
        RoleName,
        AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
        Description: role.description,
        Tags: tagList(role.tags),
      }),
    );
    log.add(`Created role ${RoleName}`, { trustPolicy: role.trustPolicy });
    return;
  }
  if (!sameJson(current.trustPolicy, role.trustPolicy)) {
    await aws.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName,
        PolicyDocument: JSON.stringify(role.trustPolicy),
      }),
    );
    log.add(`Updated trust policy of ${RoleName}`, {
      trustPolicy: role.trustPolicy,
    });
  }
  const missing = missingTags(current.tags, role.tags);
  if (missing) {
    await aws.iam.send(
      new TagRoleCommand({ RoleName, Tags: tagList(missing) }),
    );
    log.add(`Tagged role ${RoleName}`);
  }
  const stale = (role.dropTags ?? []).filter(
    k => k in current.tags && !(k in role.tags),
  );
  if (stale.length) {
    await untagRole(aws, RoleName, stale);
    log.add(`Untagged role ${RoleName}`, { keys: stale });
  }
}

export async function tagRole(aws: Iam, RoleName: string, tags: Tags) {
  await aws.iam.send(new TagRoleCommand({ RoleName, Tags: tagList(tags) }));
}

export async function untagRole(aws: Iam, RoleName: string, keys: string[]) {
  await aws.iam.send(new UntagRoleCommand({ RoleName, TagKeys: keys }));
}

export async function readInlinePolicy(
  aws: Iam,
  RoleName: string,
  PolicyName: string,
): Promise<unknown | undefined> {
  const current = await orUndefined(
    () => aws.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })),
    ...IAM_NOT_FOUND,
  );
  return current && (parsePolicy(current.PolicyDocument) ?? null);
}

/** Puts an inline policy unless the role has it already; `change` describes the put. */
export async function convergeInlinePolicy(
  aws: Iam,
  RoleName: string,
  PolicyName: string,
  policy: PolicyDocument,
  log: ChangeLog,
  change = `Put policy ${PolicyName} on ${RoleName}`,
) {
  const current = await readInlinePolicy(aws, RoleName, PolicyName);
  if (sameJson(current, policy)) return;
  await aws.iam.send(
    new PutRolePolicyCommand({
      RoleName,
      PolicyName,
      PolicyDocument: JSON.stringify(policy),
    }),
  );
  log.add(change, { policy });
}

/** Removes an inline policy; false when the role did not have it. */
export async function removeInlinePolicy(
  aws: Iam,
  RoleName: string,
  PolicyName: string,
): Promise<boolean> {
  const current = await readInlinePolicy(aws, RoleName, PolicyName);
  if (current === undefined) return false;
  await aws.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
  return true;
}

/** Deletes the role after its inline policies and detaches its managed ones (IAM requires it). */
export async function removeRole(aws: Iam, RoleName: string) {
  // listed in full before the first change: deleting while paging could skip a page
  const inline: string[] = [];
  for await (const page of paginateListRolePolicies(
    { client: aws.iam },
    { RoleName },
  )) {
    inline.push(...(page.PolicyNames ?? []));
  }
  const attached: string[] = [];
  for await (const page of paginateListAttachedRolePolicies(
    { client: aws.iam },
    { RoleName },
  )) {
    attached.push(...(page.AttachedPolicies ?? []).map(p => p.PolicyArn!));
  }
  for (const PolicyName of inline) {
    await aws.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
  }
  for (const PolicyArn of attached) {
    await aws.iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn }));
  }
  await aws.iam.send(new DeleteRoleCommand({ RoleName }));
}
