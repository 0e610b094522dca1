import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type {
  GuardrailCounts,
  GuardrailPolicyCounts,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { MAX_QUERIES_PER_CALL } from './metrics';

/**
 * What CloudWatch publishes about guardrails, and which of it belongs to one guardrail.
 *
 * Namespace `AWS/Bedrock/Guardrails`. AWS's user guide ("Monitor Amazon Bedrock Guardrails using
 * CloudWatch metrics") documents the dimensions `Operation`, `GuardrailContentSource`
 * (Input/Output) and `GuardrailPolicyType` (ContentPolicy, TopicPolicy, WordPolicy,
 * SensitiveInformationPolicy, ContextualGroundingPolicy, ...): none of them names a guardrail, so
 * series with only these are account-and-region-wide. Series with `GuardrailArn` (and
 * `GuardrailVersion`) are one guardrail's; whether AWS publishes them (and with which metrics)
 * is read from ListMetrics, never assumed. Prompt attacks have no policy type of their own: they
 * count under ContentPolicy.
 */
export const GUARDRAIL_NAMESPACE = 'AWS/Bedrock/Guardrails';
/** Figures cover the last 7 days up to the start of the current hour. */
export const GUARDRAIL_WINDOW_DAYS = 7;
const PERIOD = 86_400;

const FIELDS = {
  Invocations: 'invocations',
  InvocationsIntervened: 'intervened',
  TextUnitCount: 'textUnits',
} as const;
type Field = (typeof FIELDS)[keyof typeof FIELDS];

export interface GuardrailSeries {
  metric: string;
  dimensions: Record<string, string>;
}

/**
 * Dimensions that split a count into disjoint parts (summing over them is exact). A series with
 * any other dimension (GuardrailContentSource: a call may be checked on input and output) is
 * left out rather than risk counting an invocation twice.
 */
const TOTAL_DIMS = ['GuardrailArn', 'GuardrailVersion', 'Operation'];
const POLICY_DIMS = [...TOTAL_DIMS, 'GuardrailPolicyType'];

const names = (s: GuardrailSeries) => Object.keys(s.dimensions).sort();

/**
 * The series to sum for each metric: those `match` accepts whose dimensions are all in
 * `allowed`, and of those only one dimension set per metric (the smallest): the same
 * invocations published under two sets would otherwise count twice.
 */
export function pickSeries(
  series: GuardrailSeries[],
  allowed: string[],
  match: (dims: Record<string, string>) => boolean,
): GuardrailSeries[] {
  const eligible = series.filter(
    s =>
      s.metric in FIELDS &&
      names(s).every(n => allowed.includes(n)) &&
      match(s.dimensions),
  );
  const chosen = new Map<string, string>();
  for (const s of eligible) {
    const key = names(s).join(',');
    const best = chosen.get(s.metric);
    if (
      best === undefined ||
      key.split(',').length < best.split(',').length ||
      (key.split(',').length === best.split(',').length && key < best)
    )
      chosen.set(s.metric, key);
  }
  return eligible.filter(s => chosen.get(s.metric) === names(s).join(','));
}

/** The series of one guardrail's totals (every version, every operation). */
export const totalSeries = (series: GuardrailSeries[], arn: string) =>
  pickSeries(
    series,
    TOTAL_DIMS,
    d => d.GuardrailArn === arn && !('GuardrailPolicyType' in d),
  );

/** Per-policy series of one guardrail, when AWS publishes them. */
export const guardrailPolicySeries = (series: GuardrailSeries[], arn: string) =>
  pickSeries(
    series,
    POLICY_DIMS,
    d => d.GuardrailArn === arn && 'GuardrailPolicyType' in d,
  );

/** Per-policy series of the whole account and region (no guardrail dimension). */
export const accountPolicySeries = (series: GuardrailSeries[]) =>
  pickSeries(
    series,
    POLICY_DIMS,
    d => !('GuardrailArn' in d) && 'GuardrailPolicyType' in d,
  );

/** What a query's result adds to: a bucket (`total|<arn>`, `policy|<arn>|<type>`, ...) and a field. */
export interface GuardrailQueryMeta {
  bucket: string;
  field: Field;
}

/** Sum queries for the series, each into its bucket, in batches of at most 500. */
export function guardrailQueries(
  wanted: Array<{ bucket: string; series: GuardrailSeries[] }>,
) {
  const queries: MetricDataQuery[] = [];
  const meta = new Map<string, GuardrailQueryMeta>();
  for (const { bucket, series } of wanted) {
    for (const s of series) {
      const id = `g${queries.length}`;
      meta.set(id, {
        bucket,
        field: FIELDS[s.metric as keyof typeof FIELDS],
      });
      queries.push({
        Id: id,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: GUARDRAIL_NAMESPACE,
            MetricName: s.metric,
            Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({
              Name,
              Value,
            })),
          },
          Period: PERIOD,
          Stat: 'Sum',
        },
      });
    }
  }
  const batches: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL)
    batches.push(queries.slice(i, i + MAX_QUERIES_PER_CALL));
  return { batches, meta };
}

export type Buckets = Map<string, GuardrailCounts>;

export function addGuardrailResult(
  into: Buckets,
  meta: GuardrailQueryMeta | undefined,
  values: number[],
) {
  if (!meta) return;
  const b = into.get(meta.bucket) ?? {
    invocations: 0,
    intervened: 0,
    textUnits: 0,
  };
  for (const v of values) if (Number.isFinite(v)) b[meta.field] += v;
  into.set(meta.bucket, b);
}

/** Buckets named `<prefix><policy type>` as policy rows, largest intervention count first. */
export function policyRows(
  buckets: Buckets,
  prefix: string,
): GuardrailPolicyCounts[] {
  return [...buckets]
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => ({
      policyType: k.slice(prefix.length),
      intervened: v.intervened,
      textUnits: v.textUnits,
    }))
    .sort(
      (a, b) =>
        b.intervened - a.intervened || a.policyType.localeCompare(b.policyType),
    );
}
