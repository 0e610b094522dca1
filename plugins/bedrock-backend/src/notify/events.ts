import type {
  AlarmInfo,
  BudgetBlock,
  EntitySummary,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** The event types owners can be told about; each can be turned off in `bedrock.notifications`. */
export const EVENT_TYPES = [
  'budgetThreshold',
  'alarm',
  'anomaly',
  'idle',
  'suspension',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type Severity = 'critical' | 'high' | 'normal' | 'low';

/**
 * What one collection shows about one subject of a tenant (an alarm, a budget threshold of the
 * current period, an anomaly day, ...). The ledger turns observations into events: a subject
 * whose state differs from the last one recorded has changed. The quiet state (an alarm in OK,
 * an active tenant) is only recorded after a notable one, so a tenant seen for the first time
 * in a quiet state sends nothing.
 */
export interface Observation {
  type: EventType;
  /** unique per tenant, e.g. `alarm:team-a-throttles` or `budget:2026-11:ACTUAL:80` */
  subject: string;
  state: string;
  quiet: boolean;
  /** whether entering this state is told to the owners (a tenant turning active again is not) */
  notify: boolean;
  severity: Severity;
  title: string;
  description: string;
}

/** AWS Budgets of the suite are monthly: a threshold fires once per calendar month (UTC). */
export const budgetPeriod = (now: number) =>
  new Date(now).toISOString().slice(0, 7);

/** 100% of the budget is high; 80% and up normal; below low. */
function thresholdSeverity(percent: number): Severity {
  if (percent >= 100) return 'high';
  return percent >= 80 ? 'normal' : 'low';
}

const pct = (f: number) => `${Math.round(f * 100)}%`;
const usd = (v: number) => `USD ${v.toFixed(2)}`;

/**
 * Where the tenant stands, for its members: what is left, when it runs out at today's rate, and
 * how to get more.
 */
function standing(b: BudgetBlock): string {
  const left = b.limitUsd - b.actualSpendUsd;
  const runsOut = b.runsOutOn
    ? `at today's rate it runs out on ${b.runsOutOn}`
    : "at today's rate it lasts the month";
  return left > 0
    ? `${usd(
        left,
      )} left; ${runsOut}. The tenant's Bedrock tab can request a temporary increase.`
    : `Nothing left (over by ${usd(
        -left,
      )}). The tenant's Bedrock tab can request a temporary increase.`;
}

function budgetObservations(
  s: EntitySummary,
  name: string,
  thresholds: number[],
  now: number,
): Observation[] {
  if (s.budget.status !== 'ok' || !s.budget.data) return [];
  const b = s.budget.data;
  const period = budgetPeriod(now);
  const out: Observation[] = [];
  for (const percent of [...thresholds].sort((x, y) => x - y)) {
    if (b.limitUsd <= 0 || b.actualSpendUsd < (b.limitUsd * percent) / 100)
      continue;
    out.push({
      type: 'budgetThreshold',
      subject: `budget:${period}:ACTUAL:${percent}`,
      state: 'crossed',
      quiet: false,
      notify: true,
      severity: thresholdSeverity(percent),
      title: `${name}: ${percent}% of the Bedrock budget spent`,
      description: `Budget ${b.name}: ${usd(b.actualSpendUsd)} of ${usd(
        b.limitUsd,
      )} (${pct(b.usedFraction)}) spent in ${period}. ${standing(b)}`,
    });
  }
  if (
    b.forecastedSpendUsd !== null &&
    b.limitUsd > 0 &&
    b.forecastedSpendUsd >= b.limitUsd
  ) {
    out.push({
      type: 'budgetThreshold',
      subject: `budget:${period}:FORECASTED:100`,
      state: 'crossed',
      quiet: false,
      notify: true,
      severity: 'normal',
      title: `${name}: Bedrock budget forecast to run out`,
      description: `Budget ${b.name}: forecast ${usd(
        b.forecastedSpendUsd,
      )} for ${period} against a limit of ${usd(b.limitUsd)}.`,
    });
  }
  return out;
}

function alarmObservation(name: string, a: AlarmInfo): Observation | null {
  if (a.state === 'INSUFFICIENT_DATA') return null; // neither entering ALARM nor back to OK
  const alarm = a.state === 'ALARM';
  return {
    type: 'alarm',
    subject: `alarm:${a.region}:${a.name}`,
    state: a.state,
    quiet: !alarm,
    notify: true,
    severity: alarm ? 'high' : 'low',
    title: alarm
      ? `${name}: alarm ${a.name} is in ALARM`
      : `${name}: alarm ${a.name} is back to OK`,
    description: a.reason || `${a.metricName ?? 'metric'} in ${a.region}`,
  };
}

/**
 * Suspension as the status snapshots show it: the suspend action turns off the actions of the
 * tenant's alarms, so a tenant whose alarms all have their actions off is reported suspended.
 * (The Deny policy on the tenant role is not collected today.)
 */
function suspensionObservation(
  name: string,
  alarms: AlarmInfo[],
): Observation | null {
  const known = alarms.filter(a => typeof a.actionsEnabled === 'boolean');
  if (!known.length) return null;
  const suspended = known.every(a => a.actionsEnabled === false);
  return {
    type: 'suspension',
    subject: 'suspension',
    state: suspended ? 'suspended' : 'active',
    quiet: !suspended,
    notify: true,
    severity: suspended ? 'high' : 'normal',
    title: suspended
      ? `${name}: Bedrock tenant suspended`
      : `${name}: Bedrock tenant resumed`,
    description: suspended
      ? `The actions of all ${known.length} alarms of the tenant are turned off, as the suspend action leaves them.`
      : 'The alarm actions of the tenant are back on.',
  };
}

/** Everything one summary shows that owners may be told about, for the enabled event types. */
export function observe(
  s: EntitySummary,
  options: {
    enabled: Record<EventType, boolean>;
    budgetThresholds: number[];
    now: number;
  },
): Observation[] {
  const { enabled, now } = options;
  const name = s.tenant.entityRef;
  const out: Observation[] = [];
  if (enabled.budgetThreshold) {
    out.push(...budgetObservations(s, name, options.budgetThresholds, now));
  }
  const alarms = s.alarms.status === 'ok' ? s.alarms.data : null;
  if (enabled.alarm && alarms) {
    for (const a of alarms) {
      const o = alarmObservation(name, a);
      if (o) out.push(o);
    }
  }
  if (enabled.suspension && alarms) {
    const o = suspensionObservation(name, alarms);
    if (o) out.push(o);
  }
  const anomaly = s.cost.status === 'ok' ? s.cost.data.anomaly : null;
  if (enabled.anomaly && anomaly) {
    out.push({
      type: 'anomaly',
      subject: `anomaly:${anomaly.date}`,
      state: 'flagged',
      quiet: false,
      notify: true,
      severity: 'normal',
      title: `${name}: unusual Bedrock spend on ${anomaly.date}`,
      description: `Estimated ${usd(
        anomaly.amountUsd,
      )} against a baseline of ${usd(
        anomaly.baselineUsd,
      )} (${anomaly.score.toFixed(1)} standard deviations above).`,
    });
  }
  if (enabled.idle && s.freshness.lastCollectedAt) {
    const { idle, lastInvocationAt, thresholdDays } = s.idle;
    out.push({
      type: 'idle',
      subject: 'idle',
      state: idle ? 'idle' : 'active',
      quiet: !idle,
      notify: idle,
      severity: 'low',
      title: `${name}: Bedrock tenant idle`,
      description: lastInvocationAt
        ? `No invocations since ${lastInvocationAt.slice(
            0,
            10,
          )} (${thresholdDays} days or more): consider suspending it.`
        : `No invocations recorded (${thresholdDays} days or more): consider suspending it.`,
    });
  }
  return out;
}
