/**
 * Tags the suite puts on every AWS resource it creates. The tenant tag doubles as the cost
 * allocation tag that Budgets and Cost Explorer filter on (activate it once per payer account).
 */
export const TAG_TENANT = 'bedrock-tenancy:tenant';
export const TAG_OWNER = 'bedrock-tenancy:owner';
export const TAG_MANAGED_BY = 'bedrock-tenancy:managed-by';
export const MANAGED_BY_VALUE = 'backstage-bedrock-tenancy';
/**
 * The catalog entity a tenant's resources belong to (`component:default/checkout-assistant`): with
 * the tenant tag it lets the backend rebuild its tenant bindings from AWS after a database loss.
 */
export const TAG_ENTITY_REF = 'bedrock-tenancy:entity-ref';
