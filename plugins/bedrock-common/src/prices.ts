import { ServiceTier, splitServiceTier } from './models';

/**
 * On-demand Bedrock prices, USD per 1,000 tokens. Each row is effective from a date and names
 * its source; operators override or add rows in config (`bedrock.prices`). A model with no row
 * is "unpriced": reported as such, never as $0.
 *
 * Endpoint scope: from Claude Sonnet 4.5 on, traffic through the global cross-Region profile
 * (`global.` model ids, kept by normalizeModelId) costs less than in-Region and geo (`us.`,
 * `eu.`, ...) traffic, which pays 10% more. A `global.` id is priced only by a `global.` row, so
 * global and regional traffic are priced by different rows and neither borrows the other's price.
 *
 * @public
 */
export interface PriceRow {
  /** base model id (see normalizeModelId), or a prefix of it ending in `*` */
  model: string;
  /** AWS region, or `*` for every region */
  region: string;
  /**
   * The service tier the row prices (see SERVICE_TIERS); absent is Standard. Priority and Flex
   * traffic is priced only by rows of its own tier: a model with no row for a tier is unpriced
   * on that tier, never priced as Standard.
   */
  tier?: ServiceTier;
  inputPer1k: number;
  outputPer1k: number;
  cacheReadPer1k?: number;
  /** prompt-cache write with the default 5-minute TTL */
  cacheWritePer1k?: number;
  /** prompt-cache write with the 1-hour TTL */
  cacheWrite1hPer1k?: number;
  /** YYYY-MM-DD: the row applies to usage on or after this day */
  effectiveFrom: string;
  source: string;
  /**
   * Which table the row comes from (absent: the built-in table). It ranks first in findPrice:
   * an operator's row beats the AWS price list's, which beats the built-in table's.
   */
  origin?: PriceOrigin;
}

/**
 * Where a price row comes from: the table built into the suite, the AWS Price List (read on a
 * schedule) or the operator's `bedrock.prices`.
 *
 * @public
 */
export type PriceOrigin = 'built-in' | 'price-list' | 'config';

/**
 * The precedence of the origins, lowest first: a row of a later origin wins over every row of
 * an earlier one that prices the same usage, whatever their regions, patterns or dates.
 *
 * @public
 */
export const PRICE_ORIGINS: ReadonlyArray<PriceOrigin> = [
  'built-in',
  'price-list',
  'config',
];

/**
 * A price row as a summary shows it: where it came from and from which day it applies.
 *
 * @public
 */
export interface PriceUsed {
  origin: PriceOrigin;
  /** the row's source (a page, the AWS Price List API, app-config) */
  source: string;
  /** YYYY-MM-DD the row applies from */
  effectiveFrom: string;
  /** the row's region, or `*` */
  region: string;
}

/**
 * The origin of a row (rows without one are the built-in table's).
 *
 * @public
 */
export function priceOrigin(row: Pick<PriceRow, 'origin'>): PriceOrigin {
  return row.origin ?? 'built-in';
}

/**
 * CloudWatch's CacheWriteInputTokenCount does not say which TTL a write had, so estimates from
 * metrics price every cache write at the 5-minute rate; 1-hour writes (2x input instead of
 * 1.25x) come out low. Usage read from invocation logs splits writes by TTL (`cacheDetails`).
 *
 * @public
 */
export const CACHE_WRITE_ASSUMPTION =
  'prompt-cache writes counted by CloudWatch priced at the 5-minute rate (1.25x input): CloudWatch does not tell 1-hour writes (2x input) apart, so those are under-estimated; usage read from invocation logs (identity tenants) is split by TTL and each priced at its rate';

const PAGE =
  'aws.amazon.com/bedrock/pricing (us-east-1 on-demand, transcribed 2025-07-20)';
const ANTHROPIC_PAGE =
  'platform.claude.com/docs/en/about-claude/pricing (Bedrock list prices match; checked 2026-11-30)';
const GLOBAL_PAGE = `${ANTHROPIC_PAGE}; global cross-Region profile price: docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html`;
const REGIONAL_PAGE = `${ANTHROPIC_PAGE}; in-Region and geo profiles +10% over global: docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html`;
/** Claude Sonnet 4.5 reached Bedrock on this day with the global/regional price split. */
const SPLIT_FROM = '2025-09-29';

const row = (
  model: string,
  inputPer1k: number,
  outputPer1k: number,
  extra: Partial<PriceRow> = {},
): PriceRow => ({
  model,
  region: '*',
  inputPer1k,
  outputPer1k,
  effectiveFrom: '2025-07-20',
  source: PAGE,
  ...extra,
});
/** Rounds away binary noise (0.003 * 1.1 = 0.0033000000000000004) at a billionth of a dollar. */
const usd = (v: number) => Math.round(v * 1e9) / 1e9;
/** Anthropic prompt caching: write 1.25x input (5-minute TTL) or 2x (1-hour TTL), read 0.1x input. */
const anthropic = (
  model: string,
  input: number,
  output: number,
  extra: Partial<PriceRow> = {},
) =>
  row(model, input, output, {
    cacheWritePer1k: usd(input * 1.25),
    cacheWrite1hPer1k: usd(input * 2),
    cacheReadPer1k: usd(input * 0.1),
    ...extra,
  });
/**
 * Claude Sonnet 4.5 and later: the global-profile row at the list price and the regional row
 * (bare and geo-prefixed ids normalise to it) at +10%, cache prices included.
 */
const claudeByEndpoint = (model: string, input: number, output: number) => [
  anthropic(`global.${model}`, input, output, {
    effectiveFrom: SPLIT_FROM,
    source: GLOBAL_PAGE,
  }),
  anthropic(model, usd(input * 1.1), usd(output * 1.1), {
    effectiveFrom: SPLIT_FROM,
    source: REGIONAL_PAGE,
  }),
];

const ON_DEMAND_PRICES: PriceRow[] = [
  anthropic('anthropic.claude-3-haiku-*', 0.00025, 0.00125),
  anthropic('anthropic.claude-3-5-haiku-*', 0.0008, 0.004),
  anthropic('anthropic.claude-3-5-sonnet-*', 0.003, 0.015),
  anthropic('anthropic.claude-3-7-sonnet-*', 0.003, 0.015),
  anthropic('anthropic.claude-sonnet-4-2*', 0.003, 0.015),
  // Sonnet 4 predates the split: its global profile costs the same as regional use
  anthropic('global.anthropic.claude-sonnet-4-2*', 0.003, 0.015, {
    source: ANTHROPIC_PAGE,
  }),
  anthropic('anthropic.claude-3-opus-*', 0.015, 0.075),
  anthropic('anthropic.claude-opus-4-2*', 0.015, 0.075),
  anthropic('anthropic.claude-opus-4-1-*', 0.015, 0.075),
  ...claudeByEndpoint('anthropic.claude-sonnet-4-5-*', 0.003, 0.015),
  ...claudeByEndpoint('anthropic.claude-sonnet-4-6*', 0.003, 0.015),
  ...claudeByEndpoint('anthropic.claude-haiku-4-5-*', 0.001, 0.005),
  ...claudeByEndpoint('anthropic.claude-opus-4-5-*', 0.005, 0.025),
  ...claudeByEndpoint('anthropic.claude-opus-4-6*', 0.005, 0.025),
  ...claudeByEndpoint('anthropic.claude-opus-4-7*', 0.005, 0.025),
  ...claudeByEndpoint('anthropic.claude-opus-4-8*', 0.005, 0.025),
  row('amazon.nova-micro-v1:0', 0.000035, 0.00014),
  row('amazon.nova-lite-v1:0', 0.00006, 0.00024),
  row('amazon.nova-pro-v1:0', 0.0008, 0.0032),
  row('amazon.nova-premier-v1:0', 0.0025, 0.0125),
  row('amazon.titan-embed-text-v2:0', 0.00002, 0),
  row('meta.llama3-1-8b-instruct-v1:0', 0.00022, 0.00022),
  row('meta.llama3-1-70b-instruct-v1:0', 0.00072, 0.00072),
  row('meta.llama3-1-405b-instruct-v1:0', 0.0024, 0.0024),
  row('meta.llama3-3-70b-instruct-v1:0', 0.00072, 0.00072),
  row('mistral.mistral-7b-instruct-v0:2', 0.00015, 0.0002),
  row('mistral.mixtral-8x7b-instruct-v0:1', 0.00045, 0.0007),
  row('mistral.mistral-large-2402-v1:0', 0.004, 0.012),
];

const BATCH_PAGE =
  'aws.amazon.com/bedrock/pricing: batch inference at 50% of the on-demand price for the Anthropic Claude and Amazon Nova models (checked 2026-11-30)';

/**
 * Batch inference (tier `batch`, usage `<model-id>+batch`): half the on-demand input and output
 * price, for the Claude and Nova rows only (other models' batch prices are not in the table:
 * their batch usage is unpriced until a row is added). A batch manifest counts no cache tokens.
 */
const batchPrices = (rows: PriceRow[]): PriceRow[] =>
  rows
    .filter(r => /^(global\.)?(anthropic\.claude|amazon\.nova)/.test(r.model))
    .map(r => ({
      model: r.model,
      region: r.region,
      tier: 'batch',
      inputPer1k: usd(r.inputPer1k / 2),
      outputPer1k: usd(r.outputPer1k / 2),
      effectiveFrom: r.effectiveFrom,
      source: BATCH_PAGE,
    }));

/** @public */
export const DEFAULT_PRICES: PriceRow[] = [
  ...ON_DEMAND_PRICES,
  ...batchPrices(ON_DEMAND_PRICES),
];

function matches(pattern: string, value: string) {
  return pattern.endsWith('*')
    ? value.startsWith(pattern.slice(0, -1))
    : pattern === value;
}

/**
 * The row that prices `model` in `region` on `day` (YYYY-MM-DD): among matching rows in effect
 * that day, the later origin wins first (config over the price list over the built-in table, see
 * PRICE_ORIGINS), then an exact region beats `*`, an exact model beats a prefix, and the newest
 * wins. Later rows in `rows` win ties, so config overrides placed after the defaults take effect.
 * A row only applies from its effective day: a price change never reprices earlier hours.
 * A model id with a service tier (`amazon.nova-pro-v1:0+flex`) matches only rows of that tier.
 *
 * @public
 */
export function findPrice(
  rows: PriceRow[],
  modelId: string,
  region: string,
  day: string,
): PriceRow | undefined {
  const { model, tier } = splitServiceTier(modelId);
  let best: { row: PriceRow; rank: number[] } | undefined;
  rows.forEach((r, index) => {
    if (!matches(r.model, model) || (r.region !== '*' && r.region !== region))
      return;
    if ((r.tier ?? 'standard') !== tier) return;
    if (r.effectiveFrom > day) return;
    const rank = [
      PRICE_ORIGINS.indexOf(priceOrigin(r)),
      r.region === '*' ? 0 : 1,
      r.model.endsWith('*') ? 0 : 1,
      Date.parse(r.effectiveFrom),
      index,
    ];
    if (!best || compareRank(rank, best.rank) > 0) best = { row: r, rank };
  });
  return best?.row;
}

function compareRank(a: number[], b: number[]) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** @public */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  /** cache writes of unknown or 5-minute TTL (see CACHE_WRITE_ASSUMPTION) */
  cacheWriteTokens?: number;
  /** cache writes known to have the 1-hour TTL (invocation logs: usage.cacheDetails); disjoint from cacheWriteTokens */
  cacheWrite1hTokens?: number;
}

/**
 * Cost in USD of token counts at a price row.
 *
 * @public
 */
export function priceTokens(price: PriceRow, t: TokenCounts): number {
  return (
    (t.inputTokens / 1000) * price.inputPer1k +
    (t.outputTokens / 1000) * price.outputPer1k +
    ((t.cacheReadTokens ?? 0) / 1000) *
      (price.cacheReadPer1k ?? price.inputPer1k) +
    ((t.cacheWriteTokens ?? 0) / 1000) *
      (price.cacheWritePer1k ?? price.inputPer1k) +
    ((t.cacheWrite1hTokens ?? 0) / 1000) *
      (price.cacheWrite1hPer1k ?? price.cacheWritePer1k ?? price.inputPer1k)
  );
}
