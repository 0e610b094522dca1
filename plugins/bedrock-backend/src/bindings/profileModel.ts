import { normalizeModelId } from '@bedrock-tenancy/plugin-bedrock-common';

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
