/**
 * Tags the suite puts on every AWS resource it creates. The tenant tag doubles as the cost
 * allocation tag that Budgets and Cost Explorer filter on (activate it once per payer account).
 *
 * @public
 */
export const TAG_TENANT = 'bedrock-tenancy:tenant';
/** @public */
export const TAG_OWNER = 'bedrock-tenancy:owner';
/** @public */
export const TAG_MANAGED_BY = 'bedrock-tenancy:managed-by';
/** @public */
export const MANAGED_BY_VALUE = 'backstage-bedrock-tenancy';
/**
 * The catalog entity a tenant's resources belong to (`component:default/checkout-assistant`): with
 * the tenant tag it lets the backend rebuild its tenant bindings from AWS after a database loss.
 *
 * @public
 */
export const TAG_ENTITY_REF = 'bedrock-tenancy:entity-ref';
/**
 * On the tenant's IAM role: its attribution mode (`account`, `inference-profile`, `identity`), so
 * the backend can rebuild the binding of a tenant that has no inference profiles.
 *
 * @public
 */
export const TAG_ATTRIBUTION = 'bedrock-tenancy:attribution';
/**
 * On the tenant's IAM role: its regions, space-separated (`us-east-1 us-west-2`).
 *
 * @public
 */
export const TAG_REGIONS = 'bedrock-tenancy:regions';
/**
 * On the tenant's IAM role, identity attribution only: the IAM principal ARNs whose invocations
 * are the tenant's, space-separated (a tag value holds at most 256 characters).
 *
 * @public
 */
export const TAG_PRINCIPAL_ARNS = 'bedrock-tenancy:principal-arns';
