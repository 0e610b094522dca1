import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { AccountNotConfiguredError } from '../bindings/errors';

/** Returns the SDK credential provider for an AWS account. */
export type CredentialsForAccount = (
  accountId: string,
) => Promise<AwsCredentialIdentityProvider>;

type ClientKind =
  | 'cloudwatch'
  | 'cloudwatch-probe'
  | 'logs'
  | 'budgets'
  | 'bedrock'
  | 'ce';
type AnyClient =
  | CloudWatchClient
  | CloudWatchLogsClient
  | BudgetsClient
  | BedrockClient
  | CostExplorerClient;

/** Global-endpoint services are called in this region. */
const GLOBAL_REGION = 'us-east-1';

/**
 * One AWS SDK client per service, account and region, built once. Credentials come from
 * @backstage/integration-aws-node (`aws.mainAccount` / `aws.accounts`); `bedrock.aws.endpoint`
 * redirects every client (the local emulator). Counts the calls it sends.
 */
export class AwsClientFactory {
  readonly #clients = new Map<string, Promise<AnyClient>>();
  readonly #credentials: CredentialsForAccount;
  readonly #endpoint?: string;
  readonly #maxAttempts: number;
  readonly #requestTimeoutMs: number;
  #calls = 0;

  static fromConfig(
    config: Config,
    options: {
      endpoint?: string;
      maxAttempts?: number;
      requestTimeoutMs?: number;
    } = {},
  ): AwsClientFactory {
    const manager = DefaultAwsCredentialsManager.fromConfig(config);
    return AwsClientFactory.create({
      ...options,
      credentials: async accountId =>
        (await manager.getCredentialProvider({ accountId }))
          .sdkCredentialProvider,
    });
  }

  static create(options: {
    credentials: CredentialsForAccount;
    endpoint?: string;
    maxAttempts?: number;
    /** an answer slower than this fails the attempt (and is retried); default 30 s */
    requestTimeoutMs?: number;
  }): AwsClientFactory {
    return new AwsClientFactory(options);
  }

  private constructor(options: {
    credentials: CredentialsForAccount;
    endpoint?: string;
    maxAttempts?: number;
    requestTimeoutMs?: number;
  }) {
    this.#credentials = options.credentials;
    this.#endpoint = options.endpoint;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /**
   * Throws AccountNotConfiguredError (4xx) naming the config key to set when no credentials can
   * be had for the account (not in aws.accounts, and not the main account).
   */
  async checkAccount(accountId: string): Promise<void> {
    try {
      const provider = await this.#credentials(accountId);
      await provider();
    } catch (e) {
      throw new AccountNotConfiguredError(
        `The backend has no AWS credentials for account ${accountId} (${
          (e as Error).message
        }): add the account under aws.accounts in the app config (accountId with roleName or keys), or set aws.accountDefaults.roleName`,
      );
    }
  }

  /** AWS calls sent so far by every client of this factory (retries not counted). */
  get calls(): number {
    return this.#calls;
  }

  cloudWatch(accountId: string, region: string) {
    return this.#get(
      'cloudwatch',
      accountId,
      region,
    ) as Promise<CloudWatchClient>;
  }

  /** CloudWatch with a single attempt, for optional feature probes (percentiles). */
  cloudWatchProbe(accountId: string, region: string) {
    return this.#get(
      'cloudwatch-probe',
      accountId,
      region,
    ) as Promise<CloudWatchClient>;
  }

  logs(accountId: string, region: string) {
    return this.#get(
      'logs',
      accountId,
      region,
    ) as Promise<CloudWatchLogsClient>;
  }

  bedrock(accountId: string, region: string) {
    return this.#get('bedrock', accountId, region) as Promise<BedrockClient>;
  }

  budgets(accountId: string) {
    return this.#get(
      'budgets',
      accountId,
      GLOBAL_REGION,
    ) as Promise<BudgetsClient>;
  }

  costExplorer(accountId: string) {
    return this.#get(
      'ce',
      accountId,
      GLOBAL_REGION,
    ) as Promise<CostExplorerClient>;
  }

  #get(
    kind: ClientKind,
    accountId: string,
    region: string,
  ): Promise<AnyClient> {
    const key = `${kind}/${accountId}/${region}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = this.#build(kind, accountId, region);
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }

  async #build(
    kind: ClientKind,
    accountId: string,
    region: string,
  ): Promise<AnyClient> {
    const config = {
      region,
      credentials: await this.#credentials(accountId),
      retryMode: 'standard',
      maxAttempts: kind === 'cloudwatch-probe' ? 1 : this.#maxAttempts,
      // a hung endpoint fails the attempt instead of holding a collection cycle
      requestHandler: new NodeHttpHandler({
        connectionTimeout: Math.min(5_000, this.#requestTimeoutMs),
        requestTimeout: this.#requestTimeoutMs,
        // without it the handler only warns when the timeout passes
        throwOnRequestTimeout: true,
      }),
      ...(this.#endpoint ? { endpoint: this.#endpoint } : {}),
    };
    let client: AnyClient;
    switch (kind) {
      case 'cloudwatch':
      case 'cloudwatch-probe':
        client = new CloudWatchClient(config);
        break;
      case 'logs':
        client = new CloudWatchLogsClient(config);
        break;
      case 'budgets':
        client = new BudgetsClient(config);
        break;
      case 'bedrock':
        client = new BedrockClient(config);
        break;
      default:
        client = new CostExplorerClient(config);
    }
    (client.middlewareStack as any).add(
      (next: any) => (args: any) => {
        this.#calls++;
        return next(args);
      },
      { step: 'initialize', name: 'bedrockCallCounter' },
    );
    return client;
  }
}
