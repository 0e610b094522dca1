import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ALARM_PREFIX,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_BUDGET_NAME,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { ProvisioningConfig } from '../config';
import { defaultGuardrailName } from '@bedrock-tenancy/plugin-bedrock-common';
import { guardrailRequest } from './guardrailPlan';
import type { TenantSpec } from './inputs';
import { arns, tenantArns, tenantNames } from './naming';
import { policy, PolicyDocument } from './policies';
import { planAlarms, type PlannedAlarm } from './resources/alarms';
import {
  budgetTagFilter,
  BUDGET_NOTIFICATIONS,
  type PlannedBudget,
} from './resources/budget';
import { planDashboardBody } from './resources/dashboard';
import {
  guardrailClientToken,
  guardrailIdentifier,
  type GuardrailRef,
  type PlannedGuardrail,
} from './resources/guardrail';
import { tenantTags } from './resources/tags';
import { planTopic, type PlannedTopic } from './resources/topic';

/** The IAM actions that invoke a model. Converse and ConverseStream are authorised by these two. */
export const INVOKE_ACTIONS = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
];

/** An application inference profile the tenant has (or will have, in a plan). */
export interface ProfileRef {
  id: string;
  arn: string;
}

export interface PlannedProfile {
  modelId: string;
  name: string;
  copyFrom: string;
  clientRequestToken: string;
  /** known once the profile exists; a `<pending:...>` placeholder in a dry run */
  id: string;
  arn: string;
  exists: boolean;
}

/** The full desired state of a tenant. Pure: the same spec and profiles give the same plan. */
export interface TenantPlan {
  tenantId: string;
  accountId: string;
  region: string;
  tags: Record<string, string>;
  role: {
    name: string;
    arn: string;
    trustPolicy: PolicyDocument;
    invokePolicyName: string;
    invokePolicy: PolicyDocument;
  };
  profiles: PlannedProfile[];
  topic: PlannedTopic;
  alarms: PlannedAlarm[];
  dashboard: { name: string; body: Record<string, unknown> };
  budget: PlannedBudget;
  /** the tenant's guardrail, when its template asks for one */
  guardrail?: PlannedGuardrail;
  annotations: Record<string, string>;
}

/** Resolves `{region}` / `{accountId}` in a configured copyFrom ARN. */
export function resolveCopyFrom(
  template: string,
  accountId: string,
  region: string,
) {
  return template
    .replaceAll('{region}', region)
    .replaceAll('{accountId}', accountId);
}

/** For a system (cross-region) profile, the foundation models it routes to in any region. */
function underlyingModelArns(copyFrom: string, modelId: string): string[] {
  if (/:inference-profile\//.test(copyFrom)) {
    return [copyFrom, arns.foundationModelAnyRegion(modelId)];
  }
  return [copyFrom];
}

function principalBlock(principals: string[]): Record<string, string[]> {
  const service = principals.filter(p => p.endsWith('.amazonaws.com'));
  const aws = principals
    .filter(p => !p.endsWith('.amazonaws.com'))
    .map(p => (/^\d{12}$/.test(p) ? arns.accountRoot(p) : p));
  return {
    ...(aws.length ? { AWS: aws } : {}),
    ...(service.length ? { Service: service } : {}),
  };
}

/**
 * Computes everything a tenant consists of. `existing` maps model id -> the profile that already
 * exists; models without one get `<pending:...>` placeholders (a dry run, or before creation).
 */
export function buildTenantPlan(
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  existing: Record<string, ProfileRef | undefined> = {},
  guardrailRef?: GuardrailRef,
): TenantPlan {
  const { tenantId, accountId, region } = spec;
  const names = tenantNames(tenantId);
  const tenant = tenantArns(tenantId, accountId, region);
  const tags = tenantTags(spec);
  const profiles: PlannedProfile[] = spec.models.map(modelId => {
    const model = cfg.models.find(m => m.id === modelId)!;
    const name = names.profileName(modelId);
    const found = existing[modelId];
    return {
      modelId,
      name,
      copyFrom: resolveCopyFrom(model.copyFrom, accountId, region),
      clientRequestToken: names.profileClientToken(modelId),
      id: found?.id ?? `<pending:${name}>`,
      arn: found?.arn ?? tenant.pendingProfile(name),
      exists: Boolean(found),
    };
  });
  const profileArns = profiles.map(p => p.arn);
  const topic = planTopic(spec, spec.notificationEmails);
  const guardrail = planGuardrail(spec, guardrailRef);
  // enforced: invocations are allowed only with the tenant's guardrail version, and denied
  // without it whatever else grants them (AWS's documented pattern for bedrock:GuardrailIdentifier)
  const withGuardrail = guardrail?.enforce
    ? {
        StringEquals: {
          'bedrock:GuardrailIdentifier': guardrailIdentifier(guardrail),
        },
      }
    : undefined;

  return {
    tenantId,
    accountId,
    region,
    tags,
    role: {
      name: names.roleName,
      arn: tenant.role,
      trustPolicy: policy({
        Sid: 'TenantWorkloadsAssumeRole',
        Effect: 'Allow',
        Principal: principalBlock(spec.trustPrincipals),
        Action: 'sts:AssumeRole',
      }),
      invokePolicyName: names.invokePolicyName,
      invokePolicy: policy(
        {
          Sid: 'InvokeTenantInferenceProfiles',
          Effect: 'Allow',
          Action: INVOKE_ACTIONS,
          Resource: profileArns,
          ...(withGuardrail ? { Condition: withGuardrail } : {}),
        },
        {
          Sid: 'InvokeModelsOnlyThroughTenantProfiles',
          Effect: 'Allow',
          Action: INVOKE_ACTIONS,
          Resource: [
            ...new Set(
              profiles.flatMap(p => underlyingModelArns(p.copyFrom, p.modelId)),
            ),
          ],
          Condition: {
            ArnEquals: { 'bedrock:InferenceProfileArn': profileArns },
            ...withGuardrail,
          },
        },
        {
          Sid: 'ReadTenantInferenceProfiles',
          Effect: 'Allow',
          Action: 'bedrock:GetInferenceProfile',
          Resource: profileArns,
        },
        ...(guardrail?.enforce
          ? [
              {
                Sid: 'DenyInvokeWithoutTenantGuardrail',
                Effect: 'Deny' as const,
                Action: INVOKE_ACTIONS,
                Resource: '*',
                Condition: {
                  StringNotEquals: {
                    'bedrock:GuardrailIdentifier':
                      guardrailIdentifier(guardrail),
                  },
                },
              },
            ]
          : []),
      ),
    },
    profiles,
    topic,
    alarms: planAlarms(
      names,
      spec.thresholds,
      profiles.map(p => p.id),
    ),
    dashboard: {
      name: names.dashboardName,
      body: planDashboardBody(spec, profiles, cfg.logging.logGroupName),
    },
    budget: {
      name: names.budgetName,
      limitUsd: spec.monthlyBudgetUsd,
      costFilterTag: budgetTagFilter(tenantId),
      notifications: BUDGET_NOTIFICATIONS,
      subscriberTopicArn: topic.arn,
    },
    guardrail,
    annotations: {
      [ANNOTATION_TENANT_ID]: tenantId,
      [ANNOTATION_ACCOUNT_ID]: accountId,
      [ANNOTATION_REGIONS]: region,
      [ANNOTATION_ATTRIBUTION]: 'inference-profile',
      [ANNOTATION_INFERENCE_PROFILES]: profiles
        .map(p => `${p.id}=${p.modelId}`)
        .join(','),
      [ANNOTATION_ALARM_PREFIX]: names.alarmPrefix,
      [ANNOTATION_BUDGET_NAME]: names.budgetName,
    },
  };
}

/** The tenant's guardrail as planned; `<pending:...>` id, ARN and version until it exists. */
function planGuardrail(
  spec: TenantSpec,
  ref: GuardrailRef | undefined,
): PlannedGuardrail | undefined {
  if (!spec.guardrail) return undefined;
  const name = defaultGuardrailName(spec.tenantId);
  return {
    name,
    request: guardrailRequest(spec.guardrail),
    enforce: spec.guardrail.enforce,
    clientRequestToken: guardrailClientToken(spec.tenantId),
    id: ref?.id ?? `<pending:${name}>`,
    arn:
      ref?.arn ??
      `arn:aws:bedrock:${spec.region}:${spec.accountId}:guardrail/<pending:${name}>`,
    version: ref?.version ?? '<pending>',
  };
}
