/*
 * The shapes of a plan: what the plan builders (tenantPlan, regionsPlan, loggingPlan,
 * guardrailPlan) compute and the resource code (resources/) converges. Types only, owned by
 * neither side, so resources never import a plan module and plans import resources for behaviour
 * only.
 */
import type { CreateGuardrailRequest } from '@aws-sdk/client-bedrock';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AttributionMode } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AlarmKind } from './naming';
import type { PolicyDocument } from './policies';

/**
 * An alarm in a plan: its metric-math query and threshold.
 *
 * @public
 */
export interface PlannedAlarm {
  kind: AlarmKind;
  name: string;
  threshold: number;
  periodSeconds: number;
  description: string;
  metrics: MetricDataQuery[];
}

/**
 * A budget notification in a plan.
 *
 * @public
 */
export interface BudgetNotificationPlan {
  notificationType: 'ACTUAL' | 'FORECASTED';
  threshold: number;
}

/**
 * The budget in a plan.
 *
 * @public
 */
export interface PlannedBudget {
  name: string;
  limitUsd: number;
  /**
   * `TagKeyValue: [user:bedrock-tenancy:tenant$<id>]` (a tenant in a shared account), or
   * `LinkedAccount: [<account>]` (a tenant that owns its account: every cost of the account)
   */
  costFilters: { TagKeyValue?: string[]; LinkedAccount?: string[] };
  notifications: BudgetNotificationPlan[];
  subscriberTopicArn: string;
}

/**
 * The topic in a plan.
 *
 * @public
 */
export interface PlannedTopic {
  name: string;
  arn: string;
  policy: PolicyDocument;
  emails: string[];
}

/** A guardrail the tenant has: what workloads pass as guardrailIdentifier/guardrailVersion. */
export interface GuardrailRef {
  id: string;
  arn: string;
  version: string;
}

/**
 * The desired guardrail of a plan.
 *
 * @public
 */
export interface PlannedGuardrail {
  name: string;
  request: GuardrailRequest;
  enforce: boolean;
  clientRequestToken: string;
  /** known once it exists; `<pending:...>` placeholders in a dry run */
  id: string;
  arn: string;
  version: string;
}

/**
 * What CreateGuardrail / UpdateGuardrail send for a spec (name, tags and tokens added by the caller).
 *
 * @public
 */
export type GuardrailRequest = Pick<
  CreateGuardrailRequest,
  | 'blockedInputMessaging'
  | 'blockedOutputsMessaging'
  | 'contentPolicyConfig'
  | 'topicPolicyConfig'
  | 'sensitiveInformationPolicyConfig'
>;

/** An application inference profile the tenant has (or will have, in a plan). */
export interface ProfileRef {
  id: string;
  arn: string;
}

/**
 * An application inference profile in a plan.
 *
 * @public
 */
export interface PlannedProfile {
  /** the region the profile lives in */
  region: string;
  modelId: string;
  name: string;
  copyFrom: string;
  clientRequestToken: string;
  /** known once the profile exists; a `<pending:...>` placeholder in a dry run */
  id: string;
  arn: string;
  exists: boolean;
}

/**
 * The full desired state of a tenant. Pure: the same spec and profiles give the same plan.
 *
 * @public
 */
export interface TenantPlan {
  tenantId: string;
  accountId: string;
  /** the first region: where the tenant's global resources are managed from */
  region: string;
  /** every region of the tenant, the first one first */
  regions: string[];
  /** per region: the regional resources (profiles, topic, alarms, guardrail) */
  regional: RegionalPlan[];
  /** how the tenant's usage is told apart: decides profiles, alarm metrics and the budget filter */
  attribution: AttributionMode;
  /** identity attribution: the callers whose invocations are the tenant's */
  principalArns: string[];
  tags: Record<string, string>;
  role: {
    name: string;
    arn: string;
    /** the tenant tags plus what the backend rebuilds the binding from (mode, regions, principals) */
    tags: Record<string, string>;
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

/**
 * The resources of a tenant in one of its regions.
 *
 * @public
 */
export interface RegionalPlan {
  region: string;
  profiles: PlannedProfile[];
  topic: PlannedTopic;
  alarms: PlannedAlarm[];
  guardrail?: PlannedGuardrail;
}

/** The full desired state of one account + region's invocation logging. Pure. */
export interface LoggingPlan {
  accountId: string;
  region: string;
  tags: Record<string, string>;
  logGroup: { name: string; arn: string; retentionDays: number };
  bucket: {
    name: string;
    arn: string;
    keyPrefix: string;
    versioning: 'Enabled';
    encryption: { algorithm: 'AES256' | 'aws:kms'; kmsKeyArn?: string };
    publicAccessBlock: {
      BlockPublicAcls: true;
      IgnorePublicAcls: true;
      BlockPublicPolicy: true;
      RestrictPublicBuckets: true;
    };
    lifecycle: {
      ruleId: string;
      transitionDays: number;
      storageClass: string;
      expirationDays: number;
      noncurrentExpirationDays: number;
    };
    policy: PolicyDocument;
  };
  role: {
    name: string;
    arn: string;
    trustPolicy: PolicyDocument;
    policyName: string;
    policy: PolicyDocument;
  };
  loggingConfig: {
    cloudWatchConfig: {
      logGroupName: string;
      roleArn: string;
      largeDataDeliveryS3Config: { bucketName: string; keyPrefix: string };
    };
    s3Config: { bucketName: string; keyPrefix: string };
    textDataDeliveryEnabled: boolean;
    imageDataDeliveryEnabled: boolean;
    embeddingDataDeliveryEnabled: boolean;
  };
}
