/**
 * Normalises the identifiers that appear in the `ModelId` dimension and in invocation logs to
 * one model id per price: the base model id, or `global.<base model id>` for traffic through a
 * global cross-Region profile, which is priced differently from in-Region and geo traffic
 * (see prices.ts). Geo prefixes (`us.`, `eu.`, ...) are dropped: geo traffic costs what in-Region
 * traffic costs.
 * - bare ids:                      anthropic.claude-3-haiku-20240307-v1:0
 * - foundation-model ARNs:         arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0
 * - geo system profiles:           us.amazon.nova-pro-v1:0 -> amazon.nova-pro-v1:0
 * - global system profiles:        global.anthropic.claude-sonnet-4-5-20250929-v1:0 (kept)
 * - system profile ARNs:           arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0
 * - application profile ids/ARNs:  resolved through `profiles` (profile id -> model id)
 */
export function normalizeModelId(
  raw: string,
  profiles: Record<string, string> = {},
): string {
  let id = raw.trim();
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(id);
  if (arn) id = arn[2];
  if (profiles[id]) return normalizeModelId(profiles[id]);
  const geo = /^(us|eu|apac|ap|us-gov|ca|jp|au)\.(.+\..+)$/.exec(id);
  if (geo) id = geo[2];
  return id;
}

/**
 * Short readable label for a model id, e.g. "Claude 3 Haiku" for anthropic.claude-3-haiku-20240307-v1:0,
 * "Claude Sonnet 4.5 (global)" for global.anthropic.claude-sonnet-4-5-20250929-v1:0.
 */
export function modelDisplayName(modelId: string): string {
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
