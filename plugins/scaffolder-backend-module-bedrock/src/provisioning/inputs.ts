import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ACCOUNT_ID_PATTERN,
  REGION_PATTERN,
  TENANT_ID_PATTERN,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { z } from 'zod';
import type { AlarmThresholds, ProvisioningConfig } from '../config';
import {
  guardrailInputSchema,
  resolveGuardrail,
  type GuardrailSpec,
} from './guardrailPlan';
import { field, inputParser, type InputFields } from './inputSchema';
import { arns, MAX_TENANT_ID_LENGTH, tenantNames } from './naming';

/** Most models per tenant: the tokens alarm sums 2 metrics per model and an alarm takes at most 10. */
export const MAX_MODELS_PER_TENANT = 4;
const PRINCIPAL_PATTERN =
  /^(\d{12}|arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|(role|user|assumed-role)\/[\w+=,.@/-]+)|[a-z0-9.-]+\.amazonaws\.com)$/;

/** How a tenant's usage is told apart (see the README's "Attribution modes"). */
export const TENANT_ATTRIBUTIONS = [
  'inference-profile',
  'account',
  'identity',
] as const;
/** The principal ARNs of an identity tenant are kept in one role tag: a tag value has 256 characters. */
const MAX_PRINCIPAL_TAG_LENGTH = 256;
const PRINCIPAL_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

const tenantId = (s = z.string()) =>
  s
    .max(
      MAX_TENANT_ID_LENGTH,
      `at most ${MAX_TENANT_ID_LENGTH} characters, so every derived AWS name fits`,
    )
    .regex(
      TENANT_ID_PATTERN,
      'use 3-32 lower-case letters, digits and dashes, starting with a letter and not ending with a dash',
    )
    .refine(v => !v.includes('--'), 'no consecutive dashes');

/** A configured value (account, region): the pattern, then the allow-list. */
export const oneOf = (
  allowed: string[],
  what: string,
  pattern: RegExp,
  s = z.string(),
) =>
  s.regex(pattern, `not a valid ${what}`).refine(
    v => allowed.includes(v),
    v => ({
      message: `${what} "${v}" is not configured in bedrock.provisioning (allowed: ${
        allowed.join(', ') || 'none'
      })`,
    }),
  );

/** The input of bedrock:tenant:suspend and resume: the tenant in one configured account + region. */
export const TARGET_INPUT: InputFields = zod => ({
  tenantId: field({
    type: zod.string({ description: 'Tenant id' }),
    check: s => tenantId(s),
  }),
  accountId: field({
    type: zod.string({ description: 'AWS account id of the tenant' }),
    check: (s, cfg) => oneOf(cfg.accounts, 'account', ACCOUNT_ID_PATTERN, s),
  }),
  region: field({
    type: zod.string({ description: 'AWS region of the tenant' }),
    check: (s, cfg) => oneOf(cfg.regions, 'region', REGION_PATTERN, s),
  }),
});

/** The input of bedrock:tenant:delete: the target, and its tenant id once more. */
export const DELETE_INPUT: InputFields = zod => ({
  ...TARGET_INPUT(zod),
  confirm: field({
    type: zod.string({ description: 'Must equal the tenant id' }),
  }),
});

/** Target of every action: the tenant in one configured account + region. */
export function targetSchema(cfg: ProvisioningConfig) {
  return inputParser(TARGET_INPUT, cfg) as unknown as z.ZodObject<
    Record<keyof Target, z.ZodType<string>>
  >;
}

/** The range of the time-to-first-token alarm's threshold, milliseconds. */
export const MIN_TTFT_MS = 1;
export const MAX_TTFT_MS = 600_000;

const thresholdsSchema = z
  .object({
    tokensPerHour: z.number().positive().optional(),
    errorsPer5Minutes: z.number().nonnegative().optional(),
    invocationsPerHour: z.number().positive().optional(),
    latencyMs: z.number().positive().optional(),
    throttlesPer5Minutes: z.number().nonnegative().optional(),
    // optional, no default: no time-to-first-token alarm unless set (a blank form field is unset)
    ttftMs: z.preprocess(
      v => (v === '' || v === null ? undefined : v),
      z
        .number()
        .min(MIN_TTFT_MS, `at least ${MIN_TTFT_MS} ms`)
        .max(MAX_TTFT_MS, `at most ${MAX_TTFT_MS} ms (10 minutes)`)
        .optional(),
    ),
  })
  .strict();

/**
 * The service tiers a template may allow a tenant (`service_tier` on a request); Standard
 * (`default`) is always allowed, and Reserved (capacity bought ahead) is never a tenant's own.
 */
export const OPTIONAL_SERVICE_TIERS = ['priority', 'flex'] as const;

/** The desired state of a tenant (create and update). */
export function tenantSpecSchema(cfg: ProvisioningConfig) {
  const modelIds = cfg.models.map(m => m.id);
  const region = () => oneOf(cfg.regions, 'region', REGION_PATTERN);
  return targetSchema(cfg).extend({
    // one region (`region`, as before) or several (`regions`, the first one first)
    region: region().optional(),
    regions: z
      .array(region())
      .min(1)
      .refine(v => new Set(v).size === v.length, 'regions must not repeat')
      .optional(),
    owner: z
      .string()
      .min(1)
      .max(200)
      .regex(
        /^[\p{L}\p{N}\s_.:/=+\-@]+$/u,
        'letters, digits and _ . : / = + - @ only',
      ),
    models: z
      .array(
        z.string().refine(
          v => modelIds.includes(v),
          v => ({
            message: `model "${v}" is not in the allow-list (bedrock.provisioning.models)`,
          }),
        ),
      )
      .min(1)
      .max(MAX_MODELS_PER_TENANT)
      .refine(v => new Set(v).size === v.length, 'models must not repeat'),
    monthlyBudgetUsd: z.number().positive().default(cfg.monthlyBudgetUsd),
    thresholds: thresholdsSchema.default({}),
    notificationEmails: z
      .array(z.string().email())
      .min(1)
      .max(10)
      .refine(
        v => new Set(v.map(e => e.toLowerCase())).size === v.length,
        'e-mails must not repeat',
      ),
    trustPrincipals: z
      .array(
        z
          .string()
          .regex(
            PRINCIPAL_PATTERN,
            'an account id, IAM role/user ARN or service principal',
          ),
      )
      .optional(),
    entityRef: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*:[a-z0-9._-]+\/[A-Za-z0-9._-]+$/,
        'a full entity ref, e.g. component:default/checkout-assistant',
      )
      .optional(),
    guardrail: guardrailInputSchema.optional(),
    allowedServiceTiers: z
      .array(z.enum(OPTIONAL_SERVICE_TIERS))
      .max(OPTIONAL_SERVICE_TIERS.length)
      .refine(v => new Set(v).size === v.length, 'tiers must not repeat')
      .default([...OPTIONAL_SERVICE_TIERS]),
    attribution: z.enum(TENANT_ATTRIBUTIONS).default('inference-profile'),
    // a template passes what it has: blanks (an empty form field, an absent annotation split on
    // commas) are no principals
    principalArns: z.preprocess(
      v => {
        const list = Array.isArray(v)
          ? v.filter(x => typeof x !== 'string' || x.trim())
          : v;
        return Array.isArray(list) && !list.length ? undefined : list;
      },
      z
        .array(
          z
            .string()
            .regex(
              PRINCIPAL_ARN_PATTERN,
              'an IAM role or user ARN, e.g. arn:aws:iam::123456789012:role/workers',
            ),
        )
        .min(1)
        .max(10)
        .refine(v => new Set(v).size === v.length, 'principals must not repeat')
        .optional(),
    ),
  });
}

export interface TenantSpec {
  tenantId: string;
  accountId: string;
  /** the first of `regions` */
  region: string;
  /** every region of the tenant (profiles, topic, alarms and guardrail in each; one budget) */
  regions: string[];
  owner: string;
  models: string[];
  monthlyBudgetUsd: number;
  thresholds: AlarmThresholds;
  notificationEmails: string[];
  trustPrincipals: string[];
  /** the catalog entity the tenant is bound to; default component:default/<tenant id> */
  entityRef: string;
  /** the tenant's guardrail: the operator defaults tightened by the template; none when undefined */
  guardrail?: GuardrailSpec;
  /**
   * The service tiers the tenant role may ask for besides Standard (`bedrock:ServiceTier`); the
   * others, and Reserved, are denied.
   */
  allowedServiceTiers: Array<(typeof OPTIONAL_SERVICE_TIERS)[number]>;
  /**
   * `inference-profile`: a profile per model (a shared account); `account`: the tenant owns its
   * account and region (no profiles, account-wide metrics, a budget on the linked account);
   * `identity`: its invocations are told apart by caller in the invocation logs.
   */
  attribution: (typeof TENANT_ATTRIBUTIONS)[number];
  /** identity attribution: whose invocations are the tenant's (default: the tenant role) */
  principalArns: string[];
}

export interface Target {
  tenantId: string;
  accountId: string;
  region: string;
}

/** Parses with zod; a failure becomes an InputError that names every bad field. */
export function parseInput<T>(schema: z.ZodTypeAny, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map(
      i => `${i.path.join('.') || '(input)'}: ${i.message}`,
    );
    throw new InputError(`Invalid input: ${fields.join('; ')}`);
  }
  return result.data as T;
}

export function parseTenantSpec(
  cfg: ProvisioningConfig,
  input: unknown,
): TenantSpec {
  const parsed = parseInput<z.infer<ReturnType<typeof tenantSpecSchema>>>(
    tenantSpecSchema(cfg),
    input,
  );
  const regions = parsed.regions ?? (parsed.region ? [parsed.region] : []);
  if (!regions.length) {
    throw new InputError(
      'Invalid input: region: give region (one) or regions (several)',
    );
  }
  if (parsed.region && parsed.regions && parsed.region !== regions[0]) {
    throw new InputError(
      `Invalid input: region: "${
        parsed.region
      }" must be the first of regions (${regions.join(', ')}), or left out`,
    );
  }
  const trustPrincipals = parsed.trustPrincipals?.length
    ? parsed.trustPrincipals
    : cfg.trustPrincipals;
  // the operator's list is a ceiling: a template input picks from it, never adds to it
  const unlisted = trustPrincipals.filter(
    p => !cfg.trustPrincipals.includes(p),
  );
  if (unlisted.length) {
    throw new InputError(
      `Invalid input: trustPrincipals: ${unlisted.join(
        ', ',
      )} not in bedrock.provisioning.trustPrincipals, the principals the operator allows to assume tenant roles`,
    );
  }
  if (!trustPrincipals.length) {
    throw new InputError(
      'Invalid input: trustPrincipals: give at least one principal, or configure bedrock.provisioning.trustPrincipals',
    );
  }
  if (parsed.monthlyBudgetUsd.toString().length > 15) {
    throw new InputError('Invalid input: monthlyBudgetUsd: too many digits');
  }
  let owner: string;
  try {
    // a full ref, as the catalog writes spec.owner: the binding records it, publish checks it
    owner = stringifyEntityRef(
      parseEntityRef(parsed.owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(
      `Invalid input: owner: "${parsed.owner}" is not an entity ref, e.g. group:default/team-shop`,
    );
  }
  return {
    ...parsed,
    owner,
    region: regions[0],
    regions,
    thresholds: { ...cfg.thresholds, ...parsed.thresholds },
    trustPrincipals,
    entityRef: parsed.entityRef ?? `component:default/${parsed.tenantId}`,
    guardrail: resolveGuardrail(cfg.guardrail, parsed.guardrail),
    principalArns: identityPrincipals(parsed),
  };
}

/** The principals of an identity tenant, checked against the account and the tag that keeps them. */
function identityPrincipals(parsed: {
  tenantId: string;
  accountId: string;
  attribution: TenantSpec['attribution'];
  principalArns?: string[];
}): string[] {
  const given = parsed.principalArns;
  if (parsed.attribution !== 'identity') {
    if (given?.length) {
      throw new InputError(
        `Invalid input: principalArns: only for attribution "identity" (this tenant uses "${parsed.attribution}")`,
      );
    }
    return [];
  }
  const principals = given?.length
    ? given
    : [arns.role(parsed.accountId, tenantNames(parsed.tenantId).roleName)];
  const foreign = principals.filter(a => a.split(':')[4] !== parsed.accountId);
  if (foreign.length) {
    throw new InputError(
      `Invalid input: principalArns: ${foreign.join(', ')} not in account ${
        parsed.accountId
      }, whose invocation logs attribute the tenant's usage`,
    );
  }
  // never another tenant's role, whoever asks: its usage is that tenant's
  const others = principals.filter(a => {
    const role = /:role\/(?:.*\/)?(bedrock-tenant-[a-z0-9-]+)$/.exec(a)?.[1];
    return role !== undefined && role !== tenantNames(parsed.tenantId).roleName;
  });
  if (others.length) {
    throw new InputError(
      `Invalid input: principalArns: ${others.join(
        ', ',
      )} is another tenant's role`,
    );
  }
  if (principals.join(' ').length > MAX_PRINCIPAL_TAG_LENGTH) {
    throw new InputError(
      `Invalid input: principalArns: at most ${MAX_PRINCIPAL_TAG_LENGTH} characters together (they are kept in one tag of the tenant role)`,
    );
  }
  return principals;
}
