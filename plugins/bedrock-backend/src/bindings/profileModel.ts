import { normalizeModelId } from '@bedrock-tenancy/plugin-bedrock-common';
import { tenantProfileName } from '@bedrock-tenancy/plugin-bedrock-node';

/** `us` for us-east-1, `us-gov` for us-gov-west-1, `eu` for eu-west-1, ... */
const geographyOf = (region: string) =>
  region.startsWith('us-gov-') ? 'us-gov' : region.split('-')[0];

/**
 * The model id an application inference profile's usage is priced under, from the models it
 * routes to (`ListInferenceProfiles`' `models`): a profile copied from a global cross-Region
 * profile routes to the model in several geographies and is priced as `global.<model>` (cheaper
 * than in-Region and geo traffic); one copied from a foundation model or a geo profile (`us.`)
 * as the base model. Undefined without models.
 */
export function profileModelId(
  models: Array<{ modelArn?: string }> | undefined,
): string | undefined {
  const arns = (models ?? []).flatMap(m => (m.modelArn ? [m.modelArn] : []));
  if (!arns.length) return undefined;
  const base = normalizeModelId(arns[0]).replace(/^global\./, '');
  const geographies = new Set(
    arns
      .map(a => a.split(':')[3])
      .filter(Boolean)
      .map(geographyOf),
  );
  return geographies.size > 1 ? `global.${base}` : base;
}

/** The prefixes of system inference profile ids (`us.`, `global.`, ...) a model id may carry. */
const MODEL_ID_PREFIXES = [
  'us',
  'us-gov',
  'eu',
  'apac',
  'ap',
  'ca',
  'jp',
  'au',
  'global',
];

/**
 * The names the suite may have given the tenant's application inference profile of a profile
 * that routes to these models: `tenantProfileName(tenant, model id)`, for the model id the
 * provisioning config lists (the base model id, or the id of the system profile it was copied
 * from, `us.<model>`, `global.<model>`, ...).
 */
export function suiteProfileNames(
  tenantId: string,
  models: Array<{ modelArn?: string }> | undefined,
): Set<string> {
  const names = new Set<string>();
  for (const arn of (models ?? []).flatMap(m =>
    m.modelArn ? [m.modelArn] : [],
  )) {
    const base = normalizeModelId(arn).replace(/^global\./, '');
    names.add(tenantProfileName(tenantId, base));
    for (const prefix of MODEL_ID_PREFIXES) {
      names.add(tenantProfileName(tenantId, `${prefix}.${base}`));
    }
  }
  return names;
}
