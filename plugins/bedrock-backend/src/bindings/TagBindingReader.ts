import {
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { ListRoleTagsCommand, paginateListRoles } from '@aws-sdk/client-iam';
import {
  defaultAlarmPrefix,
  defaultBudgetName,
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
  readRoleTags,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { profileModelId } from './profileModel';
import { TenantBinding } from './types';

/** Name prefix of the tenant roles the provisioning actions create. */
const TENANT_ROLE_PREFIX = 'bedrock-tenant-';

/**
 * Reads the bindings the suite's provisioning actions left in AWS, in the given accounts and
 * regions: every application inference profile tagged managed-by this suite, with a tenant and an
 * entity-ref tag (inference-profile attribution), and every tenant role whose tags say it is an
 * `account` or `identity` tenant (these have no profiles; the role's tags carry their regions and,
 * for identity, their principals). One binding per tenant.
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
  }): Promise<{ bindings: TenantBinding[]; errors: string[] }> {
    const byTenant = new Map<string, TenantBinding>();
    const errors: string[] = [];
    // account-regions in parallel: one slow or unreachable account does not hold the others
    await Promise.all(
      o.accounts.flatMap(accountId =>
        o.regions.map(region =>
          this.#readOne(accountId, region, o.at, byTenant, errors).catch(e =>
            errors.push(`${accountId}/${region}: ${(e as Error).message}`),
          ),
        ),
      ),
    );
    // IAM is global: the roles once per account, after the profiles (a tenant found with
    // profiles keeps that binding; a role that says otherwise is reported)
    for (const accountId of o.accounts) {
      await this.#readRoles(
        accountId,
        o.regions[0],
        o.at,
        byTenant,
        errors,
      ).catch(e =>
        errors.push(`${accountId} (IAM roles): ${(e as Error).message}`),
      );
    }
    // every tenant's opt-in to budget enforcement, from its role's tags
    await Promise.all(
      [...byTenant.values()].map(b =>
        this.#readOptIn(b).catch(e =>
          errors.push(
            `tenant ${b.tenantId}: role tags: ${(e as Error).message}`,
          ),
        ),
      ),
    );
    return { bindings: [...byTenant.values()], errors };
  }

  async #readRoles(
    accountId: string,
    region: string,
    at: string,
    byTenant: Map<string, TenantBinding>,
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
        const attribution = tag(TAG_ATTRIBUTION);
        const tenantId = tag(TAG_TENANT);
        const entity = tag(TAG_ENTITY_REF);
        if (
          tag(TAG_MANAGED_BY) !== MANAGED_BY_VALUE ||
          (attribution !== 'account' && attribution !== 'identity') ||
          !tenantId ||
          !entity ||
          !TENANT_ID_PATTERN.test(tenantId)
        )
          continue;
        const where = `role ${RoleName} in ${accountId}`;
        let entityRef: string;
        try {
          entityRef = stringifyEntityRef(parseEntityRef(entity));
        } catch {
          errors.push(`${where}: bad ${TAG_ENTITY_REF} tag`);
          continue;
        }
        const regions = (tag(TAG_REGIONS) ?? '').split(' ').filter(Boolean);
        const principalArns =
          attribution === 'identity'
            ? (tag(TAG_PRINCIPAL_ARNS) ?? '').split(' ').filter(Boolean)
            : [];
        if (
          !regions.length ||
          regions.some(r => !REGION_PATTERN.test(r)) ||
          (attribution === 'identity' && !principalArns.length)
        ) {
          errors.push(
            `${where}: ${attribution} tenant without valid ${TAG_REGIONS}${
              attribution === 'identity' ? ` or ${TAG_PRINCIPAL_ARNS}` : ''
            } tags`,
          );
          continue;
        }
        const found = byTenant.get(tenantId);
        if (found) {
          errors.push(
            `tenant ${tenantId}: ${where} says ${attribution} attribution, but it also has tagged inference profiles (${found.accountId}); kept the profiles`,
          );
          continue;
        }
        byTenant.set(tenantId, {
          tenantId,
          entityRef,
          accountId,
          regions,
          attribution,
          inferenceProfiles: {},
          principalArns,
          alarmPrefix: defaultAlarmPrefix(tenantId),
          budgetName: defaultBudgetName(tenantId),
          source: 'aws-tags',
          updatedAt: at,
          updatedBy: 'aws-tags',
        });
      }
    }
    await Promise.all(
      [...byTenant.values()].map(b =>
        this.#readOptIn(b).catch(e =>
          errors.push(
            `tenant ${b.tenantId}: role tags: ${(e as Error).message}`,
          ),
        ),
      ),
    );
    return { bindings: [...byTenant.values()], errors };
  }

  /**
   * The tenant's opt-in to budget enforcement, from the tag the create/update actions put on its
   * role: a binding rebuilt from AWS keeps it. No role (a tenant made otherwise): left unset.
   */
  async #readOptIn(b: TenantBinding) {
    const aws = await this.#clients.forTarget(b.accountId, b.regions[0]);
    const tags = await readRoleTags(aws, tenantRoleName(b.tenantId));
    if (tags?.[TAG_TENANT] !== b.tenantId) return;
    b.budgetEnforcement = parseBudgetEnforcementTag(
      tags[TAG_BUDGET_ENFORCEMENT],
    );
  }

  async #readOne(
    accountId: string,
    region: string,
    at: string,
    byTenant: Map<string, TenantBinding>,
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
        const tenantId = tag(TAG_TENANT);
        const entity = tag(TAG_ENTITY_REF);
        if (tag(TAG_MANAGED_BY) !== MANAGED_BY_VALUE || !tenantId || !entity)
          continue;
        let entityRef: string;
        try {
          entityRef = stringifyEntityRef(parseEntityRef(entity));
        } catch {
          errors.push(`${p.inferenceProfileArn}: bad ${TAG_ENTITY_REF} tag`);
          continue;
        }
        // every model it routes to: a global profile's copy is priced as global, not regional
        const modelId = profileModelId(p.models);
        if (!TENANT_ID_PATTERN.test(tenantId) || !modelId) continue;
        const b = byTenant.get(tenantId) ?? {
          tenantId,
          entityRef,
          accountId,
          regions: [],
          attribution: 'inference-profile' as const,
          inferenceProfiles: {},
          principalArns: [],
          alarmPrefix: defaultAlarmPrefix(tenantId),
          budgetName: defaultBudgetName(tenantId),
          source: 'aws-tags' as const,
          updatedAt: at,
          updatedBy: 'aws-tags',
        };
        if (b.accountId !== accountId || b.entityRef !== entityRef) {
          errors.push(
            `tenant ${tenantId}: tagged with two accounts or entity refs (${b.accountId} ${b.entityRef}, ${accountId} ${entityRef}); kept the first`,
          );
          continue;
        }
        if (!b.regions.includes(region)) b.regions.push(region);
        b.inferenceProfiles[p.inferenceProfileId] = modelId;
        byTenant.set(tenantId, b);
      }
    } while (nextToken);
  }
}
