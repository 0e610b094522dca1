import {
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { ListRoleTagsCommand, paginateListRoles } from '@aws-sdk/client-iam';
import {
  MANAGED_BY_VALUE,
  REGION_PATTERN,
  TAG_ATTRIBUTION,
  parseBudgetEnforcementTag,
  TAG_BUDGET_ENFORCEMENT,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_PRINCIPAL_ARNS,
  TAG_REGIONS,
  TAG_TENANT,
  TENANT_ID_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AwsClientFactory,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { profileModelId, suiteProfileNames } from './profileModel';
import {
  ProfileSource,
  resolve,
  RoleSource,
  Source,
  TaggedTenant,
} from './tagEvidence';

export type { TaggedTenant };

/** Name prefix of the tenant roles the provisioning actions create. */
const TENANT_ROLE_PREFIX = tenantRoleName('');

/** The outcome of one read of the tags. */
export interface TagReading {
  tenants: TaggedTenant[];
  /** for the log: reads that failed, and resources tagged managed-by this suite that were ignored */
  errors: string[];
  /**
   * True when an account-region or an account's roles could not be read: the reading is partial,
   * and a tenant that looks consistent may have disagreeing tags in what was not read.
   */
  failed: boolean;
}

/**
 * Reads the bindings the suite's provisioning actions left in AWS, in the given accounts and
 * regions: the application inference profiles tagged managed-by this suite, with a tenant and an
 * entity-ref tag (inference-profile attribution), and the tenant roles, whose tags carry the
 * tenant's attribution mode, its regions and principals (`account` and `identity` tenants have no
 * profiles) and its opt-in to budget enforcement.
 *
 * Anyone who controls one of these accounts can tag resources, so only the resources named as the
 * suite names a tenant's count for it: the role `bedrock-tenant-<tenant id>` and the profiles named
 * `tenantProfileName(<tenant id>, <model>)` for the model they route to. Anything else tagged
 * managed-by is ignored and reported. A tenant whose resources disagree (two accounts, two entity
 * refs, a role saying `account` or `identity` while profiles exist) gets no binding: a conflict.
 */
export class TagBindingReader {
  readonly #clients: AwsClientFactory;

  static create(o: { clients: AwsClientFactory }) {
    return new TagBindingReader(o.clients);
  }

  private constructor(clients: AwsClientFactory) {
    this.#clients = clients;
  }

  async read(o: {
    accounts: string[];
    regions: string[];
    at: string;
  }): Promise<TagReading> {
    const profiles: ProfileSource[] = [];
    const roles: RoleSource[] = [];
    const errors: string[] = [];
    let failed = false;
    const fail = (where: string) => (e: unknown) => {
      failed = true;
      errors.push(`${where}: ${(e as Error).message}`);
    };
    // account-regions in parallel: one slow or unreachable account does not hold the others;
    // IAM is global: the roles once per account
    await Promise.all([
      ...o.accounts.flatMap(accountId =>
        o.regions.map(region =>
          this.#readProfiles(accountId, region, profiles, errors).catch(
            fail(`${accountId}/${region}`),
          ),
        ),
      ),
      ...o.accounts.map(accountId =>
        this.#readRoles(accountId, o.regions[0], roles, errors).catch(
          fail(`${accountId} (IAM roles)`),
        ),
      ),
    ]);
    const tenantIds = [
      ...new Set([...profiles, ...roles].map(s => s.tenantId)),
    ].sort();
    // in a set order, whichever account-region answered first
    const byWhere = (a: Source, b: Source) => a.where.localeCompare(b.where);
    const tenants = tenantIds.flatMap(tenantId => {
      const t = resolve(
        tenantId,
        profiles.filter(p => p.tenantId === tenantId).sort(byWhere),
        roles.filter(r => r.tenantId === tenantId).sort(byWhere),
        o.at,
      );
      return t ? [t] : [];
    });
    return { tenants, errors, failed };
  }

  async #readRoles(
    accountId: string,
    region: string,
    roles: RoleSource[],
    errors: string[],
  ) {
    const { iam } = await this.#clients.forTarget(accountId, region);
    for await (const page of paginateListRoles({ client: iam }, {})) {
      for (const role of page.Roles ?? []) {
        const RoleName = role.RoleName ?? '';
        if (!RoleName.startsWith(TENANT_ROLE_PREFIX)) continue;
        const { Tags = [] } = await iam.send(
          new ListRoleTagsCommand({ RoleName }),
        );
        const tag = (k: string) => Tags.find(t => t.Key === k)?.Value;
        if (tag(TAG_MANAGED_BY) !== MANAGED_BY_VALUE) continue;
        const where = `role ${RoleName} in ${accountId}`;
        const tenantId = tag(TAG_TENANT) ?? '';
        if (!TENANT_ID_PATTERN.test(tenantId)) {
          errors.push(`${where}: no valid ${TAG_TENANT} tag; ignored`);
          continue;
        }
        if (RoleName !== tenantRoleName(tenantId)) {
          errors.push(
            `${where} is tagged for tenant ${tenantId}, but that tenant's role is ${tenantRoleName(
              tenantId,
            )}; ignored`,
          );
          continue;
        }
        const entityRef = entityRefOf(tag(TAG_ENTITY_REF));
        if (!entityRef) {
          errors.push(`${where}: no valid ${TAG_ENTITY_REF} tag; ignored`);
          continue;
        }
        const attribution = tag(TAG_ATTRIBUTION);
        const regions = (tag(TAG_REGIONS) ?? '').split(' ').filter(Boolean);
        const principalArns =
          attribution === 'identity'
            ? (tag(TAG_PRINCIPAL_ARNS) ?? '').split(' ').filter(Boolean)
            : [];
        if (
          (attribution === 'account' || attribution === 'identity') &&
          (!regions.length ||
            regions.some(r => !REGION_PATTERN.test(r)) ||
            (attribution === 'identity' && !principalArns.length))
        ) {
          errors.push(
            `${where}: ${attribution} tenant without valid ${TAG_REGIONS}${
              attribution === 'identity' ? ` or ${TAG_PRINCIPAL_ARNS}` : ''
            } tags; ignored`,
          );
          continue;
        }
        roles.push({
          tenantId,
          accountId,
          entityRef,
          where,
          attribution,
          regions,
          principalArns,
          // the opt-in the create/update actions put on the role: a binding rebuilt from AWS keeps it
          budgetEnforcement: parseBudgetEnforcementTag(
            tag(TAG_BUDGET_ENFORCEMENT),
          ),
        });
      }
    }
  }

  async #readProfiles(
    accountId: string,
    region: string,
    profiles: ProfileSource[],
    errors: string[],
  ) {
    const { bedrock: client } = await this.#clients.forTarget(
      accountId,
      region,
    );
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListInferenceProfilesCommand({
          typeEquals: 'APPLICATION',
          nextToken,
        }),
      );
      nextToken = page.nextToken;
      for (const p of page.inferenceProfileSummaries ?? []) {
        if (!p.inferenceProfileArn || !p.inferenceProfileId) continue;
        const { tags = [] } = await client.send(
          new ListTagsForResourceCommand({
            resourceARN: p.inferenceProfileArn,
          }),
        );
        const tag = (k: string) => tags.find(t => t.key === k)?.value;
        if (tag(TAG_MANAGED_BY) !== MANAGED_BY_VALUE) continue;
        const name = p.inferenceProfileName ?? '';
        const where = `profile ${name} (${p.inferenceProfileArn})`;
        const tenantId = tag(TAG_TENANT) ?? '';
        if (!TENANT_ID_PATTERN.test(tenantId)) {
          errors.push(`${where}: no valid ${TAG_TENANT} tag; ignored`);
          continue;
        }
        const entityRef = entityRefOf(tag(TAG_ENTITY_REF));
        if (!entityRef) {
          errors.push(`${where}: no valid ${TAG_ENTITY_REF} tag; ignored`);
          continue;
        }
        // every model it routes to: a global profile's copy is priced as global, not regional
        const modelId = profileModelId(p.models);
        if (!modelId) {
          errors.push(`${where}: routes to no model; ignored`);
          continue;
        }
        if (!suiteProfileNames(tenantId, p.models).has(name)) {
          errors.push(
            `${where} is tagged for tenant ${tenantId}, but is not named as the suite names that tenant's profile of ${modelId}; ignored`,
          );
          continue;
        }
        profiles.push({
          tenantId,
          accountId,
          entityRef,
          where,
          region,
          profileId: p.inferenceProfileId,
          modelId,
        });
      }
    } while (nextToken);
  }
}

function entityRefOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    return undefined;
  }
}
