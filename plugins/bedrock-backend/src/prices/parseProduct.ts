/*
 * One Price List product (an element of GetProducts' `PriceList`, a JSON string) to the token
 * prices it carries. The two service codes write Bedrock prices two ways:
 *
 * - AmazonBedrock (models AWS sells itself: Nova, Llama, ...): attributes `model` ("Nova Pro"),
 *   `inferenceType` ("Input tokens", "Output tokens", "Cache read input tokens", "Input tokens
 *   flex"), `feature` ("On-demand Inference", "Batch Inference", "Model Customization"), sometimes
 *   `service_tier`, and a usage type such as `USE1-NovaPro-input-tokens`,
 *   `USE1-Claude4Sonnet-input-tokens-cross-region-global` or `...-input-tokens-flex`; prices
 *   mostly per "1K tokens".
 * - AmazonBedrockFoundationModels (models sold through AWS Marketplace: Claude, ...): attribute
 *   `servicename` ("Claude Haiku 4.5 (Amazon Bedrock Edition)") and the kind of token only in the
 *   usage type, in an older (`USE1-MP:USE1_InputTokenCount_Global-Units`,
 *   `..._CacheWrite1hInputTokenCount-Units`, `..._InputTokenCount_Batch-Units`) or a newer naming
 *   (`USE1-MP:USE1_input_tokens_global_standard-Units`, `..._cache_write_tokens_1h_standard-Units`);
 *   prices mostly per "1M tokens", sometimes "Units" with the scale in the description.
 *
 * Every OnDemand term of the product is a fact dated by its `effectiveDate`: a price change is a
 * term with a later date. What is not an on-demand token price (images, provisioned throughput,
 * customization, long-context surcharges, other currencies) is skipped; a token price of a model
 * the suite cannot map to a model id is counted as unmapped.
 */
import { z } from 'zod';
import { modelIdOfName } from './modelNames';
import { usdPer1k } from './units';

/** The kinds of token a price row prices. */
export type PriceKind =
  | 'input'
  | 'output'
  | 'cacheRead'
  | 'cacheWrite'
  | 'cacheWrite1h';

/** The on-demand tiers (and batch) the list prices separately. */
export type ListTier = 'standard' | 'priority' | 'flex' | 'batch';

/** One token price of the list: a model (pattern), region, tier, kind and day it applies from. */
export interface PriceListFact {
  /** model-id pattern of the built-in table; `global.`-prefixed for the global cross-Region profile */
  model: string;
  region: string;
  tier: ListTier;
  kind: PriceKind;
  usdPer1k: number;
  /** YYYY-MM-DD of the term's effectiveDate */
  effectiveFrom: string;
  serviceCode: string;
  sku: string;
  usageType: string;
}

export type ProductSkip = 'malformed' | 'not-a-token-price' | 'unmapped';

export type ParsedProduct =
  | { facts: PriceListFact[] }
  | { skipped: ProductSkip; name?: string };

const dimension = z.object({
  unit: z.string().default(''),
  description: z.string().default(''),
  beginRange: z.string().optional(),
  pricePerUnit: z.record(z.string()).default({}),
});
const term = z.object({
  effectiveDate: z.string().optional(),
  priceDimensions: z.record(dimension).default({}),
});
const productDocument = z.object({
  serviceCode: z.string().optional(),
  product: z.object({
    sku: z.string().optional(),
    attributes: z.record(z.unknown()).default({}),
  }),
  terms: z
    .object({ OnDemand: z.record(z.unknown()).optional() })
    .passthrough()
    .default({}),
});

/**
 * The OnDemand terms: GetProducts keys each by `<sku>.<offerTermCode>`; the bulk offer files
 * nest them one level deeper, by sku. Both are read.
 */
function onDemandTerms(
  onDemand: Record<string, unknown>,
): z.infer<typeof term>[] {
  const out: z.infer<typeof term>[] = [];
  for (const v of Object.values(onDemand)) {
    const nested =
      v && typeof v === 'object' && !('priceDimensions' in v)
        ? Object.values(v as Record<string, unknown>)
        : [v];
    for (const t of nested) {
      const parsed = term.safeParse(t);
      if (parsed.success) out.push(parsed.data);
    }
  }
  return out;
}

interface TokenPrice {
  kind: PriceKind;
  global: boolean;
  tier: ListTier;
}

const FM_LEGACY =
  /^(Input|Output|CacheReadInput|CacheWriteInput|CacheWrite1hInput)TokenCount((?:_(?:Global|Batch|Flex|Priority))*)$/;
const FM_CURRENT =
  /^(input|output|cache_read|cache_write)_tokens(_1h)?(_global)?_(standard|batch|flex|priority)$/;
const LEGACY_KIND: Record<string, PriceKind> = {
  Input: 'input',
  Output: 'output',
  CacheReadInput: 'cacheRead',
  CacheWriteInput: 'cacheWrite',
  CacheWrite1hInput: 'cacheWrite1h',
};
const CURRENT_KIND: Record<string, PriceKind> = {
  input: 'input',
  output: 'output',
  cache_read: 'cacheRead',
  cache_write: 'cacheWrite',
};

/** A Marketplace usage type (`USE1-MP:USE1_InputTokenCount_Global-Units`) to the price it is. */
export function classifyMarketplaceUsageType(
  usageType: string,
): TokenPrice | undefined {
  const body = usageType
    .slice(usageType.lastIndexOf(':') + 1)
    .replace(/^[A-Z0-9]+_/, '')
    .replace(/-Units$/, '');
  const legacy = FM_LEGACY.exec(body);
  if (legacy) {
    const suffixes = legacy[2];
    let tier: ListTier = 'standard';
    if (suffixes.includes('_Batch')) tier = 'batch';
    else if (suffixes.includes('_Flex')) tier = 'flex';
    else if (suffixes.includes('_Priority')) tier = 'priority';
    return {
      kind: LEGACY_KIND[legacy[1]],
      global: suffixes.includes('_Global'),
      tier,
    };
  }
  const current = FM_CURRENT.exec(body);
  if (current) {
    const [, what, oneHour, global, tier] = current;
    if (oneHour && what !== 'cache_write') return undefined;
    return {
      kind: oneHour ? 'cacheWrite1h' : CURRENT_KIND[what],
      global: Boolean(global),
      tier: tier as ListTier,
    };
  }
  return undefined;
}

const TIERS = new Set(['standard', 'priority', 'flex']);

/** An AmazonBedrock product's attributes to the price it is. */
export function classifyNativeProduct(
  attributes: Record<string, string>,
): TokenPrice | undefined {
  const usageType = attributes.usagetype ?? '';
  const inference = (attributes.inferenceType ?? '').toLowerCase();
  const feature = (attributes.feature ?? '').toLowerCase();
  if (
    /customization|provisioned|latency/.test(
      `${feature} ${usageType}`.toLowerCase(),
    )
  )
    return undefined;
  let kind: PriceKind | undefined;
  if (/cache read/.test(inference)) kind = 'cacheRead';
  else if (/cache write/.test(inference))
    kind = /1h|1-hour|one hour/.test(inference) ? 'cacheWrite1h' : 'cacheWrite';
  else if (/input tokens?\b/.test(inference)) kind = 'input';
  else if (/output tokens?\b/.test(inference)) kind = 'output';
  if (!kind || /image|video|audio|speech/.test(inference)) return undefined;
  const declared = (attributes.service_tier ?? attributes.serviceTier ?? '')
    .toLowerCase()
    .trim();
  let tier: ListTier = 'standard';
  if (TIERS.has(declared)) tier = declared as ListTier;
  else if (/\bflex\b/.test(inference) || /-flex\b/i.test(usageType))
    tier = 'flex';
  else if (/\bpriority\b/.test(inference) || /-priority\b/i.test(usageType))
    tier = 'priority';
  if (
    /batch/.test(feature) ||
    /batch/.test(inference) ||
    /-batch\b/i.test(usageType)
  )
    tier = 'batch';
  return {
    kind,
    global: /cross-region-global/i.test(usageType) || /global/.test(inference),
    tier,
  };
}

const strings = (a: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(a).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );

/** The token prices of one Price List product, or why it has none the estimate can use. */
export function parseProduct(raw: string, serviceCode: string): ParsedProduct {
  let doc: z.infer<typeof productDocument>;
  try {
    const parsed = productDocument.safeParse(JSON.parse(raw));
    if (!parsed.success) return { skipped: 'malformed' };
    doc = parsed.data;
  } catch {
    return { skipped: 'malformed' };
  }
  const attributes = strings(doc.product.attributes);
  const usageType = attributes.usagetype ?? '';
  const price = usageType.includes(':')
    ? classifyMarketplaceUsageType(usageType)
    : classifyNativeProduct(attributes);
  if (!price) return { skipped: 'not-a-token-price' };
  const name =
    attributes.model || attributes.titanModel || attributes.servicename;
  const region = attributes.regionCode;
  if (!name || !region) return { skipped: 'malformed' };
  const pattern = modelIdOfName(name);
  if (!pattern) return { skipped: 'unmapped', name };
  const model = price.global ? `global.${pattern}` : pattern;
  const facts: PriceListFact[] = [];
  for (const t of onDemandTerms(doc.terms.OnDemand ?? {})) {
    const day = t.effectiveDate?.slice(0, 10) ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
    for (const d of Object.values(t.priceDimensions)) {
      // a tiered rate's later steps are volume discounts the estimate does not model
      if (d.beginRange !== undefined && Number(d.beginRange) !== 0) continue;
      const usd = d.pricePerUnit.USD;
      const per1k =
        usd === undefined ? undefined : usdPer1k(usd, d.unit, d.description);
      if (per1k === undefined) continue;
      facts.push({
        model,
        region,
        tier: price.tier,
        kind: price.kind,
        usdPer1k: per1k,
        effectiveFrom: day,
        serviceCode: doc.serviceCode ?? serviceCode,
        sku: doc.product.sku ?? '',
        usageType,
      });
    }
  }
  return facts.length ? { facts } : { skipped: 'not-a-token-price' };
}
