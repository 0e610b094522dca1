/* TEST-ONLY: moto + the Bedrock profiles stand-in, and clients that record (or fail) calls. */
import {
  BedrockStandIn,
  DEMO_ACCOUNTS,
  EMULATOR_CREDENTIALS,
  startBedrockStandIn,
  startMoto,
  type MotoServer,
} from '@bedrock-tenancy/aws-emulator';
import { ConfigReader } from '@backstage/config';
import {
  AwsClientFactory,
  type AwsCallInfo,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { ProvisioningConfig, readProvisioningConfig } from '../config';
import { snapshot } from './snapshot';

export const ACCOUNT = DEMO_ACCOUNTS.platform;
export const REGION = 'us-east-1';
export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const NOVA_PRO = 'amazon.nova-pro-v1:0';
export const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

export const TEST_CONFIG = {
  bedrock: {
    provisioning: {
      accounts: [ACCOUNT, DEMO_ACCOUNTS.risk],
      regions: ['us-east-1', 'us-west-2'],
      models: [
        {
          id: HAIKU,
          copyFrom: `arn:aws:bedrock:{region}::foundation-model/${HAIKU}`,
        },
        {
          id: NOVA_PRO,
          copyFrom: `arn:aws:bedrock:{region}:{accountId}:inference-profile/us.${NOVA_PRO}`,
        },
        {
          id: SONNET,
          copyFrom: `arn:aws:bedrock:{region}::foundation-model/${SONNET}`,
        },
      ],
      trustPrincipals: [`arn:aws:iam::${ACCOUNT}:root`],
      monthlyBudgetUsd: 250,
      // only for tenants whose input asks for a guardrail
      guardrail: {
        contentFilters: {
          violence: { input: 'MEDIUM', output: 'MEDIUM' },
          promptAttack: { input: 'HIGH' },
        },
        piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZE' }],
      },
    },
  },
};

export function testConfig(): ProvisioningConfig {
  return readProvisioningConfig(new ConfigReader(TEST_CONFIG));
}

export interface TestEnv {
  moto: MotoServer;
  bedrock: BedrockStandIn;
  calls: AwsCallInfo[];
  /** throw on the n-th mutating call from now (1-based); undefined = never */
  failAtMutation?: number;
  factory(): AwsClientFactory;
  reset(): Promise<void>;
  stop(): Promise<void>;
  /** every resource the actions can touch, read through the AWS APIs (plus the stand-in's profiles and guardrails) */
  state(): Promise<unknown>;
  /** moto's data.json with volatile values (timestamps, request ids) and moto's fixtures removed */
  motoDump(): Promise<unknown>;
}

export class InjectedFailure extends Error {
  name = 'InjectedFailure';
}

export async function startTestEnv(): Promise<TestEnv> {
  const moto = await startMoto();
  const bedrock = await startBedrockStandIn({
    motoEndpoint: moto.endpoint,
    accountId: ACCOUNT,
  });
  const env: TestEnv = {
    moto,
    bedrock,
    calls: [],
    factory: () =>
      AwsClientFactory.create({
        credentials: async () => async () => EMULATOR_CREDENTIALS,
        endpoint: moto.endpoint,
        bedrockEndpoint: bedrock.endpoint,
        maxAttempts: 1,
        onCall: call => {
          env.calls.push(call);
          if (call.mutating && env.failAtMutation !== undefined) {
            env.failAtMutation -= 1;
            if (env.failAtMutation === 0) {
              env.failAtMutation = undefined;
              throw new InjectedFailure(
                `injected failure before ${call.service}:${call.command}`,
              );
            }
          }
        },
      }),
    reset: async () => {
      await moto.reset();
      bedrock.reset();
      env.calls.length = 0;
      env.failAtMutation = undefined;
    },
    stop: async () => {
      await bedrock.stop();
      await moto.stop();
    },
    state: async () => {
      const aws = await AwsClientFactory.create({
        credentials: async () => async () => EMULATOR_CREDENTIALS,
        endpoint: moto.endpoint,
        bedrockEndpoint: bedrock.endpoint,
        maxAttempts: 1,
      }).forTarget(ACCOUNT, REGION);
      return {
        aws: await snapshot(aws),
        profiles: [...bedrock.profiles.values()]
          .map(({ clientRequestToken, ...p }) => p)
          .sort((a, b) =>
            a.inferenceProfileName.localeCompare(b.inferenceProfileName),
          ),
        guardrails: [...bedrock.guardrails.values()]
          .map(g => ({
            name: g.name,
            guardrailArn: g.guardrailArn,
            tags: g.tags,
            draft: g.draft,
            versions: [...g.versions.keys()],
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    },
    motoDump: async () => {
      const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
      const raw = (await res.json()) as any;
      // AWS managed policies are moto's fixtures, loaded lazily per partition: not state
      if (raw.iam) delete raw.iam.AWSManagedPolicy;
      // a service appears in the dump once its backend is first touched: keep only stored models
      for (const svc of Object.keys(raw)) {
        for (const model of Object.keys(raw[svc])) {
          if (!raw[svc][model]?.length) delete raw[svc][model];
        }
        if (!Object.keys(raw[svc]).length) delete raw[svc];
      }
      return scrub(raw);
    },
  };
  return env;
}

const VOLATILE =
  /(date|time|created|modified|updated|timestamp|last_|_at$|request_id|etag|version_id|subscription_arn|arn_suffix|^id$|token)/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Removes values that differ between two identical runs (timestamps, generated ids). */
export function scrub(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrub);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v as object)) {
      if (VOLATILE.test(k)) continue;
      out[k] = scrub(val);
    }
    return out;
  }
  if (typeof v === 'string' && ISO.test(v)) return '<time>';
  return v;
}
