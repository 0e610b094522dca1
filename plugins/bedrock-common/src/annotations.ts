import type { Entity } from '@backstage/catalog-model';
import { z } from 'zod';

/**
 * Prefix shared by every annotation of the suite.
 *
 * @public
 */
export const BEDROCK_ANNOTATION_PREFIX = 'bedrock-tenancy.io';

/**
 * The tenant id: lower-case DNS-label-like, e.g. `checkout-assistant`. Required.
 *
 * @public
 */
export const ANNOTATION_TENANT_ID = `${BEDROCK_ANNOTATION_PREFIX}/tenant-id`;
/**
 * The 12-digit AWS account the tenant runs in. Required.
 *
 * @public
 */
export const ANNOTATION_ACCOUNT_ID = `${BEDROCK_ANNOTATION_PREFIX}/account-id`;
/**
 * Comma-separated AWS regions, e.g. `us-east-1,us-west-2`. Required.
 *
 * @public
 */
export const ANNOTATION_REGIONS = `${BEDROCK_ANNOTATION_PREFIX}/regions`;
/**
 * How usage is attributed to the tenant: `account`, `inference-profile` or `identity`. Defaults to `account`.
 *
 * @public
 */
export const ANNOTATION_ATTRIBUTION = `${BEDROCK_ANNOTATION_PREFIX}/attribution`;
/**
 * For `inference-profile` attribution: the tenant's application inference profiles as
 * comma-separated `<profile id>=<model id>` pairs, e.g. `a1b2c3d4e5f6=anthropic.claude-3-haiku-20240307-v1:0`.
 *
 * @public
 */
export const ANNOTATION_INFERENCE_PROFILES = `${BEDROCK_ANNOTATION_PREFIX}/inference-profiles`;
/**
 * For `identity` attribution: comma-separated IAM role ARNs whose invocations belong to the tenant.
 *
 * @public
 */
export const ANNOTATION_PRINCIPAL_ARNS = `${BEDROCK_ANNOTATION_PREFIX}/principal-arns`;
/**
 * Name prefix of the tenant's CloudWatch alarms. Defaults to `bedrock-<tenant id>-`.
 *
 * @public
 */
export const ANNOTATION_ALARM_PREFIX = `${BEDROCK_ANNOTATION_PREFIX}/alarm-prefix`;
/**
 * Name of the tenant's AWS Budget. Defaults to `bedrock-<tenant id>`.
 *
 * @public
 */
export const ANNOTATION_BUDGET_NAME = `${BEDROCK_ANNOTATION_PREFIX}/budget-name`;

/** @public */
export const ATTRIBUTION_MODES = [
  'account',
  'inference-profile',
  'identity',
] as const;
/** @public */
export type AttributionMode = (typeof ATTRIBUTION_MODES)[number];

/**
 * Tenant ids double as AWS resource-name parts, so they are kept short and DNS-like.
 *
 * @public
 */
export const TENANT_ID_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
/** @public */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** @public */
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const PROFILE_ID_PATTERN = /^[a-z0-9]{1,64}$/;
const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+$/;

/**
 * A catalog entity's link to its Bedrock tenant, as read from its annotations.
 *
 * @public
 */
export interface TenantRef {
  tenantId: string;
  accountId: string;
  regions: string[];
  attribution: AttributionMode;
  /** profile id to model id, for `inference-profile` attribution */
  inferenceProfiles: Record<string, string>;
  /** role ARNs, for `identity` attribution */
  principalArns: string[];
  alarmPrefix: string;
  budgetName: string;
}

/**
 * One annotation that is present but malformed.
 *
 * @public
 */
export interface AnnotationProblem {
  annotation: string;
  message: string;
}

/** @public */
export type TenantAnnotationResult =
  | { kind: 'ok'; tenant: TenantRef }
  | { kind: 'missing'; missing: string[] }
  | { kind: 'invalid'; problems: AnnotationProblem[] };

/**
 * Alarm names of a tenant are this followed by an {@link AlarmKind}. Only a start: tenant
 * `checkout`'s prefix is also the start of tenant `checkout-assistant`'s alarm names, so alarms are
 * never matched by it (see {@link tenantAlarmNames}).
 *
 * @public
 */
export const defaultAlarmPrefix = (tenantId: string) => `bedrock-${tenantId}-`;

/**
 * An alarm kind: the suffix of a tenant's alarm name.
 *
 * @public
 */
export type AlarmKind =
  | 'tokens'
  | 'errors'
  | 'invocations'
  | 'latency'
  | 'throttles'
  | 'ttft';

/**
 * The alarm kinds a tenant may have, in each of its regions. Every tenant has all of them but
 * `ttft` (time to first token), which it has only when its template set a threshold: a name
 * listed here is a name the tenant may have, never one it must have (readers take an absent
 * alarm as absent; a suspension records, and resume restores, only the alarms it found).
 *
 * @public
 */
export const ALARM_KINDS: readonly AlarmKind[] = [
  'tokens',
  'errors',
  'invocations',
  'latency',
  'throttles',
  'ttft',
];

/**
 * The name of a tenant's alarm of one kind: `<alarmPrefix><kind>`.
 *
 * @public
 */
export const tenantAlarmName = (alarmPrefix: string, kind: AlarmKind) =>
  `${alarmPrefix}${kind}`;

/**
 * Every alarm name the suite may give a tenant (the optional `ttft` one included), the same in
 * each of its regions, from its alarm prefix (the default `bedrock-<tenantId>-`, or the one its
 * binding configures). The one source of the set: an alarm is a tenant's only under one of these
 * exact names (or, where tags are read, with its tenant tag), never because its name starts with
 * the prefix.
 *
 * @public
 */
export const tenantAlarmNames = (alarmPrefix: string): string[] =>
  ALARM_KINDS.map(kind => tenantAlarmName(alarmPrefix, kind));

/**
 * True when `alarmName` is exactly one of the tenant's alarm names ({@link tenantAlarmNames}).
 *
 * @public
 */
export const isTenantAlarmName = (
  alarmPrefix: string,
  alarmName: string | undefined,
) =>
  alarmName !== undefined &&
  ALARM_KINDS.some(kind => tenantAlarmName(alarmPrefix, kind) === alarmName);
/** @public */
export const defaultBudgetName = (tenantId: string) => `bedrock-${tenantId}`;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);

/**
 * Kinds of catalog entity that are meant to be Bedrock tenants (the tenant template registers a
 * Component; a shared model endpoint may be a Resource). An owned entity of another kind (a
 * System, a Domain, an API) is never reported as lacking the tenant annotations; an entity of
 * any kind that carries them is still a tenant.
 *
 * @public
 */
export const TENANT_ENTITY_KINDS = ['component', 'resource'] as const;

/**
 * True when the entity declares itself a Bedrock tenant (it has the tenant id annotation).
 *
 * @public
 */
export function isBedrockTenantEntity(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_TENANT_ID]);
}

/**
 * Reads and validates the tenant annotations of an entity. Never throws: the caller decides
 * whether a missing or malformed annotation is a 404 or a 400, and the result says which
 * annotation is wrong and what it should look like.
 *
 * @public
 */
export function readTenantAnnotations(entity: Entity): TenantAnnotationResult {
  const a = entity.metadata.annotations ?? {};
  const required = [
    ANNOTATION_TENANT_ID,
    ANNOTATION_ACCOUNT_ID,
    ANNOTATION_REGIONS,
  ];
  const missing = required.filter(k => !a[k]?.trim());
  if (missing.length) return { kind: 'missing', missing };

  const problems: AnnotationProblem[] = [];
  const tenantId = a[ANNOTATION_TENANT_ID].trim();
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    problems.push({
      annotation: ANNOTATION_TENANT_ID,
      message: `"${tenantId}" is not a tenant id: use 3-32 lower-case letters, digits and dashes, starting with a letter, e.g. "checkout-assistant"`,
    });
  }
  const accountId = a[ANNOTATION_ACCOUNT_ID].trim();
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    problems.push({
      annotation: ANNOTATION_ACCOUNT_ID,
      message: `"${accountId}" is not an AWS account id: use the 12 digits, e.g. "123456789012"`,
    });
  }
  const regions = list(a[ANNOTATION_REGIONS]);
  const badRegions = regions.filter(r => !REGION_PATTERN.test(r));
  if (!regions.length || badRegions.length) {
    problems.push({
      annotation: ANNOTATION_REGIONS,
      message: `"${a[ANNOTATION_REGIONS]}" is not a list of AWS regions: use comma-separated region codes, e.g. "us-east-1,eu-west-1"`,
    });
  }
  const attributionRaw = (a[ANNOTATION_ATTRIBUTION] ?? 'account').trim();
  const attribution = z.enum(ATTRIBUTION_MODES).safeParse(attributionRaw);
  if (!attribution.success) {
    problems.push({
      annotation: ANNOTATION_ATTRIBUTION,
      message: `"${attributionRaw}" is not an attribution mode: use one of ${ATTRIBUTION_MODES.join(
        ', ',
      )}`,
    });
  }

  const inferenceProfiles: Record<string, string> = {};
  for (const pair of list(a[ANNOTATION_INFERENCE_PROFILES])) {
    const [profileId, modelId, ...rest] = pair.split('=').map(s => s.trim());
    if (
      !profileId ||
      !modelId ||
      rest.length ||
      !PROFILE_ID_PATTERN.test(profileId)
    ) {
      problems.push({
        annotation: ANNOTATION_INFERENCE_PROFILES,
        message: `"${pair}" is not a profile mapping: use comma-separated "<profile id>=<model id>" pairs, e.g. "a1b2c3d4e5f6=amazon.nova-pro-v1:0"`,
      });
      break;
    }
    inferenceProfiles[profileId] = modelId;
  }
  const principalArns = list(a[ANNOTATION_PRINCIPAL_ARNS]);
  const badArn = principalArns.find(arn => !ROLE_ARN_PATTERN.test(arn));
  if (badArn) {
    problems.push({
      annotation: ANNOTATION_PRINCIPAL_ARNS,
      message: `"${badArn}" is not an IAM role ARN: use comma-separated ARNs, e.g. "arn:aws:iam::123456789012:role/checkout-app"`,
    });
  }
  if (attribution.success) {
    if (
      attribution.data === 'inference-profile' &&
      !Object.keys(inferenceProfiles).length
    ) {
      problems.push({
        annotation: ANNOTATION_INFERENCE_PROFILES,
        message: `attribution "inference-profile" needs this annotation: comma-separated "<profile id>=<model id>" pairs`,
      });
    }
    if (attribution.data === 'identity' && !principalArns.length) {
      problems.push({
        annotation: ANNOTATION_PRINCIPAL_ARNS,
        message: `attribution "identity" needs this annotation: comma-separated IAM role ARNs`,
      });
    }
  }
  if (problems.length || !attribution.success)
    return { kind: 'invalid', problems };

  return {
    kind: 'ok',
    tenant: {
      tenantId,
      accountId,
      regions,
      attribution: attribution.data,
      inferenceProfiles,
      principalArns,
      alarmPrefix:
        a[ANNOTATION_ALARM_PREFIX]?.trim() || defaultAlarmPrefix(tenantId),
      budgetName:
        a[ANNOTATION_BUDGET_NAME]?.trim() || defaultBudgetName(tenantId),
    },
  };
}
