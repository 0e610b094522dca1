import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Config } from '@backstage/config';
import {
  DefaultAwsCredentialsManager,
  type AwsCredentialProvider,
} from '@backstage/integration-aws-node';

type AwsCredentialIdentityProvider =
  AwsCredentialProvider['sdkCredentialProvider'];

/** The AWS clients of one account and region. */
export interface AwsClients {
  accountId: string;
  region: string;
  iam: IAMClient;
  s3: S3Client;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  budgets: BudgetsClient;
  bedrock: BedrockClient;
}

/** Describes one SDK call, before it is sent. */
export interface AwsCallInfo {
  accountId: string;
  region: string;
  service: string;
  command: string;
  /** true unless the command only reads (Get/List/Describe/Head) */
  mutating: boolean;
}

/** Resolves the SDK credential provider of an account. Never fed from action inputs. */
export type CredentialSource = (
  accountId: string,
) => Promise<AwsCredentialIdentityProvider>;

export interface AwsClientFactory {
  forTarget(accountId: string, region: string): Promise<AwsClients>;
}

export interface AwsClientFactoryOptions {
  credentials: CredentialSource;
  /** endpoint override for every client (an emulator) */
  endpoint?: string;
  /** SDK retry attempts; default the SDK's */
  maxAttempts?: number;
  /** called before every SDK call (tests count or fail calls here) */
  onCall?: (call: AwsCallInfo) => void | Promise<void>;
  /** endpoint override of the Bedrock control-plane client only */
  bedrockEndpoint?: string;
}

const READ_ONLY = /^(Get|List|Describe|Head)/;

/** Credentials from `aws.*` config through @backstage/integration-aws-node. */
export function credentialSourceFromConfig(config: Config): CredentialSource {
  const manager = DefaultAwsCredentialsManager.fromConfig(config);
  return async accountId =>
    (await manager.getCredentialProvider({ accountId })).sdkCredentialProvider;
}

/** Builds the clients of an account + region once and reuses them. */
export class DefaultAwsClientFactory implements AwsClientFactory {
  readonly #options: AwsClientFactoryOptions;
  readonly #cache = new Map<string, Promise<AwsClients>>();

  static create(options: AwsClientFactoryOptions): DefaultAwsClientFactory {
    return new DefaultAwsClientFactory(options);
  }

  private constructor(options: AwsClientFactoryOptions) {
    this.#options = options;
  }

  forTarget(accountId: string, region: string): Promise<AwsClients> {
    const key = `${accountId}/${region}`;
    let clients = this.#cache.get(key);
    if (!clients) {
      clients = this.#build(accountId, region);
      clients.catch(() => this.#cache.delete(key));
      this.#cache.set(key, clients);
    }
    return clients;
  }

  async #build(accountId: string, region: string): Promise<AwsClients> {
    const { endpoint, maxAttempts, onCall, bedrockEndpoint } = this.#options;
    const credentials = await this.#options.credentials(accountId);
    const base = {
      region,
      credentials,
      ...(endpoint ? { endpoint } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
    };
    const hook = <T extends { middlewareStack: any }>(
      service: string,
      client: T,
    ): T => {
      if (onCall) {
        client.middlewareStack.add(
          (next: any, context: any) => async (args: any) => {
            const command = String(context.commandName ?? '').replace(
              /Command$/,
              '',
            );
            await onCall({
              accountId,
              region,
              service,
              command,
              mutating: !READ_ONLY.test(command),
            });
            return next(args);
          },
          { step: 'initialize', name: 'bedrockTenancyCallHook' },
        );
      }
      return client;
    };
    return {
      accountId,
      region,
      iam: hook('iam', new IAMClient(base)),
      s3: hook(
        's3',
        new S3Client({ ...base, forcePathStyle: Boolean(endpoint) }),
      ),
      sns: hook('sns', new SNSClient(base)),
      cloudwatch: hook(
        'cloudwatch',
        new CloudWatchClient({ ...base, disableRequestCompression: true }),
      ),
      logs: hook('logs', new CloudWatchLogsClient(base)),
      // AWS Budgets is served from us-east-1 only
      budgets: hook(
        'budgets',
        new BudgetsClient({ ...base, region: 'us-east-1' }),
      ),
      bedrock: hook(
        'bedrock',
        new BedrockClient({
          ...base,
          ...(bedrockEndpoint ? { endpoint: bedrockEndpoint } : {}),
        }),
      ),
    };
  }
}
