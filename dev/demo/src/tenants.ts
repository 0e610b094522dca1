import { tenantNames } from '@bedrock-tenancy/plugin-scaffolder-backend-module-bedrock';
import { DEMO_ACCOUNTS, standInProfileId } from '@bedrock-tenancy/aws-emulator';

export const DEMO_REGIONS = ['us-east-1', 'us-west-2'] as const;
/** The one account and region where the demo has invocation logging on. */
export const DEMO_LOGGING = {
  accountId: DEMO_ACCOUNTS.platform,
  region: 'us-east-1',
  logGroupName: '/aws/bedrock/modelinvocations',
  bucketName: 'bedrock-invocation-logs-123456789012-us-east-1',
  /** made by bedrock:logging:ensure */
  roleName: 'bedrock-tenancy-invocation-logging-us-east-1',
};

export type TrafficShape = 'busy' | 'errors' | 'idle' | 'steady' | 'light';

export interface DemoModel {
  /** base model id */
  modelId: string;
  /** value of the ModelId dimension / log modelId the traffic is reported under */
  dimension: string;
  /** application inference profile id, for inference-profile attribution */
  profileId?: string;
  /** mean invocations per hour at the daily peak */
  peakCallsPerHour: number;
  meanInputTokens: number;
  meanOutputTokens: number;
  meanLatencyMs: number;
  /**
   * Streaming traffic (ConverseStream, InvokeModelWithResponseStream): the share of invocations
   * that stream, and their mean time to first token. Absent: the model is never streamed, so
   * CloudWatch has no `TimeToFirstToken` for it.
   */
  streaming?: { share: number; meanTtftMs: number };
}

export interface DemoTenant {
  tenantId: string;
  title: string;
  description: string;
  ownerGroup: string;
  system: string;
  accountId: string;
  region: string;
  attribution: 'account' | 'inference-profile' | 'identity';
  principalArn?: string;
  shape: TrafficShape;
  /** budget limit as a multiple of month-to-date estimated spend (below 1.25 means over 80%) */
  budgetHeadroom: number;
  /** opted in to budget enforcement (suspend at 100%) through the create action's inputs */
  budgetEnforcement?: { basis: 'actual' | 'estimate'; autoResume: boolean };
  models: DemoModel[];
}

/**
 * A model used through an application inference profile. The profile is made by
 * bedrock:tenant:create; its id (which the stand-in derives from account, region and name) is
 * filled in below, and the seed checks that the action got exactly that id.
 */
const aip = (
  modelId: string,
  m: Omit<DemoModel, 'modelId' | 'dimension' | 'profileId'>,
): DemoModel => ({ modelId, dimension: '', profileId: '', ...m });

const withProfileIds = (t: DemoTenant): DemoTenant =>
  t.attribution !== 'inference-profile'
    ? t
    : {
        ...t,
        models: t.models.map(m => {
          const profileId = standInProfileId(
            t.accountId,
            t.region,
            tenantNames(t.tenantId).profileName(m.modelId),
          );
          return { ...m, profileId, dimension: profileId };
        }),
      };

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET_35 = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const SONNET_37 = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const NOVA_LITE = 'amazon.nova-lite-v1:0';
const MISTRAL_LARGE = 'mistral.mistral-large-2402-v1:0';
const TITAN_EMBED = 'amazon.titan-embed-text-v2:0';
const LLAMA_8B = 'meta.llama3-1-8b-instruct-v1:0';
/** Not in the built-in price table: the demo shows it as unpriced. */
const COMMAND_R = 'cohere.command-r-v1:0';

export const DEMO_TENANTS: DemoTenant[] = (
  [
    {
      tenantId: 'checkout-assistant',
      title: 'Checkout assistant',
      description:
        'Conversational help during checkout. Busy, several models, a spike three days ago.',
      ownerGroup: 'team-checkout',
      system: 'storefront',
      accountId: DEMO_ACCOUNTS.platform,
      region: 'us-east-1',
      attribution: 'inference-profile',
      shape: 'busy',
      budgetHeadroom: 2.5,
      models: [
        aip(SONNET_35, {
          peakCallsPerHour: 420,
          meanInputTokens: 1800,
          meanOutputTokens: 450,
          meanLatencyMs: 3200,
          streaming: { share: 0.7, meanTtftMs: 650 },
        }),
        aip(HAIKU, {
          peakCallsPerHour: 900,
          meanInputTokens: 900,
          meanOutputTokens: 220,
          meanLatencyMs: 900,
          streaming: { share: 0.9, meanTtftMs: 280 },
        }),
        aip(NOVA_PRO, {
          peakCallsPerHour: 150,
          meanInputTokens: 1200,
          meanOutputTokens: 300,
          meanLatencyMs: 1800,
        }),
      ],
    },
    {
      tenantId: 'support-bot',
      title: 'Support bot',
      description:
        'Answers support tickets. Client errors, server errors and throttling at peak hours.',
      ownerGroup: 'team-support',
      system: 'customer-care',
      accountId: DEMO_ACCOUNTS.platform,
      region: 'us-east-1',
      attribution: 'inference-profile',
      shape: 'errors',
      budgetHeadroom: 2,
      models: [
        aip(HAIKU, {
          peakCallsPerHour: 300,
          meanInputTokens: 1400,
          meanOutputTokens: 380,
          meanLatencyMs: 1100,
          streaming: { share: 0.5, meanTtftMs: 320 },
        }),
        aip(MISTRAL_LARGE, {
          peakCallsPerHour: 60,
          meanInputTokens: 2200,
          meanOutputTokens: 500,
          meanLatencyMs: 4200,
          streaming: { share: 0.4, meanTtftMs: 900 },
        }),
      ],
    },
    {
      tenantId: 'search-ranker',
      title: 'Search ranker',
      description:
        'Embeds and re-ranks search results. Idle for the last twelve days.',
      ownerGroup: 'team-search',
      system: 'storefront',
      accountId: DEMO_ACCOUNTS.platform,
      region: 'us-west-2',
      attribution: 'inference-profile',
      shape: 'idle',
      budgetHeadroom: 3,
      models: [
        aip(TITAN_EMBED, {
          peakCallsPerHour: 500,
          meanInputTokens: 300,
          meanOutputTokens: 0,
          meanLatencyMs: 120,
        }),
        aip(LLAMA_8B, {
          peakCallsPerHour: 80,
          meanInputTokens: 700,
          meanOutputTokens: 120,
          meanLatencyMs: 650,
        }),
      ],
    },
    {
      tenantId: 'docs-summarizer',
      title: 'Docs summarizer',
      description:
        'Summarises internal documents with a large model. Past 80% of its monthly budget, opted in to budget enforcement (suspended at 100%).',
      ownerGroup: 'team-docs',
      system: 'knowledge',
      accountId: DEMO_ACCOUNTS.platform,
      region: 'us-west-2',
      attribution: 'inference-profile',
      shape: 'steady',
      budgetHeadroom: 1.16,
      // near its budget: the tab shows how far it is from the 100% that suspends it
      budgetEnforcement: { basis: 'actual', autoResume: true },
      models: [
        aip(SONNET_37, {
          peakCallsPerHour: 120,
          meanInputTokens: 6000,
          meanOutputTokens: 900,
          meanLatencyMs: 7800,
          streaming: { share: 1, meanTtftMs: 1400 },
        }),
      ],
    },
    {
      tenantId: 'fraud-analyst',
      title: 'Fraud analyst',
      description:
        "Explains risk scores. Runs in the risk team's own AWS account (whole-account attribution).",
      ownerGroup: 'team-risk',
      system: 'payments',
      accountId: DEMO_ACCOUNTS.risk,
      region: 'us-east-1',
      attribution: 'account',
      shape: 'steady',
      budgetHeadroom: 2,
      models: [
        {
          modelId: NOVA_LITE,
          dimension: NOVA_LITE,
          peakCallsPerHour: 260,
          meanInputTokens: 1500,
          meanOutputTokens: 260,
          meanLatencyMs: 700,
          streaming: { share: 0.3, meanTtftMs: 350 },
        },
        {
          modelId: HAIKU,
          dimension: `us.${HAIKU}`,
          peakCallsPerHour: 90,
          meanInputTokens: 1100,
          meanOutputTokens: 300,
          meanLatencyMs: 950,
        },
      ],
    },
    {
      tenantId: 'data-labeling',
      title: 'Data labeling',
      description:
        'Labels training data from a shared role; attributed by invocation-log identity. One model is unpriced.',
      ownerGroup: 'team-search',
      system: 'knowledge',
      accountId: DEMO_ACCOUNTS.platform,
      region: 'us-east-1',
      attribution: 'identity',
      principalArn: `arn:aws:iam::${DEMO_ACCOUNTS.platform}:role/data-labeling-workers`,
      shape: 'light',
      budgetHeadroom: 3,
      models: [
        {
          modelId: HAIKU,
          dimension: HAIKU,
          peakCallsPerHour: 6,
          meanInputTokens: 800,
          meanOutputTokens: 150,
          meanLatencyMs: 850,
        },
        {
          modelId: COMMAND_R,
          dimension: COMMAND_R,
          peakCallsPerHour: 3,
          meanInputTokens: 1000,
          meanOutputTokens: 200,
          meanLatencyMs: 1300,
        },
      ],
    },
  ] as DemoTenant[]
).map(withProfileIds);
