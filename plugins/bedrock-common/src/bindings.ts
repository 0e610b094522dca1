/*
 * The tenant bindings API (`/bindings/:tenantId`): which catalog entity a tenant's data belongs
 * to, and who may change the tenant.
 */
import { z } from 'zod';
import type { AttributionMode } from './annotations';
import { budgetEnforcementSchema, type BudgetEnforcement } from './enforcement';

const entityRefSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]*:[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/,
    'a full entity ref, e.g. component:default/checkout-assistant',
  );

/**
 * What a change of a tenant is, for POST /bindings/:tenantId/check: the scaffolder's `bedrock:*`
 * actions ask it on behalf of the person who started the task before any AWS call.
 *
 * @public
 */
export const TENANT_CHANGES = [
  'create',
  'update',
  'suspend',
  'resume',
  'delete',
  'publish',
  /** ask for a temporary budget increase (approving one is a Bedrock admin's) */
  'increase-budget',
] as const;
/** @public */
export type TenantChange = (typeof TENANT_CHANGES)[number];

/**
 * Body of POST /bindings/:tenantId/check.
 *
 * @public
 */
export const tenantChangeCheckSchema = z
  .object({
    change: z.enum(TENANT_CHANGES),
    /** the AWS account and regions of the stack the change touches (all but publish) */
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    regions: z
      .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/))
      .min(1)
      .max(20)
      .optional(),
    /** create, update, publish: the entity the tenant is, or is to be, bound to */
    entityRef: entityRefSchema.optional(),
    /** create: the owner the new tenant's entity is to have */
    owner: entityRefSchema.optional(),
    /** create, update: the attribution mode; a bound tenant keeps its own */
    attribution: z
      .enum(['account', 'inference-profile', 'identity'])
      .optional(),
  })
  .strict();
/** @public */
export type TenantChangeCheck = z.infer<typeof tenantChangeCheckSchema>;

/**
 * Answer of POST /bindings/:tenantId/check when the change is allowed (403 or 409 otherwise).
 *
 * @public
 */
export interface TenantChangeDecision {
  /** the caller holds bedrock.binding.manage */
  admin: boolean;
  /** a binding records the tenant */
  bound: boolean;
  /** the owner recorded for the tenant's entity, when known */
  owner?: string;
  /** a bound identity tenant's principals, as an admin approved them */
  principalArns?: string[];
}

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
 * Body of PUT /bindings/:tenantId: which catalog entity a tenant's data belongs to. Written by
 * holders of `bedrock.binding.manage`, or by the scaffolder module on behalf of the person who
 * started the task (checked like a {@link TenantChangeCheck} of `create` or `update`).
 *
 * @public
 */
export const tenantBindingBodySchema = z
  .object({
    entityRef: entityRefSchema,
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
     * The owner the bound entity has (or, for a new tenant, will have): a read of the entity
     * whose owner differs is unverified. Default: the entity's owner when it exists.
     */
    owner: entityRefSchema.optional(),
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
  /** the owner the bound entity must have; null until known */
  owner?: string | null;
}
