import { HourlyUsageRow } from '../database/types';
import { SeriesValues, tenantRows } from '../collector/metrics';
import type { Tenant } from '../tenant';

/**
 * The counters attribution splits: what is priced (tokens) and counted (invocations). Errors,
 * throttles and latency are not spend and are left out.
 */
export const ATTRIBUTED_COUNTERS = [
  'invocations',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
] as const;
export type AttributedCounter = (typeof ATTRIBUTED_COUNTERS)[number];
export type Traffic = Record<AttributedCounter, number>;

export const emptyTraffic = (): Traffic => ({
  invocations: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

export function addTraffic(
  into: Traffic,
  from: Partial<Record<AttributedCounter | 'cacheWrite1hTokens', number>>,
) {
  for (const c of ATTRIBUTED_COUNTERS) into[c] += from[c] ?? 0;
  // CloudWatch counts every cache write in one series: an identity tenant's 1-hour writes
  // (told apart in its logs) are part of what it takes from that series
  into.cacheWriteTokens += from.cacheWrite1hTokens ?? 0;
}

/** One hour of one model in one account and region, split by attribution. */
export interface AccountUsageRow {
  accountId: string;
  region: string;
  /** normalized as tenants' rows are (see {@link accountSeriesRows}) */
  modelId: string;
  /** start of the UTC hour, ISO 8601 */
  hour: string;
  /** the account's `AWS/Bedrock` series of the model in the hour */
  account: Traffic;
  /** what the tenants bound in the account and region were attributed of it */
  attributed: Traffic;
  /** max(0, account - attributed), per counter */
  unattributed: Traffic;
}

/**
 * Tokens attributed beyond the account's series in a row (0 unless clamped):
 * attributed + unattributed - account, summed over the token counters.
 */
export function overAttributedTokens(r: {
  account: Traffic;
  attributed: Traffic;
  unattributed: Traffic;
}): number {
  let over = 0;
  for (const c of ATTRIBUTED_COUNTERS) {
    if (c === 'invocations') continue;
    over += r.attributed[c] + r.unattributed[c] - r.account[c];
  }
  return over;
}

/**
 * The account's series as hourly rows per model, normalized the way tenants' rows are, so the
 * two can be compared key by key: the `ModelId` series given (the collector gives those no
 * profile tenant owns, and adds the profile tenants' stored rows, which are their series), their
 * application inference profiles resolved to their model through the profiles of every tenant
 * bound there (a profile of no tenant keeps its own id: it is nobody's, and has no price), geo
 * prefixes dropped, service tier suffixes kept (`normalizeModelId`). Built with the tenants'
 * row builder ({@link tenantRows}) over a pseudo-tenant that owns every series.
 */
export function accountSeriesRows(o: {
  accountId: string;
  region: string;
  /** the tenants bound in this account and region */
  tenants: Tenant[];
  dimensions: string[];
  values: SeriesValues;
}): HourlyUsageRow[] {
  const profiles: Record<string, string> = {};
  for (const t of o.tenants) {
    if (t.attribution === 'inference-profile')
      Object.assign(profiles, t.inferenceProfiles);
  }
  return tenantRows({
    tenant: {
      tenantId: '',
      entityRef: '',
      accountId: o.accountId,
      regions: [o.region],
      attribution: 'account',
      inferenceProfiles: profiles,
      principalArns: [],
      alarmPrefix: '',
      budgetName: '',
    },
    accountId: o.accountId,
    region: o.region,
    dimensions: o.dimensions,
    values: o.values,
  });
}

/**
 * Splits the account's usage of each model and hour into attributed and unattributed.
 *
 * The rule, per account, region, model and hour (model ids normalized alike on both sides):
 * - attributed = the sum of the rows of every tenant bound in the account and region:
 *   - a profile tenant's rows are its application inference profiles' series, which the account
 *     series also holds (under the profile's id, resolved to the same model), so they are
 *     subtracted from the same model's account figure;
 *   - an identity tenant's rows come from invocation logs, by caller, of the model it called
 *     (base model, geo or global profile): its tokens are part of that model's account series
 *     (CloudWatch counts every caller of a ModelId), so they are subtracted from it, and only the
 *     remainder of the base model is unattributed;
 *   - an account tenant owns every series of its account and region: nothing is unattributed
 *     there (`accountWide`).
 * - unattributed = account - attributed, per counter, never below 0. When the tenants are
 *   attributed more than the series holds (an identity tenant calling another tenant's profile
 *   is counted twice, or logs and metrics disagree for an hour), unattributed is clamped at 0
 *   and the excess stays visible as {@link overAttributedTokens}.
 * - a model-hour only the tenants have (no account datapoint) is kept, with account 0: all of
 *   it is over-attributed.
 */
export function attributeHours(o: {
  accountId: string;
  region: string;
  /** the account's rows ({@link accountSeriesRows}) */
  account: HourlyUsageRow[];
  /** the bound tenants' rows of the account and region, same hours */
  attributed: HourlyUsageRow[];
  /** an account-mode tenant is bound here: it owns all the usage */
  accountWide?: boolean;
}): AccountUsageRow[] {
  const rows = new Map<string, AccountUsageRow>();
  const entry = (modelId: string, hour: string) => {
    const key = `${modelId}|${hour}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        accountId: o.accountId,
        region: o.region,
        modelId,
        hour,
        account: emptyTraffic(),
        attributed: emptyTraffic(),
        unattributed: emptyTraffic(),
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const a of o.account) {
    if (a.accountId !== o.accountId || a.region !== o.region) continue;
    addTraffic(entry(a.modelId, a.hour).account, a);
  }
  for (const t of o.attributed) {
    if (t.accountId !== o.accountId || t.region !== o.region) continue;
    addTraffic(entry(t.modelId, t.hour).attributed, t);
  }
  for (const r of rows.values()) {
    for (const c of ATTRIBUTED_COUNTERS) {
      r.unattributed[c] = o.accountWide
        ? 0
        : Math.max(0, r.account[c] - r.attributed[c]);
    }
    if (o.accountWide) r.attributed = { ...r.account };
  }
  return [...rows.values()].sort((x, y) =>
    `${x.hour}|${x.modelId}`.localeCompare(`${y.hour}|${y.modelId}`),
  );
}
