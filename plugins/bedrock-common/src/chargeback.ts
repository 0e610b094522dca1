import type { ServiceTier } from './models';
import type { GroupRollup } from './api';
import type { ChargebackUnattributed } from './unattributed';
import type { BillingReconciliation } from './reconciliation';

/*
 * The chargeback export of a Group (GET /group/:namespace/:name/chargeback): one month of every
 * tenant the caller may read, per model, built from the Group roll-up of the same month and
 * caller, so its totals are the roll-up's.
 */

/**
 * Formats of the chargeback export: `json` (a {@link ChargebackExport}), `csv` (model, tenant and
 * total rows for a spreadsheet) and `focus` (a CSV of the usage rows in the FinOps FOCUS 1.2
 * column names, for finance tools).
 *
 * @public
 */
export const CHARGEBACK_FORMATS = ['csv', 'json', 'focus'] as const;
/** @public */
export type ChargebackFormat = (typeof CHARGEBACK_FORMATS)[number];

/**
 * A calendar month, `YYYY-MM` (UTC).
 *
 * @public
 */
export const CHARGEBACK_MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * One model of one tenant in the month.
 *
 * @public
 */
export interface ChargebackModel {
  /** the model, with `+flex` or `+priority` for traffic on those service tiers */
  modelId: string;
  displayName: string;
  /** the service tier of the traffic (see splitServiceTier) */
  serviceTier: ServiceTier;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the model has no price: never $0 */
  estimatedCostUsd: number | null;
}

/**
 * One tenant in the month.
 *
 * @public
 */
export interface ChargebackTenant {
  entityRef: string;
  title: string;
  tenantId: string;
  /** full entity ref of the owner */
  owner: string;
  /** the owner's parent groups, nearest first (to pivot by department) */
  ownerParents: string[];
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  /** priced traffic of the month; see `costComplete` */
  estimatedCostUsd: number;
  /** false when some of the tenant's traffic is unpriced: `estimatedCostUsd` is then its priced part */
  costComplete: boolean;
  /** from Cost Explorer (cost allocation tag); null when Cost Explorer is off or has no figure for the month */
  billedCostUsd: number | null;
  /** the tenant's AWS Budget limit; null without a budget */
  budgetLimitUsd: number | null;
  /**
   * the month's estimate against the bill over the days the bill is complete for; null without
   * billed figures; absent in exports of older backends
   */
  reconciliation?: BillingReconciliation | null;
  models: ChargebackModel[];
}

/**
 * The chargeback export as JSON.
 *
 * @public
 */
export interface ChargebackExport {
  groupRef: string;
  /** `YYYY-MM` */
  month: string;
  /** the hours exported, [from, to): the whole month, or up to the current hour for this month */
  range: { from: string; to: string };
  includeChildren: boolean;
  /** the groups whose tenants are counted */
  groups: string[];
  currency: 'USD';
  generatedAt: string;
  /** the roll-up's totals for the same month and caller, `partial` included */
  totals: GroupRollup['totals'] & { billedCostUsd: number | null };
  tenants: ChargebackTenant[];
  /** tenants the caller may not read: left out, counted */
  unreadableTenants: number;
  /** entities whose tenant no binding confirms: left out, listed */
  unverified: GroupRollup['unverified'];
  /**
   * Bedrock admins only (absent for everyone else): per account and region, the month's usage no
   * bound tenant is attributed. Over an export of every tenant of those accounts, the tenants'
   * sum plus these equals the accounts' Bedrock usage.
   */
  unattributed?: ChargebackUnattributed[];
}
