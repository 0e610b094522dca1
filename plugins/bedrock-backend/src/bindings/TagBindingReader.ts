import {
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import {
  defaultAlarmPrefix,
  defaultBudgetName,
  MANAGED_BY_VALUE,
  normalizeModelId,
  parseBudgetEnforcementTag,
  TAG_BUDGET_ENFORCEMENT,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_TENANT,
  TENANT_ID_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AwsClientFactory,
  readRoleTags,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { TenantBinding } from './types';

/**
 * Reads the bindings the suite's provisioning actions left in AWS: every application inference
 * profile tagged managed-by this suite, with a tenant and an entity-ref tag, in the given accounts
 * and regions. One binding per tenant, with inference-profile attribution (what the actions create).
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
        const modelArn = p.models?.[0]?.modelArn;
        if (!TENANT_ID_PATTERN.test(tenantId) || !modelArn) continue;
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
        b.inferenceProfiles[p.inferenceProfileId] = normalizeModelId(modelArn);
        byTenant.set(tenantId, b);
      }
    } while (nextToken);
  }
}
