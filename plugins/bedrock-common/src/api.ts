import { z } from 'zod';
import type { AttributionMode } from './annotations';
import {
  budgetEnforcementSchema,
  type BudgetEnforcement,
  type EnforcementInfo,
} from './enforcement';

/*
 * The HTTP API of the bedrock backend plugin (routes under /api/bedrock), shared by the
 * backend, which produces these shapes, and the frontend, which renders them.
 * Amounts are USD; timestamps are ISO 8601 UTC strings.
 */

/**
 * The range presets of the summary and roll-up.
 *
 * @public
 */
export const RANGE_PRESETS = ['24h', '7d', '30d', 'mtd'] as const;
/** @public */
export type RangePreset = (typeof RANGE_PRESETS)[number];

/**
 * Query of the entity summary and group roll-up: a preset, or an explicit from/to.
 *
 * @public
 */
export const rangeQuerySchema = z
  .object({
    range: z.enum(RANGE_PRESETS).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict()
  .refine(q => !(q.range && (q.from || q.to)), {
    message: 'give either range or from/to, not both',
  })
  .refine(q => !q.to || q.from, { message: 'to needs from' })
  .refine(q => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
  });
/** @public */
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

/**
 * A panel that can fail on its own: a failed panel never takes the page down.
 *
 * @public
 */
export type Section<T> =
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string }
  | { status: 'unavailable'; message: string };

/** @public */
export interface UsageTotals {
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  clientErrors: number;
  serverErrors: number;
  throttles: number;
  /** (client + server errors) / (invocations + errors); null without traffic */
  errorRate: number | null;
  latencyAvgMs: number | null;
  latencyMaxMs: number | null;
  /** null when the endpoint does not serve percentiles: show "not available" */
  latencyP99Ms: number | null;
  /** null when some traffic is unpriced: never shown as $0 */
  estimatedCostUsd: number | null;
}

/** @public */
export interface ModelUsage extends UsageTotals {
  modelId: string;
  displayName: string;
  priced: boolean;
  /** this model's share of the tenant's priced cost in the range, 0..1 */
  costShare: number | null;
}

/** @public */
export interface SeriesPoint {
  /** start of the bucket */
  timestamp: string;
  modelId: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  clientErrors: number;
  serverErrors: number;
  throttles: number;
  latencyAvgMs: number | null;
  estimatedCostUsd: number | null;
}

/** @public */
export interface DailyCost {
  date: string; // YYYY-MM-DD
  estimatedUsd: number;
  billedUsd: number | null;
}

/** @public */
export interface CostAnomaly {
  date: string;
  amountUsd: number;
  baselineUsd: number;
  /** how many standard deviations above the trailing 14-day mean */
  score: number;
}

/** @public */
export interface CostBlock {
  currency: 'USD';
  /** estimated cost of the selected range (priced models only) */
  rangeEstimatedUsd: number;
  monthToDateUsd: number;
  /** from the trailing 7-day daily run rate */
  projectedMonthEndUsd: number;
  dailyRunRateUsd: number;
  unpricedModels: string[];
  daily: DailyCost[];
  anomaly: CostAnomaly | null;
  billed: { monthToDateUsd: number; gapUsd: number; asOf: string } | null;
  /** what the figures price */
  includes: string[];
  /** how they price what CloudWatch cannot tell apart (cache TTL, endpoint, service tier) */
  assumptions: string[];
  /** what the figures cannot see */
  excludes: string[];
}

/** @public */
export interface BudgetBlock {
  name: string;
  limitUsd: number;
  actualSpendUsd: number;
  forecastedSpendUsd: number | null;
  usedFraction: number;
  /** date the budget runs out at the current run rate; null if it does not this month */
  runsOutOn: string | null;
  thresholds: Array<{
    percent: number;
    type: 'ACTUAL' | 'FORECASTED';
    crossed: boolean;
  }>;
}

/** @public */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
/** @public */
export interface AlarmInfo {
  name: string;
  state: AlarmState;
  reason: string;
  updatedAt: string | null;
  metricName: string | null;
  threshold: number | null;
  region: string;
  consoleUrl: string;
  /** whether the alarm's actions are on (the suspend action turns them off); absent in old snapshots */
  actionsEnabled?: boolean;
}

/** @public */
export interface GovernanceInfo {
  region: string;
  loggingEnabled: boolean;
  cloudWatchLogGroup: string | null;
  s3Bucket: string | null;
  /** prompts and responses are written to the logs */
  promptsLogged: boolean;
  deliveryFailures: { cloudWatch: number; s3: number } | null;
}

/**
 * Sums over the guardrail window (`AWS/Bedrock/Guardrails`, statistic Sum).
 *
 * @public
 */
export interface GuardrailCounts {
  invocations: number;
  /** invocations where the guardrail blocked or masked something */
  intervened: number;
  textUnits: number;
}

/** @public */
export interface GuardrailPolicyCounts {
  /** the GuardrailPolicyType dimension: ContentPolicy, TopicPolicy, WordPolicy, SensitiveInformationPolicy, ... */
  policyType: string;
  intervened: number;
  textUnits: number;
}

/**
 * A tenant's guardrail in one region and its CloudWatch figures. A figure CloudWatch does not
 * publish for this guardrail is null (with the reason in `notes`), never an account-wide number.
 *
 * @public
 */
export interface GuardrailInfo {
  region: string;
  guardrailId: string;
  guardrailArn: string;
  name: string;
  /** newest published version; null when only the draft exists */
  version: string | null;
  windowDays: number;
  /** end of the window (exclusive), ISO */
  until: string;
  /** this guardrail's own figures (GuardrailArn dimension, every version) */
  totals: GuardrailCounts | null;
  /**
   * Per policy type. `guardrail`: this guardrail's own; `account`: the whole account and region,
   * shown only for a tenant that owns its account (account attribution).
   */
  byPolicy: {
    scope: 'guardrail' | 'account';
    policies: GuardrailPolicyCounts[];
  } | null;
  /** why a figure is null or what its scope is */
  notes: string[];
}

/** @public */
export interface IdleStatus {
  idle: boolean;
  lastInvocationAt: string | null;
  thresholdDays: number;
}

/** @public */
export interface Suggestion {
  kind: 'suspend-idle' | 'model-mix' | 'throttling' | 'errors';
  message: string;
}

/** @public */
export interface Freshness {
  /** end of the newest collected hour */
  dataUntil: string | null;
  lastCollectedAt: string | null;
  stale: boolean;
}

/** @public */
export interface TenantInfo {
  entityRef: string;
  tenantId: string;
  accountId: string;
  regions: string[];
  attribution: AttributionMode;
}

/** @public */
export interface EntitySummary {
  tenant: TenantInfo;
  range: { from: string; to: string; granularity: 'hour' | 'day' };
  totals: UsageTotals;
  models: ModelUsage[];
  series: SeriesPoint[];
  cost: Section<CostBlock>;
  budget: Section<BudgetBlock | null>;
  alarms: Section<AlarmInfo[]>;
  governance: Section<GovernanceInfo[]>;
  /** the tenant's guardrails, one per region that has one; shown in the governance panel */
  guardrails: Section<GuardrailInfo[]>;
  idle: IdleStatus;
  suggestions: Suggestion[];
  freshness: Freshness;
  /**
   * The tenant's budget enforcement (opted in through its binding) and its last decision; null
   * when the tenant has not opted in, absent from older backends.
   */
  enforcement?: EnforcementInfo | null;
}

/** @public */
export interface GroupTenantRow {
  entityRef: string;
  title: string;
  tenantId: string;
  /** full entity ref of the owner, e.g. `group:default/team-checkout` */
  owner: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number | null;
  monthToDateUsd: number | null;
  projectedMonthEndUsd: number | null;
  budgetLimitUsd: number | null;
  budgetUsedFraction: number | null;
  alarmsInAlarm: number;
}

/** @public */
export interface GroupRollup {
  groupRef: string;
  includeChildren: boolean;
  range: { from: string; to: string };
  totals: {
    tenants: number;
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    estimatedCostUsd: number;
    monthToDateUsd: number;
    projectedMonthEndUsd: number;
    budgetLimitUsd: number;
    alarmsInAlarm: number;
    unpricedTenants: number;
    /**
     * True when `estimatedCostUsd` (and the month-to-date and projection sums) cover only part of
     * the traffic: some tenant uses a model without a price, or its cost could not be computed.
     * Absent in answers of older backends.
     */
    partial?: boolean;
    /** why the cost totals are partial; null when they are complete */
    partialReason?: string | null;
  };
  /** the groups whose tenants are counted: the group, and its descendants when includeChildren */
  groups?: string[];
  /**
   * entities the group owns that claim a tenant the caller may not read: left out of the list
   * and the totals, only counted here
   */
  unreadableTenants?: number;
  tenants: GroupTenantRow[];
  /** entities the group owns that carry no (or malformed) tenant annotations */
  unannotated: Array<{ entityRef: string; title: string; kind: string }>;
  /**
   * entities the group owns whose tenant annotations no binding confirms (copied, unbound or
   * out of date): never counted in the totals
   */
  unverified: Array<{
    entityRef: string;
    title: string;
    kind: string;
    reason: string;
  }>;
}

/**
 * Error name of the 4xx answered for an entity whose tenant annotations no binding confirms.
 *
 * @public
 */
export const UNVERIFIED_TENANT_ERROR = 'UnverifiedTenantError';

/**
 * Where a tenant binding came from; `config` and `admin` bindings are never overwritten from tags.
 *
 * @public
 */
export const BINDING_SOURCES = [
  'provisioning',
  'aws-tags',
  'config',
  'admin',
] as const;
/** @public */
export type BindingSource = (typeof BINDING_SOURCES)[number];

/**
 * Body of PUT /bindings/:tenantId: which catalog entity a tenant's data belongs to. Only the
 * scaffolder module (service principal `plugin:scaffolder`) and holders of
 * `bedrock.binding.manage` may write it.
 *
 * @public
 */
export const tenantBindingBodySchema = z
  .object({
    entityRef: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*:[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/,
        'a full entity ref, e.g. component:default/checkout-assistant',
      ),
    accountId: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id'),
    regions: z
      .array(
        z
          .string()
          .regex(
            /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
            'an AWS region, e.g. us-east-1',
          ),
      )
      .min(1)
      .max(20),
    attribution: z.enum(['account', 'inference-profile', 'identity']),
    inferenceProfiles: z
      .record(z.string().regex(/^[a-z0-9]{1,64}$/), z.string().min(1).max(255))
      .default({}),
    principalArns: z
      .array(
        z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+$/),
      )
      .max(50)
      .default([]),
    alarmPrefix: z.string().min(1).max(255).optional(),
    budgetName: z.string().min(1).max(100).optional(),
    /**
     * Opt-in to budget enforcement; null turns it off; absent keeps what the binding has (a
     * binding rebuilt from AWS tags keeps the opt-in the provisioning recorded).
     */
    budgetEnforcement: budgetEnforcementSchema.nullable().optional(),
  })
  .strict();
/** @public */
export type TenantBindingBody = z.input<typeof tenantBindingBodySchema>;

/**
 * A recorded tenant binding, as GET/PUT /bindings answer it.
 *
 * @public
 */
export interface TenantBindingInfo {
  tenantId: string;
  entityRef: string;
  accountId: string;
  regions: string[];
  attribution: AttributionMode;
  inferenceProfiles: Record<string, string>;
  principalArns: string[];
  alarmPrefix: string;
  budgetName: string;
  source: BindingSource;
  updatedAt: string;
  updatedBy: string;
  /** the tenant's opt-in to budget enforcement; null when it has none */
  budgetEnforcement?: BudgetEnforcement | null;
}

/**
 * Answer of POST /entity/:kind/:namespace/:name/refresh.
 *
 * @public
 */
export interface RefreshResult {
  entityRef: string;
  tenantId: string;
  collectedAt: string;
}
