/* TEST-ONLY: a Tenant for the unit tests, its names derived from its id, any field overridden. */
import { Tenant } from '../tenant';

/**
 * A tenant of `component:default/<tenantId>` in account 111111111111, us-east-1, attributed by
 * inference profile (none unless given), with the suite's names `bedrock-<tenantId>-` and
 * `bedrock-<tenantId>`; every field given in `overrides` replaces its default.
 */
export function testTenant(
  overrides: Partial<Tenant> & { tenantId: string },
): Tenant {
  const { tenantId } = overrides;
  return {
    entityRef: `component:default/${tenantId}`,
    accountId: '111111111111',
    regions: ['us-east-1'],
    attribution: 'inference-profile',
    inferenceProfiles: {},
    principalArns: [],
    alarmPrefix: `bedrock-${tenantId}-`,
    budgetName: `bedrock-${tenantId}`,
    ...overrides,
  };
}
