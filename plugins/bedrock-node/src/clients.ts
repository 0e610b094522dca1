import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { IAMClient } from '@aws-sdk/client-iam';
import { PricingClient } from '@aws-sdk/client-pricing';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * Returns the SDK credential provider of an AWS account. Never fed from user input.
 *
 * @public
 */
export type CredentialsForAccount = (
  accountId: string,
) => Promise<AwsCredentialIdentityProvider>;

/**
 * The AWS clients of one account and region.
 *
 * @public
 */
export interface AwsClients {
  accountId: string;
  region: string;
  bedrock: BedrockClient;
  /** AWS Budgets, served from us-east-1 only */
  budgets: BudgetsClient;
  cloudwatch: CloudWatchClient;
  /** CloudWatch with a single attempt, for optional feature probes (percentiles) */
  cloudwatchProbe: CloudWatchClient;
  /** Cost Explorer, served from us-east-1 only */
  costExplorer: CostExplorerClient;
  iam: IAMClient;
  logs: CloudWatchLogsClient;
  /**
   * The AWS Price List Query API in this region: it answers in us-east-1, eu-central-1 and
   * ap-south-1 only, so ask for the clients of one of those
   */
  pricing: PricingClient;
  s3: S3Client;
  sns: SNSClient;
}

/**
 * One SDK call, before it is sent.
 *
 * @public
 */
export interface AwsCallInfo {
  accountId: string;
  region: string;
  service: string;
  command: string;
  /** true unless the command only reads (Get/List/Describe/Head) */
  mutating: boolean;
}

/**
 * How the factory builds clients.
 *
 * @public
 */
export interface AwsClientFactoryOptions {
  credentials: CredentialsForAccount;
  /** endpoint override of every client (an emulator) */
  endpoint?: string;
  /** endpoint override of the Bedrock control-plane client only */
  bedrockEndpoint?: string;
  /** endpoint override of the CloudWatch Logs client only (a Logs Insights stand-in) */
  logsEndpoint?: string;
  /** attempts per call with the SDK's standard retry mode; default 3 */
  maxAttempts?: number;
  /** an answer slower than this fails the attempt (and is retried); default 30 s */
  requestTimeoutMs?: number;
  /** called before every call (tests record or fail calls here) */
  onCall?: (call: AwsCallInfo) => void | Promise<void>;
}

/**
 * Global-endpoint services (Budgets, Cost Explorer) are called in this region, whatever the
 * region of the clients asked for.
 *
 * @public
 */
export const GLOBAL_REGION = 'us-east-1';
const READ_ONLY = /^(Get|List|Describe|Head)/;

/**
 * Credentials of `aws.mainAccount` / `aws.accounts` through `@backstage/integration-aws-node`.
 *
 * @public
 */
export function credentialsFromConfig(config: Config): CredentialsForAccount {
  const manager = DefaultAwsCredentialsManager.fromConfig(config);
  return async accountId =>
    (await manager.getCredentialProvider({ accountId })).sdkCredentialProvider;
}

/**
 * The AWS clients of every account + region, built once each and reused. Counts the calls it
 * sends.
 *
 * @public
 */
export class AwsClientFactory {
  readonly #options: AwsClientFactoryOptions;
  readonly #cache = new Map<string, Promise<AwsClients>>();
  #calls = 0;

  /** Credentials from the `aws` config section. */
  static fromConfig(
    config: Config,
    options: Omit<AwsClientFactoryOptions, 'credentials'> = {},
  ): AwsClientFactory {
    return new AwsClientFactory({
      ...options,
      credentials: credentialsFromConfig(config),
    });
  }

  static create(options: AwsClientFactoryOptions): AwsClientFactory {
    return new AwsClientFactory(options);
  }

  private constructor(options: AwsClientFactoryOptions) {
    this.#options = options;
  }

  /** AWS calls sent so far by every client of this factory (retries not counted). */
  get calls(): number {
    return this.#calls;
  }

  /** Resolves the account's credentials now; rejects when none can be had (not configured). */
  async checkCredentials(accountId: string): Promise<void> {
    const provider = await this.#options.credentials(accountId);
    await provider();
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
    const o = this.#options;
    const timeout = o.requestTimeoutMs ?? 30_000;
    const base = {
      region,
      credentials: await o.credentials(accountId),
      retryMode: 'standard',
      maxAttempts: o.maxAttempts ?? 3,
      // a hung endpoint fails the attempt instead of holding a collection or a task
      requestHandler: new NodeHttpHandler({
        connectionTimeout: Math.min(5_000, timeout),
        requestTimeout: timeout,
        // without it the handler only warns when the timeout passes
        throwOnRequestTimeout: true,
      }),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    };
    const hook = <T extends { middlewareStack: any }>(
      service: string,
      client: T,
    ): T => {
      client.middlewareStack.add(
        (next: any, context: any) => async (args: any) => {
          this.#calls++;
          if (o.onCall) {
            const command = String(context.commandName ?? '').replace(
              /Command$/,
              '',
            );
            await o.onCall({
              accountId,
              region,
              service,
              command,
              mutating: !READ_ONLY.test(command),
            });
          }
          return next(args);
        },
        { step: 'initialize', name: 'bedrockTenancyCallHook' },
      );
      return client;
    };
    const global = { ...base, region: GLOBAL_REGION };
    return {
      accountId,
      region,
      bedrock: hook(
        'bedrock',
        new BedrockClient({
          ...base,
          ...(o.bedrockEndpoint ? { endpoint: o.bedrockEndpoint } : {}),
        }),
      ),
      budgets: hook('budgets', new BudgetsClient(global)),
      // PutMetricData compression is not understood by every emulator
      cloudwatch: hook(
        'cloudwatch',
        new CloudWatchClient({ ...base, disableRequestCompression: true }),
      ),
      cloudwatchProbe: hook(
        'cloudwatch',
        new CloudWatchClient({
          ...base,
          maxAttempts: 1,
          disableRequestCompression: true,
        }),
      ),
      costExplorer: hook('ce', new CostExplorerClient(global)),
      iam: hook('iam', new IAMClient(base)),
      logs: hook(
        'logs',
        new CloudWatchLogsClient({
          ...base,
          ...(o.logsEndpoint ? { endpoint: o.logsEndpoint } : {}),
        }),
      ),
      pricing: hook('pricing', new PricingClient(base)),
      // an emulator serves buckets under its own host name
      s3: hook(
        's3',
        new S3Client({ ...base, forcePathStyle: Boolean(o.endpoint) }),
      ),
      sns: hook('sns', new SNSClient(base)),
    };
  }
}
