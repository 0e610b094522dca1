import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ProvisioningConfig } from '../config';
import { ChangeLog } from './changes';
import type { LoggingSpec } from './loggingInput';
import { buildLoggingPlan, LoggingPlan } from './loggingPlan';
import { convergeBucket, readBucket } from './resources/bucket';
import {
  convergeInvocationLogging,
  invocationLoggingProblem,
  readInvocationLogging,
} from './resources/invocationLogging';
import { convergeLogGroup, readLogGroup } from './resources/logGroup';
import { DEFAULT_RETRY, NO_RETRY, type RetryOptions } from './resources/retry';
import { convergeInlinePolicy, convergeRole, readRole } from './resources/role';
import { isManaged, managedProblem } from './resources/tags';

export interface LoggingResult {
  plan: LoggingPlan;
  changes: string[];
}

/**
 * Converges the invocation logging of one account + region to its plan. Orchestration only:
 * each resource lives in `resources/`.
 */
export class LoggingProvisioner {
  readonly #clients: AwsClientFactory;
  readonly #config: ProvisioningConfig;
  readonly #logger?: LoggerService;
  readonly #retry: RetryOptions;

  static create(options: {
    clients: AwsClientFactory;
    config: ProvisioningConfig;
    logger?: LoggerService;
    /** retries of calls that wait for IAM propagation; default 6 attempts, 5 s apart */
    retry?: RetryOptions;
  }) {
    return new LoggingProvisioner(
      options.clients,
      options.config,
      options.logger,
      options.retry ?? DEFAULT_RETRY,
    );
  }

  private constructor(
    clients: AwsClientFactory,
    config: ProvisioningConfig,
    logger: LoggerService | undefined,
    retry: RetryOptions,
  ) {
    this.#clients = clients;
    this.#config = config;
    this.#logger = logger;
    this.#retry = retry;
  }

  plan(spec: LoggingSpec): LoggingPlan {
    return buildLoggingPlan(spec, this.#config);
  }

  async apply(spec: LoggingSpec): Promise<LoggingResult> {
    const plan = this.plan(spec);
    const aws = await this.#clients.forTarget(spec.accountId, spec.region);
    const log = new ChangeLog(this.#logger);

    // 1. read everything and refuse before changing anything
    const config = await readInvocationLogging(aws);
    const logGroup = await readLogGroup(aws, plan.logGroup);
    const bucket = await readBucket(aws, plan.bucket.name, plan.tags);
    const role = await readRole(aws, plan.role.name);
    const problems = [
      invocationLoggingProblem(config, plan, isManaged(role?.tags)),
      managedProblem(`log group ${plan.logGroup.name}`, logGroup?.tags),
      managedProblem(`bucket ${plan.bucket.name}`, bucket?.tags),
      managedProblem(`role ${plan.role.name}`, role?.tags),
    ].filter((p): p is string => Boolean(p));
    if (problems.length && !spec.takeover) {
      throw new ConflictError(
        `Refusing to change invocation logging of ${spec.accountId}/${
          spec.region
        }: ${problems.join(
          '; ',
        )}. Nothing was changed. Set takeover: true to replace it.`,
      );
    }
    if (problems.length) {
      log.add('Taking over existing invocation logging resources', {
        problems,
      });
    }

    // 2. converge, destinations before the configuration that points at them
    await convergeLogGroup(aws, plan.logGroup, plan.tags, logGroup, log);
    await convergeBucket(aws, plan.region, plan.bucket, plan.tags, bucket, log);
    await convergeRole(
      aws,
      {
        name: plan.role.name,
        description: `Lets Amazon Bedrock deliver invocation logs in ${plan.region}`,
        trustPolicy: plan.role.trustPolicy,
        tags: plan.tags,
      },
      role,
      log,
    );
    await convergeInlinePolicy(
      aws,
      plan.role.name,
      plan.role.policyName,
      plan.role.policy,
      log,
    );
    await convergeInvocationLogging(
      aws,
      plan,
      config,
      log,
      // a role IAM has just created takes a few seconds until Bedrock can assume it
      role ? NO_RETRY : this.#retry,
    );
    return { plan, changes: log.changes };
  }
}
