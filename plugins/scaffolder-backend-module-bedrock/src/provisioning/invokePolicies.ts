import { arns } from './naming';
import { policy, PolicyDocument } from './policies';

/*
 * The tenant role's invoke policy in each attribution mode, the guardrail it may enforce and the
 * service tiers it may not use.
 */

/** The IAM actions that invoke a model. Converse and ConverseStream are authorised by these two. */
export const INVOKE_ACTIONS = [
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
];

/** For a system (cross-region) profile, the foundation models it routes to in any region. */
function underlyingModelArns(copyFrom: string, modelId: string): string[] {
  if (/:inference-profile\//.test(copyFrom)) {
    return [copyFrom, arns.foundationModelAnyRegion(modelId)];
  }
  return [copyFrom];
}

/** `StringEquals` on `bedrock:GuardrailIdentifier` when the tenant's guardrail is enforced. */
export type GuardrailCondition =
  | Record<string, Record<string, string>>
  | undefined;

/** Inference-profile mode: the models only through the tenant's own profiles. */
export function profileInvokePolicy(
  profiles: Array<{ arn: string; copyFrom: string; modelId: string }>,
  withGuardrail: GuardrailCondition,
  allowedServiceTiers: readonly string[],
): PolicyDocument {
  const profileArns = profiles.map(p => p.arn);
  return policy(
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
    ...denyWithoutGuardrail(withGuardrail),
    ...denyServiceTiers(allowedServiceTiers),
  );
}

/** Account and identity mode: the allowed models (or their system profiles) directly. */
export function directInvokePolicy(
  models: Array<{ modelId: string; copyFrom: string }>,
  withGuardrail: GuardrailCondition,
  allowedServiceTiers: readonly string[],
): PolicyDocument {
  return policy(
    {
      Sid: 'InvokeAllowedModels',
      Effect: 'Allow',
      Action: INVOKE_ACTIONS,
      Resource: [
        ...new Set(
          models.flatMap(m => underlyingModelArns(m.copyFrom, m.modelId)),
        ),
      ],
      ...(withGuardrail ? { Condition: withGuardrail } : {}),
    },
    ...denyWithoutGuardrail(withGuardrail),
    ...denyServiceTiers(allowedServiceTiers),
  );
}

/**
 * The service tiers a request may name (`bedrock:ServiceTier`) that the tenant may not use: a
 * Deny whatever else grants them (AWS's documented way to keep a team off a tier). Standard
 * (`default`) is never denied.
 */
export function denyServiceTiers(allowed: readonly string[]) {
  const denied = ['priority', 'flex', 'reserved'].filter(
    t => !allowed.includes(t),
  );
  return denied.length
    ? [
        {
          Sid: 'DenyServiceTiersNotAllowed',
          Effect: 'Deny' as const,
          Action: INVOKE_ACTIONS,
          Resource: '*',
          Condition: { StringEquals: { 'bedrock:ServiceTier': denied } },
        },
      ]
    : [];
}

/** Enforced guardrail: deny every invocation without it, whatever else grants it. */
function denyWithoutGuardrail(withGuardrail: GuardrailCondition) {
  const id = withGuardrail?.StringEquals['bedrock:GuardrailIdentifier'];
  return id
    ? [
        {
          Sid: 'DenyInvokeWithoutTenantGuardrail',
          Effect: 'Deny' as const,
          Action: INVOKE_ACTIONS,
          Resource: '*',
          Condition: {
            StringNotEquals: { 'bedrock:GuardrailIdentifier': id },
          },
        },
      ]
    : [];
}
