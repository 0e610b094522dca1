/**
 * Normalises the identifiers that appear in the `ModelId` dimension and in invocation logs to
 * one model id per price: the base model id, or `global.<base model id>` for traffic through a
 * global cross-Region profile, which is priced differently from in-Region and geo traffic
 * (see prices.ts). Geo prefixes (`us.`, `eu.`, ...) are dropped: geo traffic costs what in-Region
 * traffic costs.
 * - bare ids:                      anthropic.claude-3-haiku-20240307-v1:0
 * - foundation-model ARNs:         arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0
 * - geo system profiles:           us.amazon.nova-pro-v1:0 becomes amazon.nova-pro-v1:0
 * - global system profiles:        global.anthropic.claude-sonnet-4-5-20250929-v1:0 (kept)
 * - system profile ARNs:           arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0
 * - application profile ids/ARNs:  resolved through `profiles` (profile id to model id)
 * - service tiers:                 CloudWatch shows Priority and Flex traffic under
 *                                  `<model-id>+priority` and `<model-id>+flex`; the suffix is kept
 *                                  (lower case) on the normalised id, since each tier has its own price
 *
 * @public
 */
export function normalizeModelId(
  raw: string,
  profiles: Record<string, string> = {},
): string {
  const { model, tier } = splitServiceTier(raw.trim());
  const base = normalizeBaseModelId(model, profiles);
  return tier === 'standard' ? base : `${base}+${tier}`;
}

function normalizeBaseModelId(
  raw: string,
  profiles: Record<string, string>,
): string {
  let id = raw;
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(id);
  if (arn) id = arn[2];
  if (profiles[id]) return normalizeBaseModelId(profiles[id].trim(), {});
  const geo = /^(us|eu|apac|ap|us-gov|ca|jp|au)\.(.+\..+)$/.exec(id);
  if (geo) id = geo[2];
  return id;
}

/**
 * The service tiers of Bedrock (`service_tier` on a request; `default` is Standard). Reserved
 * capacity is billed per reserved tokens per minute, not per token. `batch` is not a request
 * tier: the suite marks the usage of batch inference jobs with it (`<model-id>+batch`), priced
 * by rows of tier `batch`.
 *
 * @public
 */
export const SERVICE_TIERS = [
  'standard',
  'priority',
  'flex',
  'reserved',
  'batch',
] as const;

/**
 * A service tier: one of SERVICE_TIERS, or a tier this version does not know (kept as AWS named
 * it, and never priced as another tier).
 *
 * @public
 */
export type ServiceTier = (typeof SERVICE_TIERS)[number] | (string & {});

/**
 * Splits a `ModelId` dimension value or normalised model id into the model and its service tier:
 * `amazon.nova-pro-v1:0+flex` is Nova Pro on the Flex tier; no suffix (or `+default`) is Standard.
 *
 * @public
 */
export function splitServiceTier(modelId: string): {
  model: string;
  tier: ServiceTier;
} {
  const at = modelId.lastIndexOf('+');
  if (at <= 0 || at === modelId.length - 1)
    return { model: modelId, tier: 'standard' };
  const tier = modelId.slice(at + 1).toLowerCase();
  return {
    model: modelId.slice(0, at),
    tier: tier === 'default' ? 'standard' : tier,
  };
}

/**
 * Short readable label for a service tier (`Flex`), or the tier as AWS named it.
 *
 * @public
 */
export function serviceTierName(tier: ServiceTier): string {
  return (SERVICE_TIERS as readonly string[]).includes(tier)
    ? tier.charAt(0).toUpperCase() + tier.slice(1)
    : tier;
}

/**
 * Short readable label for a model id, e.g. "Claude 3 Haiku" for anthropic.claude-3-haiku-20240307-v1:0,
 * "Claude Sonnet 4.5 (global)" for global.anthropic.claude-sonnet-4-5-20250929-v1:0, "Nova Pro · Flex"
 * for amazon.nova-pro-v1:0+flex.
 *
 * @public
 */
export function modelDisplayName(modelId: string): string {
  const { model, tier } = splitServiceTier(modelId);
  if (tier !== 'standard') {
    const base = modelDisplayName(model);
    return base === model ? modelId : `${base} · ${serviceTierName(tier)}`;
  }
  if (modelId.startsWith('global.')) {
    const base = modelDisplayName(modelId.slice('global.'.length));
    return base === modelId.slice('global.'.length)
      ? modelId
      : `${base} (global)`;
  }
  const known: Array<[RegExp, string]> = [
    [/claude-3-haiku/, 'Claude 3 Haiku'],
    [/claude-3-5-haiku/, 'Claude 3.5 Haiku'],
    [/claude-3-5-sonnet/, 'Claude 3.5 Sonnet'],
    [/claude-3-7-sonnet/, 'Claude 3.7 Sonnet'],
    [/claude-sonnet-4-5/, 'Claude Sonnet 4.5'],
    [/claude-sonnet-4-6/, 'Claude Sonnet 4.6'],
    [/claude-sonnet-4/, 'Claude Sonnet 4'],
    [/claude-haiku-4-5/, 'Claude Haiku 4.5'],
    [/claude-opus-4-5/, 'Claude Opus 4.5'],
    [/claude-opus-4-6/, 'Claude Opus 4.6'],
    [/claude-opus-4-7/, 'Claude Opus 4.7'],
    [/claude-opus-4-8/, 'Claude Opus 4.8'],
    [/claude-opus-4-1/, 'Claude Opus 4.1'],
    [/claude-opus-4/, 'Claude Opus 4'],
    [/claude-3-opus/, 'Claude 3 Opus'],
    [/nova-micro/, 'Nova Micro'],
    [/nova-lite/, 'Nova Lite'],
    [/nova-pro/, 'Nova Pro'],
    [/nova-premier/, 'Nova Premier'],
    [/titan-embed-text-v2/, 'Titan Text Embeddings V2'],
    [/llama3-1-8b/, 'Llama 3.1 8B'],
    [/llama3-1-70b/, 'Llama 3.1 70B'],
    [/llama3-1-405b/, 'Llama 3.1 405B'],
    [/llama3-3-70b/, 'Llama 3.3 70B'],
    [/mistral-7b/, 'Mistral 7B'],
    [/mixtral-8x7b/, 'Mixtral 8x7B'],
    [/mistral-large/, 'Mistral Large'],
  ];
  return known.find(([re]) => re.test(modelId))?.[1] ?? modelId;
}
