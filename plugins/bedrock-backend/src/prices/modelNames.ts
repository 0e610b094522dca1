/*
 * The Price List names models by their marketing name (`model` in AmazonBedrock, `servicename`
 * "Claude Haiku 4.5 (Amazon Bedrock Edition)" in AmazonBedrockFoundationModels), never by the
 * model id CloudWatch reports. This table maps the names the suite knows to the model-id patterns
 * of the built-in price table (prices.ts in plugin-bedrock-common), so that a price-list row
 * replaces exactly the built-in row it stands for. A name missing here is left out of the
 * estimate (and counted in the run's `unmapped`): a guessed id could price the wrong model.
 */

const NAMES: Record<string, string> = {
  'claude 3 haiku': 'anthropic.claude-3-haiku-*',
  'claude 3.5 haiku': 'anthropic.claude-3-5-haiku-*',
  'claude 3.5 sonnet': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'claude 3.5 sonnet v2': 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  'claude 3.7 sonnet': 'anthropic.claude-3-7-sonnet-*',
  'claude 3 opus': 'anthropic.claude-3-opus-*',
  'claude sonnet 4': 'anthropic.claude-sonnet-4-2*',
  'claude opus 4': 'anthropic.claude-opus-4-2*',
  'claude opus 4.1': 'anthropic.claude-opus-4-1-*',
  'claude sonnet 4.5': 'anthropic.claude-sonnet-4-5-*',
  'claude haiku 4.5': 'anthropic.claude-haiku-4-5-*',
  'claude opus 4.5': 'anthropic.claude-opus-4-5-*',
  'claude sonnet 4.6': 'anthropic.claude-sonnet-4-6*',
  'claude opus 4.6': 'anthropic.claude-opus-4-6*',
  'nova micro': 'amazon.nova-micro-v1:0',
  'nova lite': 'amazon.nova-lite-v1:0',
  'nova pro': 'amazon.nova-pro-v1:0',
  'nova premier': 'amazon.nova-premier-v1:0',
  'llama 3.1 8b': 'meta.llama3-1-8b-instruct-v1:0',
  'llama 3.1 70b': 'meta.llama3-1-70b-instruct-v1:0',
  'llama 3.1 405b': 'meta.llama3-1-405b-instruct-v1:0',
  'llama 3.3 70b': 'meta.llama3-3-70b-instruct-v1:0',
};

/** Anthropic's documented prompt-cache multipliers apply to these patterns. */
export const isAnthropic = (pattern: string) =>
  pattern.replace(/^global\./, '').startsWith('anthropic.');

/** "Claude Haiku 4.5 (Amazon Bedrock Edition)" and "Llama 3.3 70B Instruct" as the table keys them. */
export function normalizeModelName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\(amazon bedrock edition\)/g, '')
    .replace(/\binstruct\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The model-id pattern of a Price List model name, or undefined when the suite does not know it. */
export function modelIdOfName(name: string): string | undefined {
  return NAMES[normalizeModelName(name)];
}
