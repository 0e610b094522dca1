/*
 * Spend no tenant owns (GET /admin/unattributed, Bedrock admins only): per account and region,
 * the account's `AWS/Bedrock` usage, the part the tenants bound there are attributed, and the
 * rest (base models called directly by no tenant, inference profiles of no tenant).
 */

/**
 * Token and invocation counts of one side of the attribution, with their estimated cost.
 *
 * @public
 */
export interface UnattributedFigures {
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** the priced part: unpriced models add nothing (never $0 for them; see `unpricedModels`) */
  estimatedCostUsd: number;
}

/**
 * One model of one account and region.
 *
 * @public
 */
export interface UnattributedModel {
  /** normalized model id, or the inference profile id of a profile no tenant is bound to */
  modelId: string;
  displayName: string;
  account: UnattributedFigures;
  attributed: UnattributedFigures;
  unattributed: UnattributedFigures;
  /**
   * Tokens the tenants were attributed beyond the account's series (summed over the hours where
   * that happened): the unattributed figure was clamped at 0 there. A sign of double
   * attribution (an identity tenant calling another tenant's profile) or of late datapoints.
   */
  overAttributedTokens: number;
  /** false when the model has no price: its cost figures are 0 and do not count */
  priced: boolean;
}

/**
 * One account and region.
 *
 * @public
 */
export interface UnattributedAccountRegion {
  accountId: string;
  region: string;
  /** end of the newest hour of account usage collected (ISO), null when never collected */
  collectedTo: string | null;
  /** the last collection's error, null when it succeeded */
  lastError: string | null;
  account: UnattributedFigures;
  attributed: UnattributedFigures;
  unattributed: UnattributedFigures;
  overAttributedTokens: number;
  /** models with traffic and no price */
  unpricedModels: string[];
  /** true when some traffic is unpriced: the cost figures are the priced part */
  partial: boolean;
  models: UnattributedModel[];
}

/**
 * The answer of GET /admin/unattributed.
 *
 * @public
 */
export interface UnattributedReport {
  /** the hours reported, [from, to) */
  range: { from: string; to: string };
  currency: 'USD';
  accountRegions: UnattributedAccountRegion[];
  /** what the figures cover and leave out */
  notes: string[];
}

/**
 * The unattributed usage of one account and region in a chargeback export (admins only).
 *
 * @public
 */
export interface ChargebackUnattributed {
  accountId: string;
  region: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  /** priced part of the unattributed usage; see `costComplete` */
  estimatedCostUsd: number;
  costComplete: boolean;
  /** tokens attributed beyond the account's series (clamped), see {@link UnattributedModel} */
  overAttributedTokens: number;
  /** the account's whole usage in the region, tenants' and unattributed */
  account: {
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    estimatedCostUsd: number;
  };
  models: Array<{
    modelId: string;
    displayName: string;
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    /** null when the model has no price: never $0 */
    estimatedCostUsd: number | null;
  }>;
}
