import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  bedrockUsageReadPermission,
  EntitySummary,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { permittedTenant } from '../service/entityAccess';
import { resolveRange } from '../service/range';
import type { BedrockActionsOptions } from './types';
import { tenantRef } from './inputs';

/**
 * The summary GET /entity/:kind/:namespace/:name/summary answers, for the same caller and with the
 * same checks: the entity as the caller's catalog read shows it, bedrock.usage.read on it, its
 * binding confirmed. The same cached summary, too.
 */
export async function tenantSummary(
  o: BedrockActionsOptions,
  ref: string,
  rangeQuery: Record<string, unknown>,
  credentials: BackstageCredentials,
): Promise<EntitySummary> {
  const range = resolveRange(rangeQuery, (o.now ?? Date.now)());
  const tenant = await permittedTenant({
    ref: tenantRef(ref),
    permission: bedrockUsageReadPermission,
    credentials,
    permissions: o.permissions,
    entities: o.entities,
    bindings: o.bindings,
    catalog: o.catalog,
  });
  return JSON.parse(await o.summary.entitySummaryJson(tenant, range));
}
