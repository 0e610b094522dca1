import { InputError } from '@backstage/errors';
import type {
  EntitySummary,
  ModelUsage,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { DAY_MS, floorHour, HOUR_MS } from '../lib/time';
import type { TimeRange } from '../service/range';
import { sectionParts } from './outputs';

/** The longest range either side of the comparison may cover. */
export const MAX_EXPLAIN_DAYS = 93;
/** The default comparison: the last 7 days against the 7 days before. */
const DEFAULT_DAYS = 7;
/** How many models the explanation lists; the rest are counted. */
export const TOP_MODELS = 5;

/** What the estimates cannot tell apart: said in every answer rather than guessed. */
export const TIER_ASSUMPTION =
  'each service tier is its own model line (<model-id>+priority, <model-id>+flex, as CloudWatch reports them) priced at its own rate, so moving traffic between tiers shows as one line falling and another rising; batch jobs are not counted';
const PARTIAL_ASSUMPTION =
  'range costs count priced traffic only: a model without a price is listed in unpricedModels with a null cost, never counted as USD 0, and the range is marked partial';

export interface ComparisonInput {
  from?: string;
  to?: string;
  previousFrom?: string;
  previousTo?: string;
}

const iso = (t: number) => new Date(t).toISOString();
const ceilHour = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS;

function instant(name: string, value: string): number {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) {
    throw new InputError(
      `${name} is not an ISO 8601 date-time: ${value} (e.g. 2026-11-01T00:00:00Z)`,
    );
  }
  return t;
}

function checked(name: string, r: TimeRange): TimeRange {
  if (r.to <= r.from) {
    throw new InputError(`the ${name} range must start before it ends`);
  }
  if (r.to - r.from > MAX_EXPLAIN_DAYS * DAY_MS) {
    throw new InputError(
      `the ${name} range covers more than ${MAX_EXPLAIN_DAYS} days: compare shorter ranges`,
    );
  }
  return r;
}

/**
 * The two ranges compared, in whole hours: the current one (`from`/`to`, default the last 7
 * days) and the previous one (`previousFrom`/`previousTo`, default as long as the current one and
 * ending where it starts). Each covers at most 93 days; the previous one ends where the current
 * one starts, or earlier.
 */
export function comparedRanges(
  input: ComparisonInput,
  now: number,
): { current: TimeRange; previous: TimeRange } {
  if (input.to && !input.from) throw new InputError('to needs from');
  if (input.previousTo && !input.previousFrom) {
    throw new InputError('previousTo needs previousFrom');
  }
  const end = floorHour(now) + HOUR_MS;
  const current = checked(
    'current',
    input.from
      ? {
          from: floorHour(instant('from', input.from)),
          to: input.to ? ceilHour(instant('to', input.to)) : end,
        }
      : { from: end - DEFAULT_DAYS * DAY_MS, to: end },
  );
  const previous = checked(
    'previous',
    input.previousFrom
      ? {
          from: floorHour(instant('previousFrom', input.previousFrom)),
          to: input.previousTo
            ? ceilHour(instant('previousTo', input.previousTo))
            : current.from,
        }
      : { from: 2 * current.from - current.to, to: current.from },
  );
  if (previous.to > current.from) {
    throw new InputError(
      `the previous range must end where the current one starts or earlier: it ends ${iso(
        previous.to,
      )}, the current one starts ${iso(current.from)}`,
    );
  }
  return { current, previous };
}

/** The range query tenantSummary resolves: the range's ends, already whole hours. */
export const queryOf = (r: TimeRange) => ({ from: iso(r.from), to: iso(r.to) });

const DRIVERS = [
  'invocations',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
] as const;
type Driver = (typeof DRIVERS)[number];
interface Figure {
  previous: number;
  current: number;
  delta: number;
}

/** Rounds away binary noise at a millionth of a dollar. */
const usd = (v: number) => Math.round(v * 1e6) / 1e6;
const usdOrNull = (v: number | null) => (v === null ? null : usd(v));

/** A model's cost in a range: 0 without traffic when it has a price, null when it has none. */
function costIn(m: ModelUsage | undefined, priced: boolean): number | null {
  if (!m) return priced ? 0 : null;
  return m.estimatedCostUsd;
}

/** A range's cost: the priced traffic's, and which models have no price. */
function rangeCost(s: EntitySummary) {
  const unpricedModels = s.models
    .filter(m => m.estimatedCostUsd === null)
    .map(m => m.modelId)
    .sort();
  return {
    from: s.range.from,
    to: s.range.to,
    estimatedCostUsd: usd(
      s.models.reduce((sum, m) => sum + (m.estimatedCostUsd ?? 0), 0),
    ),
    partial: unpricedModels.length > 0,
    unpricedModels,
  };
}

function presenceOf(cur: ModelUsage | undefined, prev: ModelUsage | undefined) {
  if (!prev) return 'new';
  if (!cur) return 'gone';
  return 'both';
}

/** One model in both ranges: its costs, their delta and the token counts behind it. */
function modelChange(
  modelId: string,
  cur: ModelUsage | undefined,
  prev: ModelUsage | undefined,
) {
  // a model with unpriced traffic in either range has no cost in either: never USD 0
  const priced = [cur, prev].every(m => !m || m.estimatedCostUsd !== null);
  const currentCostUsd = costIn(cur, priced);
  const previousCostUsd = costIn(prev, priced);
  const drivers = Object.fromEntries(
    DRIVERS.map(d => {
      const current = cur?.[d] ?? 0;
      const previous = prev?.[d] ?? 0;
      return [d, { previous, current, delta: current - previous }];
    }),
  ) as Record<Driver, Figure>;
  return {
    modelId,
    displayName: (cur ?? prev)!.displayName,
    presence: presenceOf(cur, prev),
    priced,
    previousCostUsd: usdOrNull(previousCostUsd),
    currentCostUsd: usdOrNull(currentCostUsd),
    deltaUsd:
      currentCostUsd === null || previousCostUsd === null
        ? null
        : usd(currentCostUsd - previousCostUsd),
    drivers,
  } as const;
}

export type ModelChange = ReturnType<typeof modelChange>;

/** Largest change first, whichever its sign; models without a price (no delta) last. */
const byChange = (a: ModelChange, b: ModelChange) =>
  (b.deltaUsd === null ? -1 : Math.abs(b.deltaUsd)) -
    (a.deltaUsd === null ? -1 : Math.abs(a.deltaUsd)) ||
  a.modelId.localeCompare(b.modelId);

/** The explanation of the change from the previous range's summary to the current one's. */
export function explainChange(current: EntitySummary, previous: EntitySummary) {
  const now = rangeCost(current);
  const before = rangeCost(previous);
  const curBy = new Map(current.models.map(m => [m.modelId, m]));
  const prevBy = new Map(previous.models.map(m => [m.modelId, m]));
  const ids = [...new Set([...curBy.keys(), ...prevBy.keys()])];
  const models = ids
    .map(id => modelChange(id, curBy.get(id), prevBy.get(id)))
    .sort(byChange);
  const rest = models.slice(TOP_MODELS);
  const deltaUsd = usd(now.estimatedCostUsd - before.estimatedCostUsd);
  const cost = sectionParts(current.cost);
  const costAssumptions = [
    ...(cost.data?.assumptions ?? []),
    ...(sectionParts(previous.cost).data?.assumptions ?? []),
  ];
  const dataUntil = current.freshness.dataUntil;
  const notCollected =
    dataUntil === null || Date.parse(dataUntil) < Date.parse(now.to)
      ? [
          `usage is collected up to ${
            dataUntil ?? 'no hour yet'
          }: the current range's later hours count as no traffic`,
        ]
      : [];
  return {
    previous: before,
    current: now,
    change: {
      deltaUsd,
      percent:
        before.estimatedCostUsd === 0
          ? null
          : Math.round((deltaUsd / before.estimatedCostUsd) * 10_000) / 100,
      partial: now.partial || before.partial,
    },
    models: models.slice(0, TOP_MODELS),
    otherModels: {
      count: rest.length,
      deltaUsd: usd(rest.reduce((s, m) => s + (m.deltaUsd ?? 0), 0)),
    },
    newModels: models.filter(m => m.presence === 'new').map(m => m.modelId),
    goneModels: models.filter(m => m.presence === 'gone').map(m => m.modelId),
    anomaly: cost.data?.anomaly ?? null,
    costUnavailable: cost.unavailable,
    suggestions: current.suggestions.map(s => ({
      kind: s.kind,
      message: s.message,
    })),
    dataUntil,
    assumptions: [
      TIER_ASSUMPTION,
      PARTIAL_ASSUMPTION,
      ...new Set(costAssumptions),
      ...notCollected,
    ],
  };
}
