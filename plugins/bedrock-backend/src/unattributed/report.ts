import {
  addCounters,
  ChargebackUnattributed,
  hasTraffic,
  modelDisplayName,
  PriceRow,
  UnattributedAccountRegion,
  UnattributedFigures,
  UnattributedModel,
  UnattributedReport,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { emptyUsageRow } from '../database/types';
import { iso } from '../lib/time';
import { rowCost } from '../service/cost';
import type { TimeRange } from '../service/range';
import type { AccountUsageState } from './AccountUsageStore';
import {
  AccountUsageRow,
  addTraffic,
  emptyTraffic,
  overAttributedTokens,
  Traffic,
} from './attribution';

const SIDES = ['account', 'attributed', 'unattributed'] as const;

export const UNATTRIBUTED_NOTES = [
  'account usage: every ModelId series of AWS/Bedrock in the account and region (ListMetrics, hourly sums)',
  'attributed: the usage of the tenants bound in the account and region (profile tenants: their inference profiles; identity tenants: their invocation-log tokens, subtracted from the model they called; an account tenant owns all of it)',
  'unattributed = account - attributed per model and hour, never below 0; tokens attributed beyond the account series are shown as over-attributed',
  'costs at the same list prices as the tenants; unpriced models (an inference profile of no tenant has no known model) are listed and leave the totals partial',
  'not seen: the bedrock-mantle endpoint (AWS/BedrockMantle), batch inference and provisioned throughput',
];

const emptyFigures = (): UnattributedFigures => ({
  ...emptyTraffic(),
  estimatedCostUsd: 0,
});

/**
 * The cost of `t` tokens of a model in a region on a day, with the tenants' pricing function
 * (service/cost.ts `rowCost`); null when the model has no price then.
 */
export function trafficCost(
  prices: PriceRow[],
  key: { accountId: string; region: string; modelId: string; hour: string },
  t: Traffic,
): number | null {
  const row = emptyUsageRow({ tenantId: '', ...key });
  addCounters(row, t);
  return rowCost(prices, row);
}

function addFigures(
  into: UnattributedFigures,
  t: Traffic,
  cost: number | null,
) {
  addTraffic(into, t);
  into.estimatedCostUsd += cost ?? 0;
}

/**
 * The admin view: per account and region, the account's usage, the tenants' attributed part and
 * the unattributed rest, priced per day (`rows` from AccountUsageStore.getDaily) at the prices
 * in effect that day. Unpriced models count in the tokens, not in the cost: they are listed and
 * the account-region is `partial`.
 */
export function unattributedReport(o: {
  rows: AccountUsageRow[];
  states: AccountUsageState[];
  prices: PriceRow[];
  range: TimeRange;
}): UnattributedReport {
  const byPlace = new Map<string, UnattributedAccountRegion>();
  const models = new Map<string, Map<string, UnattributedModel>>();
  const place = (accountId: string, region: string) => {
    const key = `${accountId}/${region}`;
    let p = byPlace.get(key);
    if (!p) {
      const state = o.states.find(
        s => s.accountId === accountId && s.region === region,
      );
      p = {
        accountId,
        region,
        collectedTo: state?.watermark ?? null,
        lastError: state?.lastError ?? null,
        account: emptyFigures(),
        attributed: emptyFigures(),
        unattributed: emptyFigures(),
        overAttributedTokens: 0,
        unpricedModels: [],
        partial: false,
        models: [],
      };
      byPlace.set(key, p);
      models.set(key, new Map());
    }
    return { p, models: models.get(key)! };
  };
  for (const s of o.states) place(s.accountId, s.region);
  for (const r of o.rows) {
    const { p, models: m } = place(r.accountId, r.region);
    let model = m.get(r.modelId);
    if (!model) {
      model = {
        modelId: r.modelId,
        displayName: modelDisplayName(r.modelId),
        account: emptyFigures(),
        attributed: emptyFigures(),
        unattributed: emptyFigures(),
        overAttributedTokens: 0,
        priced: true,
      };
      m.set(r.modelId, model);
    }
    for (const side of SIDES) {
      const cost = trafficCost(o.prices, r, r[side]);
      if (cost === null && hasTraffic(r[side])) model.priced = false;
      addFigures(model[side], r[side], cost);
      addFigures(p[side], r[side], cost);
    }
    const over = overAttributedTokens(r);
    model.overAttributedTokens += over;
    p.overAttributedTokens += over;
  }
  for (const [key, p] of byPlace) {
    p.models = [...models.get(key)!.values()].sort(
      (a, b) =>
        b.unattributed.estimatedCostUsd - a.unattributed.estimatedCostUsd ||
        b.unattributed.inputTokens +
          b.unattributed.outputTokens -
          (a.unattributed.inputTokens + a.unattributed.outputTokens) ||
        a.modelId.localeCompare(b.modelId),
    );
    p.unpricedModels = p.models
      .filter(m => !m.priced)
      .map(m => m.modelId)
      .sort();
    p.partial = p.unpricedModels.length > 0;
  }
  return {
    range: { from: iso(o.range.from), to: iso(o.range.to) },
    currency: 'USD',
    accountRegions: [...byPlace.values()].sort((a, b) =>
      `${a.accountId}/${a.region}`.localeCompare(`${b.accountId}/${b.region}`),
    ),
    notes: UNATTRIBUTED_NOTES,
  };
}

/**
 * The chargeback export's unattributed rows: one per account and region with usage in the
 * month, its models with unattributed traffic (an unpriced one's cost null, never 0).
 */
export function chargebackUnattributed(
  report: UnattributedReport,
): ChargebackUnattributed[] {
  return report.accountRegions
    .filter(p => hasTraffic(p.account) || hasTraffic(p.attributed))
    .map(p => ({
      accountId: p.accountId,
      region: p.region,
      invocations: p.unattributed.invocations,
      inputTokens: p.unattributed.inputTokens,
      outputTokens: p.unattributed.outputTokens,
      estimatedCostUsd: p.unattributed.estimatedCostUsd,
      costComplete: !p.models.some(
        m => !m.priced && hasTraffic(m.unattributed),
      ),
      overAttributedTokens: p.overAttributedTokens,
      account: {
        invocations: p.account.invocations,
        inputTokens: p.account.inputTokens,
        outputTokens: p.account.outputTokens,
        estimatedCostUsd: p.account.estimatedCostUsd,
      },
      models: p.models
        .filter(m => hasTraffic(m.unattributed))
        .map(m => ({
          modelId: m.modelId,
          displayName: m.displayName,
          invocations: m.unattributed.invocations,
          inputTokens: m.unattributed.inputTokens,
          outputTokens: m.unattributed.outputTokens,
          estimatedCostUsd: m.priced ? m.unattributed.estimatedCostUsd : null,
        })),
    }));
}
