import {
  BEDROCK_ANNOTATION_PREFIX,
  ChargebackExport,
  ChargebackModel,
  ChargebackTenant,
  splitServiceTier,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { csvText } from './chargebackCsv';

/*
 * The chargeback export in the FinOps Open Cost and Usage Specification (FOCUS) 1.2 column names
 * (https://focus.finops.org, github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec), so a FinOps
 * tool can load it next to a cloud provider's own FOCUS export.
 *
 * One row per tenant × model of the month (ChargeCategory "Usage"): no tenant or total rows
 * (FOCUS has none; sum the rows). What the columns mean here:
 *
 * - ListCost: the suite's estimate, tokens × the on-demand list price of the model (prices.ts).
 * - ContractedCost = ListCost: the suite knows no negotiated price (the spec: without negotiated
 *   discounts, ContractedCost defaults to ListCost).
 * - BilledCost, EffectiveCost: FOCUS requires both non-null, so
 *   - x_CostStatus `estimated`: they are the same list-price estimate (no billed figure for the
 *     tenant, or one that cannot be split, see below). Not an invoice amount.
 *   - x_CostStatus `billed`: the tenant's billed cost of the month from Cost Explorer (cost
 *     allocation tag), split over its models in proportion to their estimates, so the tenant's
 *     rows sum to the billed figure; only when every model of the tenant is priced (an unpriced
 *     model's share of the bill is unknown). On-demand usage has no amortised purchase, so
 *     EffectiveCost = BilledCost.
 *   - x_CostStatus `unpriced`: the model has no price: the four cost columns are empty (null),
 *     never 0. A deviation from FOCUS (they MUST NOT be null there), kept because 0 would claim
 *     the traffic was free; a FOCUS validator reports these rows.
 * - x_EstimatedCostUsd: the estimate on every priced row, whatever the status.
 * - x_TenantBilledCostUsd: the tenant's Cost Explorer figure, repeated on each of its rows (a
 *   reference, never to be summed); empty when there is none. It is every day Cost Explorer
 *   had when fetched, the last ones possibly incomplete (the bill lags 24-48 h).
 * - x_TenantBilledThrough, x_TenantVarianceUsd: the tenant's estimate vs bill (the same as the
 *   CSV and JSON exports): billed − estimated over the month's days up to the last one the bill
 *   was complete for; repeated on each of its rows, empty without billed figures.
 * - ConsumedQuantity = PricingQuantity: input + output tokens (unit `Tokens`); the row mixes
 *   input and output tokens, priced differently, so there is no single unit price and
 *   ListUnitPrice / ContractedUnitPrice are left out.
 * - SkuId: the model id. ResourceId: the tenant id (the value of the AWS cost allocation tag, to
 *   join with the provider's own FOCUS rows), ResourceName: the tenant's title.
 * - RegionId, SubAccountId: empty (null, which the spec allows): the roll-up does not carry the
 *   tenant's bound account and regions per row. An admin's export adds a row per model of each
 *   account-region's unattributed usage (spend no tenant owns), with both set: see
 *   `unattributedFocusRow`.
 * - BillingAccountId (the AWS payer account) is not known to the suite: left out rather than
 *   invented, so a strict validator reports it missing.
 * - Dates: `YYYY-MM-DDTHH:mm:ssZ` (UTC); BillingPeriod is the calendar month [start, end), the
 *   ChargePeriod the hours exported [from, to) (up to the current hour for the current month).
 */

/** The FOCUS version the column names and rules are taken from. */
export const FOCUS_VERSION = '1.2';

/** FOCUS columns (alphabetical), then custom ones (`x_`), as the spec orders them. */
export const CHARGEBACK_FOCUS_COLUMNS = [
  'BilledCost',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SubAccountId',
  'Tags',
  'x_CostStatus',
  'x_EstimatedCostUsd',
  'x_TenantBilledCostUsd',
  'x_TenantBilledThrough',
  'x_TenantVarianceUsd',
  'x_ModelName',
  'x_ServiceTier',
  'x_Invocations',
  'x_InputTokens',
  'x_OutputTokens',
] as const;

export type FocusColumn = (typeof CHARGEBACK_FOCUS_COLUMNS)[number];
export type FocusCostStatus = 'estimated' | 'billed' | 'unpriced';
export type FocusRow = Record<FocusColumn, string | number | null>;

/** Model vendors by the first segment of the model id (the FOCUS Publisher). */
const PUBLISHERS: Record<string, string> = {
  ai21: 'AI21 Labs',
  amazon: 'Amazon',
  anthropic: 'Anthropic',
  cohere: 'Cohere',
  deepseek: 'DeepSeek',
  luma: 'Luma AI',
  meta: 'Meta',
  mistral: 'Mistral AI',
  openai: 'OpenAI',
  qwen: 'Qwen',
  stability: 'Stability AI',
  twelvelabs: 'TwelveLabs',
  writer: 'Writer',
};

/** Who produced the model: its vendor, e.g. `Anthropic` for anthropic.claude-…; else the id's vendor segment. */
export function focusPublisher(modelId: string): string {
  const vendor = modelId.replace(/^global\./, '').split('.')[0];
  return PUBLISHERS[vendor] ?? (vendor || 'AWS');
}

/** `YYYY-MM-DDTHH:mm:ssZ`: the FOCUS Date/Time format (UTC, seconds, no fraction). */
export function focusDate(t: string | number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar month `YYYY-MM` as [start, end) (UTC). */
function billingPeriod(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number);
  return [focusDate(Date.UTC(y, m - 1, 1)), focusDate(Date.UTC(y, m, 1))];
}

/**
 * How much of the tenant's billed figure each model carries: its estimate's share, when the
 * tenant has a billed figure and every one of its models is priced; else null (no split).
 */
function billedShares(
  t: ChargebackTenant,
): Map<ChargebackModel, number> | null {
  if (t.billedCostUsd === null) return null;
  if (t.models.some(m => m.estimatedCostUsd === null)) return null;
  const total = t.models.reduce((s, m) => s + (m.estimatedCostUsd ?? 0), 0);
  if (!(total > 0)) return null;
  return new Map(
    t.models.map(m => [
      m,
      (t.billedCostUsd! * (m.estimatedCostUsd ?? 0)) / total,
    ]),
  );
}

/** A model's usage in the export: a tenant's (ChargebackModel) or no tenant's. */
type UsageLine = Pick<
  ChargebackModel,
  | 'modelId'
  | 'displayName'
  | 'invocations'
  | 'inputTokens'
  | 'outputTokens'
  | 'estimatedCostUsd'
>;

/**
 * The columns every usage row fills the same way, a tenant's or no tenant's: the periods, the
 * quantities in tokens, the service and the model (SkuId, its publisher, name and service tier),
 * the list-price estimate, and the description (`who` says whose usage). Column-independent: a
 * column set neither here nor by the caller is null.
 */
function usageRow(
  e: ChargebackExport,
  m: UsageLine,
  who: string,
  values: Partial<FocusRow>,
): FocusRow {
  const [periodStart, periodEnd] = billingPeriod(e.month);
  const estimate = m.estimatedCostUsd;
  const tokens = m.inputTokens + m.outputTokens;
  const common: Partial<FocusRow> = {
    BillingCurrency: e.currency,
    BillingPeriodEnd: periodEnd,
    BillingPeriodStart: periodStart,
    ChargeCategory: 'Usage',
    ChargeDescription: `Amazon Bedrock ${m.displayName}${who}: ${
      m.inputTokens
    } input and ${m.outputTokens} output tokens in ${
      m.invocations
    } invocations; ${
      estimate === null
        ? 'no list price known'
        : `list-price estimate ${e.currency} ${estimate.toFixed(2)}`
    }`,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: focusDate(e.range.to),
    ChargePeriodStart: focusDate(e.range.from),
    ConsumedQuantity: tokens,
    ConsumedUnit: 'Tokens',
    ContractedCost: estimate,
    InvoiceIssuerName: 'AWS',
    ListCost: estimate,
    PricingQuantity: tokens,
    PricingUnit: 'Tokens',
    ProviderName: 'AWS',
    PublisherName: focusPublisher(m.modelId),
    ServiceCategory: 'AI and Machine Learning',
    ServiceName: 'Amazon Bedrock',
    ServiceSubcategory: 'Generative AI',
    SkuId: m.modelId,
    x_EstimatedCostUsd: estimate,
    x_ModelName: m.displayName,
    x_ServiceTier: splitServiceTier(m.modelId).tier,
    x_Invocations: m.invocations,
    x_InputTokens: m.inputTokens,
    x_OutputTokens: m.outputTokens,
  };
  const row: Partial<FocusRow> = { ...common, ...values };
  return Object.fromEntries(
    CHARGEBACK_FOCUS_COLUMNS.map(c => [c, row[c] ?? null]),
  ) as FocusRow;
}

/** The FOCUS rows of the export: one per tenant × model (then, for admins, per unattributed model). */
export function chargebackFocusRows(e: ChargebackExport): FocusRow[] {
  const rows: FocusRow[] = [];
  for (const t of e.tenants) {
    const shares = billedShares(t);
    const tags = JSON.stringify({
      [`${BEDROCK_ANNOTATION_PREFIX}/tenant-id`]: t.tenantId,
      [`${BEDROCK_ANNOTATION_PREFIX}/entity-ref`]: t.entityRef,
      [`${BEDROCK_ANNOTATION_PREFIX}/owner`]: t.owner,
      [`${BEDROCK_ANNOTATION_PREFIX}/owner-parents`]: t.ownerParents.join(';'),
      [`${BEDROCK_ANNOTATION_PREFIX}/group`]: e.groupRef,
    });
    for (const m of t.models) {
      const estimate = m.estimatedCostUsd;
      const billed = shares?.get(m) ?? null;
      let status: FocusCostStatus = 'estimated';
      if (estimate === null) status = 'unpriced';
      else if (billed !== null) status = 'billed';
      const actual = billed ?? estimate; // null only when unpriced
      rows.push(
        usageRow(e, m, '', {
          BilledCost: actual,
          EffectiveCost: actual,
          ResourceId: t.tenantId,
          ResourceName: t.title,
          ResourceType: 'Bedrock Tenant',
          Tags: tags,
          x_CostStatus: status,
          x_TenantBilledCostUsd: t.billedCostUsd,
          x_TenantBilledThrough: t.reconciliation?.comparedThrough ?? null,
          x_TenantVarianceUsd: t.reconciliation?.varianceUsd ?? null,
        }),
      );
    }
  }
  // admins' exports only: one model's unattributed usage in one account and region, priced as
  // the tenants' rows (`estimated`, or `unpriced` with empty costs)
  for (const u of e.unattributed ?? []) {
    for (const m of u.models)
      rows.push(
        usageRow(e, m, ` used in ${u.accountId}/${u.region} by no tenant`, {
          BilledCost: m.estimatedCostUsd,
          EffectiveCost: m.estimatedCostUsd,
          RegionId: u.region,
          ResourceId: 'unattributed',
          ResourceName: `unattributed ${u.accountId}/${u.region}`,
          ResourceType: 'Bedrock Unattributed Usage',
          SubAccountId: u.accountId,
          Tags: JSON.stringify({
            [`${BEDROCK_ANNOTATION_PREFIX}/unattributed`]: 'true',
            [`${BEDROCK_ANNOTATION_PREFIX}/group`]: e.groupRef,
          }),
          x_CostStatus: m.estimatedCostUsd === null ? 'unpriced' : 'estimated',
        }),
      );
  }
  return rows;
}

/** Up to 6 decimals, no thousands separator; empty for null (FOCUS null in CSV). */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(6))) : '';
}

const cell = (v: string | number | null) => {
  if (v === null) return '';
  return typeof v === 'number' ? num(v) : csvText(v);
};

/**
 * The FOCUS CSV: a header of column ids, CRLF lines (RFC 4180), no byte-order mark (the first
 * column id must read `BilledCost` to a data tool), text cells made formula-safe and quoted as in
 * the plain CSV export (`csvText`), null as an empty cell.
 */
export function chargebackFocusCsv(e: ChargebackExport): string {
  const lines = [CHARGEBACK_FOCUS_COLUMNS.join(',')];
  for (const r of chargebackFocusRows(e))
    lines.push(CHARGEBACK_FOCUS_COLUMNS.map(c => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
