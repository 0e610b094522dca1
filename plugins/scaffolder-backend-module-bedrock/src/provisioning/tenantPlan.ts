import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ALARM_PREFIX,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_BUDGET_NAME,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_PRINCIPAL_ARNS,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { ProvisioningConfig } from '../config';
import {
  defaultGuardrailName,
  TAG_ATTRIBUTION,
  TAG_PRINCIPAL_ARNS,
  TAG_REGIONS,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { guardrailRequest } from './guardrailPlan';
import type { TenantSpec } from './inputs';
import { arns, tenantArns, tenantNames } from './naming';
import { policy } from './policies';
import { directInvokePolicy, profileInvokePolicy } from './invokePolicies';
import { planAlarms } from './resources/alarms';
import { budgetTagFilter, BUDGET_NOTIFICATIONS } from './resources/budget';
import { planDashboardBody } from './resources/dashboard';
import {
  guardrailClientToken,
  guardrailIdentifier,
} from './resources/guardrail';
import { tenantTags } from './resources/tags';
import { planTopic } from './resources/topic';
import type {
  GuardrailRef,
  PlannedGuardrail,
  PlannedProfile,
  ProfileRef,
  TenantPlan,
} from './types';

/**
 * The model id a profile's usage is priced under: `global.<model>` for a profile copied from a
 * global cross-Region profile (cheaper than in-Region and geo traffic), else the base model id.
 */
export const pricedModelId = (p: { modelId: string; copyFrom: string }) =>
  /:inference-profile\/global\./.test(p.copyFrom)
    ? `global.${p.modelId.replace(/^global\./, '')}`
    : p.modelId;

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
 * Computes everything a tenant consists of in `spec.region` (one region; `buildTenantPlan` puts
 * the regions together). `existing` maps model id -> the profile that already exists; models
 * without one get `<pending:...>` placeholders (a dry run, or before creation).
 */
export function buildRegionPlan(
  spec: TenantSpec,
  cfg: ProvisioningConfig,
  existing: Record<string, ProfileRef | undefined> = {},
  guardrailRef?: GuardrailRef,
): TenantPlan {
  const { tenantId, accountId, region } = spec;
  const names = tenantNames(tenantId);
  const tenant = tenantArns(tenantId, accountId, region);
  const tags = tenantTags(spec);
  const byProfile = spec.attribution === 'inference-profile';
  const models = spec.models.map(modelId => {
    const model = cfg.models.find(m => m.id === modelId)!;
    return {
      modelId,
      copyFrom: resolveCopyFrom(model.copyFrom, accountId, region),
    };
  });
  const profileModels = byProfile ? spec.models : [];
  const profiles: PlannedProfile[] = profileModels.map(modelId => {
    const model = cfg.models.find(m => m.id === modelId)!;
    const name = names.profileName(modelId);
    const found = existing[modelId];
    return {
      region,
      modelId,
      name,
      copyFrom: resolveCopyFrom(model.copyFrom, accountId, region),
      clientRequestToken: names.profileClientToken(modelId),
      id: found?.id ?? `<pending:${name}>`,
      arn: found?.arn ?? tenant.pendingProfile(name),
      exists: Boolean(found),
    };
  });
  // what the alarms and the dashboard watch: the tenant's profiles, or (account mode) the
  // ModelId dimension callers use for the allowed models, i.e. the model or system profile id
  const series = byProfile
    ? profiles.map(p => ({ modelId: p.modelId, id: p.id, arn: p.arn }))
    : models.map(m => ({
        modelId: m.modelId,
        id: m.copyFrom.split('/').pop()!,
        arn: m.copyFrom,
      }));
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
    regions: [region],
    regional: [],
    attribution: spec.attribution,
    principalArns: spec.principalArns,
    tags,
    role: {
      name: names.roleName,
      arn: tenant.role,
      tags: { ...tags, ...roleBindingTags(spec) },
      trustPolicy: policy({
        Sid: 'TenantWorkloadsAssumeRole',
        Effect: 'Allow',
        Principal: principalBlock(spec.trustPrincipals),
        Action: 'sts:AssumeRole',
      }),
      invokePolicyName: names.invokePolicyName,
      invokePolicy: byProfile
        ? profileInvokePolicy(profiles, withGuardrail, spec.allowedServiceTiers)
        : directInvokePolicy(models, withGuardrail, spec.allowedServiceTiers),
    },
    profiles,
    topic,
    // AWS/Bedrock metrics carry no caller: an identity tenant in a shared account gets no alarms
    alarms:
      spec.attribution === 'identity'
        ? []
        : planAlarms(
            names,
            spec.thresholds,
            series.map(x => x.id),
          ),
    dashboard: {
      name: names.dashboardName,
      body: planDashboardBody(
        { ...spec, principalArns: spec.principalArns },
        series,
        cfg.logging.logGroupName,
      ),
    },
    budget: {
      name: names.budgetName,
      limitUsd: spec.monthlyBudgetUsd,
      costFilters:
        spec.attribution === 'account'
          ? { LinkedAccount: [accountId] }
          : { TagKeyValue: [budgetTagFilter(tenantId)] },
      notifications: BUDGET_NOTIFICATIONS,
      subscriberTopicArn: topic.arn,
    },
    guardrail,
    annotations: {
      [ANNOTATION_TENANT_ID]: tenantId,
      [ANNOTATION_ACCOUNT_ID]: accountId,
      [ANNOTATION_REGIONS]: region,
      [ANNOTATION_ATTRIBUTION]: spec.attribution,
      ...(byProfile
        ? {
            [ANNOTATION_INFERENCE_PROFILES]: profiles
              .map(p => `${p.id}=${pricedModelId(p)}`)
              .join(','),
          }
        : {}),
      ...(spec.attribution === 'identity'
        ? { [ANNOTATION_PRINCIPAL_ARNS]: spec.principalArns.join(',') }
        : {}),
      [ANNOTATION_ALARM_PREFIX]: names.alarmPrefix,
      [ANNOTATION_BUDGET_NAME]: names.budgetName,
    },
  };
}

/** The role's tags that let the backend rebuild a binding without profiles. */
function roleBindingTags(spec: TenantSpec): Record<string, string> {
  return {
    [TAG_ATTRIBUTION]: spec.attribution,
    [TAG_REGIONS]: spec.regions.join(' '),
    ...(spec.attribution === 'identity'
      ? { [TAG_PRINCIPAL_ARNS]: spec.principalArns.join(' ') }
      : {}),
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

export type {
  ProfileRef,
  PlannedProfile,
  TenantPlan,
  RegionalPlan,
} from './types';
