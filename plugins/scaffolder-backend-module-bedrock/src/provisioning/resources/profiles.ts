/* The tenant's application inference profiles: one per model, the unit of cost and usage attribution. */
import {
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  ListTagsForResourceCommand,
  paginateListInferenceProfiles,
  type InferenceProfileSummary,
} from '@aws-sdk/client-bedrock';
import { TAG_TENANT } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { profileIdFromArn } from '../naming';
import type { ProfileRef, TenantPlan } from '../types';
import { lowerTagList, lowerTagMap, type Tags } from './tags';

export type ProfileState = InferenceProfileSummary & { tags: Tags };

type Bedrock = Pick<AwsClients, 'bedrock'>;

/** The application profiles tagged for the tenant or carrying one of `names`. */
export async function readProfiles(
  aws: Bedrock,
  tenantId: string,
  names: string[],
): Promise<ProfileState[]> {
  const found: ProfileState[] = [];
  for await (const page of paginateListInferenceProfiles(
    { client: aws.bedrock },
    { typeEquals: 'APPLICATION', maxResults: 100 },
  )) {
    for (const p of page.inferenceProfileSummaries ?? []) {
      const res = await aws.bedrock.send(
        new ListTagsForResourceCommand({ resourceARN: p.inferenceProfileArn! }),
      );
      const tags = lowerTagMap(res.tags);
      if (
        tags[TAG_TENANT] === tenantId ||
        names.includes(p.inferenceProfileName!)
      ) {
        found.push({ ...p, tags });
      }
    }
  }
  return found;
}

/** The existing profiles of the given models, by model id. */
export function existingProfiles(
  current: ProfileState[],
  models: string[],
  profileName: (modelId: string) => string,
): Record<string, ProfileRef> {
  const existing: Record<string, ProfileRef> = {};
  for (const modelId of models) {
    const p = current.find(
      x => x.inferenceProfileName === profileName(modelId),
    );
    if (p) {
      existing[modelId] = {
        id: p.inferenceProfileId!,
        arn: p.inferenceProfileArn!,
      };
    }
  }
  return existing;
}

/** Creates the planned profiles that do not exist yet; returns every model's profile. */
export async function createMissingProfiles(
  aws: Bedrock,
  plan: Pick<TenantPlan, 'tenantId' | 'tags' | 'profiles'>,
  existing: Record<string, ProfileRef>,
  log: ChangeLog,
): Promise<Record<string, ProfileRef>> {
  const all = { ...existing };
  for (const p of plan.profiles.filter(x => !x.exists)) {
    const res = await aws.bedrock.send(
      new CreateInferenceProfileCommand({
        inferenceProfileName: p.name,
        description: `Bedrock tenant ${plan.tenantId}: ${p.modelId}`,
        clientRequestToken: p.clientRequestToken,
        modelSource: { copyFrom: p.copyFrom },
        tags: lowerTagList(plan.tags),
      }),
    );
    const arn = res.inferenceProfileArn!;
    all[p.modelId] = { id: profileIdFromArn(arn), arn };
    log.add(`Created inference profile ${p.name}`, { modelId: p.modelId, arn });
  }
  return all;
}

/**
 * Deletes the tenant's profiles that are not planned (all of them without a plan). Only call it
 * once the invoke policy no longer grants them.
 */
export async function removeProfiles(
  aws: Bedrock,
  current: ProfileState[],
  tenantId: string,
  plan: Pick<TenantPlan, 'profiles'> | undefined,
  done: (what: string) => void,
) {
  const desired = new Set(plan?.profiles.map(p => p.name) ?? []);
  for (const p of current) {
    if (desired.has(p.inferenceProfileName!) || p.tags[TAG_TENANT] !== tenantId)
      continue;
    await aws.bedrock.send(
      new DeleteInferenceProfileCommand({
        inferenceProfileIdentifier: p.inferenceProfileArn!,
      }),
    );
    done(`inference profile ${p.inferenceProfileName}`);
  }
}
