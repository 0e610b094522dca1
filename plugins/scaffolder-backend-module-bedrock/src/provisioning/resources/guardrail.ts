/* The tenant's Bedrock guardrail: a draft the tenant's policies are written to and a published version workloads use. */
import {
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  DeleteGuardrailCommand,
  GetGuardrailCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateGuardrailCommand,
  paginateListGuardrails,
  type GetGuardrailResponse,
} from '@aws-sdk/client-bedrock';
import { createHash } from 'node:crypto';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import type { GuardrailRequest } from '../types';
import { sameJson } from '../policies';
import { lowerTagList, lowerTagMap, missingTags, type Tags } from './tags';
import type { GuardrailRef, PlannedGuardrail } from '../types';

type Bedrock = Pick<AwsClients, 'bedrock'>;

export interface GuardrailState {
  id: string;
  arn: string;
  tags: Tags;
  /** the draft's policies, as the request that would produce them */
  draft: GuardrailRequest;
  /** newest published version and its policies */
  version?: { number: string; request: GuardrailRequest };
}

const hash = (s: string, n = 32) =>
  createHash('sha256').update(s).digest('hex').slice(0, n);

/** A version token per content: a retried run publishes the same content once. */
export const versionToken = (tenantId: string, request: GuardrailRequest) =>
  `bt-${hash(`${tenantId}:${canonical(request)}`)}`;

export const guardrailClientToken = (tenantId: string) =>
  `bt-${hash(`${tenantId}:guardrail`)}`;

/** `arn:...:guardrail/ID:VERSION`: the value of the bedrock:GuardrailIdentifier condition key. */
export const guardrailIdentifier = (g: { arn: string; version: string }) =>
  `${g.arn}:${g.version}`;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .filter(k => (v as any)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** GetGuardrail's answer as the request fields the suite manages (AWS adds others: ignored). */
function asRequest(g: GetGuardrailResponse): GuardrailRequest {
  const filters = (g.contentPolicy?.filters ?? []).map(f => ({
    type: f.type!,
    inputStrength: f.inputStrength!,
    outputStrength: f.outputStrength!,
  }));
  const topics = (g.topicPolicy?.topics ?? []).map(t => ({
    name: t.name!,
    definition: t.definition!,
    examples: t.examples ?? [],
    type: 'DENY' as const,
  }));
  const pii = (g.sensitiveInformationPolicy?.piiEntities ?? []).map(p => ({
    type: p.type!,
    action: p.action!,
  }));
  return {
    blockedInputMessaging: g.blockedInputMessaging,
    blockedOutputsMessaging: g.blockedOutputsMessaging,
    ...(filters.length
      ? { contentPolicyConfig: { filtersConfig: filters } }
      : {}),
    ...(topics.length ? { topicPolicyConfig: { topicsConfig: topics } } : {}),
    ...(pii.length
      ? { sensitiveInformationPolicyConfig: { piiEntitiesConfig: pii } }
      : {}),
  };
}

/** Same policies, whatever the order AWS lists them in. */
export function sameGuardrail(a: GuardrailRequest, b: GuardrailRequest) {
  const sorted = (r: GuardrailRequest) => ({
    ...r,
    contentPolicyConfig: r.contentPolicyConfig && {
      filtersConfig: [...(r.contentPolicyConfig.filtersConfig ?? [])].sort(
        (x, y) => String(x.type).localeCompare(String(y.type)),
      ),
    },
    topicPolicyConfig: r.topicPolicyConfig && {
      topicsConfig: [...(r.topicPolicyConfig.topicsConfig ?? [])].sort((x, y) =>
        String(x.name).localeCompare(String(y.name)),
      ),
    },
    sensitiveInformationPolicyConfig: r.sensitiveInformationPolicyConfig && {
      piiEntitiesConfig: [
        ...(r.sensitiveInformationPolicyConfig.piiEntitiesConfig ?? []),
      ].sort((x, y) => String(x.type).localeCompare(String(y.type))),
    },
  });
  return sameJson(
    JSON.parse(canonical(sorted(a))),
    JSON.parse(canonical(sorted(b))),
  );
}

/** The guardrail with this name in the account and region, with its tags and newest version. */
export async function readGuardrail(
  aws: Bedrock,
  name: string,
): Promise<GuardrailState | undefined> {
  let found: { id: string; arn: string } | undefined;
  for await (const page of paginateListGuardrails(
    { client: aws.bedrock },
    {},
  )) {
    const g = page.guardrails?.find(x => x.name === name);
    if (g) found = { id: g.id!, arn: g.arn! };
  }
  if (!found) return undefined;
  const versions: number[] = [];
  for await (const page of paginateListGuardrails(
    { client: aws.bedrock },
    { guardrailIdentifier: found.id },
  )) {
    for (const v of page.guardrails ?? [])
      if (/^\d+$/.test(v.version ?? '')) versions.push(Number(v.version));
  }
  const get = (guardrailVersion?: string) =>
    aws.bedrock.send(
      new GetGuardrailCommand({
        guardrailIdentifier: found!.id,
        guardrailVersion,
      }),
    );
  const newest = versions.length ? String(Math.max(...versions)) : undefined;
  const { tags } = await aws.bedrock.send(
    new ListTagsForResourceCommand({ resourceARN: found.arn }),
  );
  return {
    ...found,
    tags: lowerTagMap(tags),
    draft: asRequest(await get()),
    version: newest
      ? { number: newest, request: asRequest(await get(newest)) }
      : undefined,
  };
}

/**
 * Creates the guardrail or brings its draft to the plan, publishes a version when the newest one
 * differs from the plan, and adds missing tags. Returns the version workloads use.
 */
export async function convergeGuardrail(
  aws: Bedrock,
  tenantId: string,
  planned: PlannedGuardrail,
  tags: Tags,
  current: GuardrailState | undefined,
  log: ChangeLog,
): Promise<GuardrailRef> {
  let id = current?.id;
  let arn = current?.arn;
  if (!current) {
    const made = await aws.bedrock.send(
      new CreateGuardrailCommand({
        name: planned.name,
        description: `Bedrock tenant ${tenantId}`,
        ...planned.request,
        tags: lowerTagList(tags),
        clientRequestToken: planned.clientRequestToken,
      }),
    );
    id = made.guardrailId!;
    arn = made.guardrailArn!;
    log.add(`Created guardrail ${planned.name}`, { arn });
  } else {
    if (!sameGuardrail(current.draft, planned.request)) {
      await aws.bedrock.send(
        new UpdateGuardrailCommand({
          guardrailIdentifier: id,
          name: planned.name,
          description: `Bedrock tenant ${tenantId}`,
          ...planned.request,
        }),
      );
      log.add(`Updated guardrail ${planned.name}`, { arn });
    }
    const missing = missingTags(current.tags, tags);
    if (missing) {
      await aws.bedrock.send(
        new TagResourceCommand({
          resourceARN: arn,
          tags: lowerTagList(missing),
        }),
      );
      log.add(`Tagged guardrail ${planned.name}`);
    }
  }
  if (
    current?.version &&
    sameGuardrail(current.version.request, planned.request)
  )
    return { id: id!, arn: arn!, version: current.version.number };
  await waitReady(aws, id!);
  const v = await aws.bedrock.send(
    new CreateGuardrailVersionCommand({
      guardrailIdentifier: id,
      description: `Published by bedrock-tenancy for tenant ${tenantId}`,
      clientRequestToken: versionToken(tenantId, planned.request),
    }),
  );
  log.add(`Published version ${v.version} of guardrail ${planned.name}`, {
    arn,
  });
  return { id: id!, arn: arn!, version: v.version! };
}

/** A guardrail is CREATING or UPDATING for a moment after a change; a version needs it READY. */
async function waitReady(aws: Bedrock, id: string, tries = 30) {
  for (let i = 0; i < tries; i++) {
    const g = await aws.bedrock.send(
      new GetGuardrailCommand({ guardrailIdentifier: id }),
    );
    if (g.status === 'READY') return;
    if (g.status === 'FAILED')
      throw new Error(
        `Guardrail ${id} failed: ${(g.statusReasons ?? []).join('; ')}`,
      );
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`Guardrail ${id} was not READY after ${tries} s`);
}

/** Deletes the guardrail and every version of it. */
export async function removeGuardrail(aws: Bedrock, arn: string) {
  await aws.bedrock.send(
    new DeleteGuardrailCommand({ guardrailIdentifier: arn }),
  );
}
