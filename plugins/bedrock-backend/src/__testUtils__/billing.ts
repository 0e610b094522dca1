/* TEST-ONLY: builders for the estimate-vs-bill tests: usage rows at known prices, Cost Explorer answers. */
import type { GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';

/** Claude 3 Haiku: USD 0.00025 per 1K input tokens, 0.00125 per 1K output (the built-in table). */
export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
/** A model no price row knows: its traffic is unpriced. */
export const UNPRICED_MODEL = 'acme.unpriced-model-v1:0';

/** One usage row of `tenantId` at `hour` (ISO) with these token counts, us-east-1. */
export function usageRow(o: {
  tenantId: string;
  hour: string;
  inputTokens: number;
  outputTokens?: number;
  modelId?: string;
}): HourlyUsageRow {
  return {
    ...emptyUsageRow({
      tenantId: o.tenantId,
      accountId: '111111111111',
      region: 'us-east-1',
      modelId: o.modelId ?? HAIKU,
      hour: o.hour,
    }),
    invocations: 1,
    inputTokens: o.inputTokens,
    outputTokens: o.outputTokens ?? 0,
  };
}

/** The days `YYYY-MM-DD` from `first` to `last`, both included. */
export function daysFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (
    let t = Date.parse(`${first}T00:00:00Z`);
    t <= Date.parse(`${last}T00:00:00Z`);
    t += 86_400_000
  )
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const next = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);

/** One cost group: `[service, '<tag key>$<value>']` and its unblended USD. */
export interface CostGroup {
  service: string;
  /** `<tag key>$<value>`, e.g. `bedrock-tenancy:tenant$alpha`; omitted when grouped by service only */
  tag?: string;
  usd: number;
}

/**
 * A GetCostAndUsage answer, DAILY, grouped as the suite asks: per day, its groups (Cost Explorer
 * lists every day of the period, with or without groups).
 */
export function costAndUsage(
  days: Array<{ date: string; groups: CostGroup[] }>,
  nextPageToken?: string,
): Partial<GetCostAndUsageCommandOutput> {
  return {
    ResultsByTime: days.map(d => ({
      TimePeriod: { Start: d.date, End: next(d.date) },
      Total: {},
      Groups: d.groups.map(g => ({
        Keys: g.tag === undefined ? [g.service] : [g.service, g.tag],
        Metrics: { UnblendedCost: { Amount: String(g.usd), Unit: 'USD' } },
      })),
      Estimated: true,
    })),
    DimensionValueAttributes: [],
    ...(nextPageToken && { NextPageToken: nextPageToken }),
  };
}
