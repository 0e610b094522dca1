/**
 * Name of a tenant's Bedrock guardrail in each of its regions. The backend looks for guardrails
 * of this name and accepts one only when its tags say the suite made it for that tenant.
 * Guardrail names allow 50 characters of [0-9a-zA-Z_-]: a tenant id has at most 32.
 *
 * @public
 */
export const defaultGuardrailName = (tenantId: string) => `bedrock-${tenantId}`;

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
