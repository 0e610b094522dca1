import type {
  AuditorService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { readProvisioningConfig } from '../config';
import { LoggingProvisioner } from '../provisioning/LoggingProvisioner';
import { TenantProvisioner } from '../provisioning/TenantProvisioner';
import type { BindingsClient } from '../bindings/BedrockBindingsClient';
import { initiatorAuthorizer, operatorAuthorizer } from './authorization';
import { createBedrockCatalogPublishAction } from './catalogPublish';
import { createBedrockLoggingEnsureAction } from './loggingEnsure';
import { createBedrockTenantAdoptAction } from './tenantAdopt';
import { createBedrockTenantCreateAction } from './tenantCreate';
import { createBedrockTenantDeleteAction } from './tenantDelete';
import { createBedrockTenantResumeAction } from './tenantResume';
import { createBedrockTenantSuspendAction } from './tenantSuspend';
import { createBedrockTenantUpdateAction } from './tenantUpdate';

/**
 * Options of {@link createBedrockActions}.
 *
 * @public
 */
export interface BedrockActionsOptions {
  /** Root config: `bedrock.provisioning`, `bedrock.aws.endpoint` and `aws` (credentials). */
  config: Config;
  logger?: LoggerService;
  auditor?: AuditorService;
  /** The AWS clients; built from `config` when unset. */
  clients?: AwsClientFactory;
  /**
   * Records and removes tenant bindings in the bedrock backend, which also decides who may change
   * a tenant. With it, `permissions` is required: every action authorizes the person who started
   * the task before any AWS call. Without both (the demo data set, provisioned with the
   * operator's AWS credentials before the backend runs) the actions run as the operator, the
   * backend binds the tenants from their AWS tags, and `bedrock:tenant:adopt` is not registered.
   */
  bindings?: BindingsClient;
  /** Decides the account-wide changes (invocation logging) for the task's initiator. */
  permissions?: PermissionsService;
  /** Retries while a new IAM role propagates (bedrock:logging:ensure); default 6 attempts, 5 s apart. */
  retry?: { attempts: number; delayMs: number };
}

/**
 * Every `bedrock:*` action, as the module registers them. Outside a backend (the demo data set)
 * they run through their handlers the same way.
 *
 * @public
 */
export function createBedrockActions(
  options: BedrockActionsOptions,
): TemplateAction<any, any, any>[] {
  const { logger, auditor } = options;
  const config = readProvisioningConfig(options.config);
  const clients =
    options.clients ??
    AwsClientFactory.fromConfig(options.config, { endpoint: config.endpoint });
  const tenants = TenantProvisioner.create({ clients, config, logger });
  const logging = LoggingProvisioner.create({
    clients,
    config,
    logger,
    retry: options.retry,
  });
  const { bindings, permissions } = options;
  if (bindings && !permissions) {
    throw new Error(
      'createBedrockActions: bindings without permissions: the actions could not authorize the person who started a task',
    );
  }
  const authorizer =
    bindings && permissions
      ? initiatorAuthorizer({ bindings, permissions })
      : operatorAuthorizer;
  const tenantOptions = {
    provisioner: tenants,
    config,
    auditor,
    bindings,
    authorizer,
  };
  return [
    createBedrockLoggingEnsureAction({
      provisioner: logging,
      config,
      auditor,
      authorizer,
    }),
    createBedrockTenantCreateAction(tenantOptions),
    createBedrockTenantUpdateAction(tenantOptions),
    createBedrockTenantSuspendAction(tenantOptions),
    createBedrockTenantResumeAction(tenantOptions),
    createBedrockTenantDeleteAction(tenantOptions),
    ...(bindings
      ? [createBedrockTenantAdoptAction({ bindings, auditor })]
      : []),
    createBedrockCatalogPublishAction({
      directory: config.catalogDirectory,
      auditor,
      authorizer,
    }),
  ];
}
