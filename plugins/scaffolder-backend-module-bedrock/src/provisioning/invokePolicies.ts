import { arns } from './naming';
import { policy, PolicyDocument } from './policies';

/*
 * The tenant role's invoke policy in each attribution mode, and the guardrail it may enforce.
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
  );
}

/** Account and identity mode: the allowed models (or their system profiles) directly. */
export function directInvokePolicy(
  models: Array<{ modelId: string; copyFrom: string }>,
  withGuardrail: GuardrailCondition,
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
  );
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
