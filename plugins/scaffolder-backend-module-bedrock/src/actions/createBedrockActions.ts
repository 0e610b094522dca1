import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { readProvisioningConfig } from '../config';
import { LoggingProvisioner } from '../provisioning/LoggingProvisioner';
import { TenantProvisioner } from '../provisioning/TenantProvisioner';
import type { BindingsClient } from '../bindings/BedrockBindingsClient';
import { createBedrockCatalogPublishAction } from './catalogPublish';
import { createBedrockLoggingEnsureAction } from './loggingEnsure';
import { createBedrockTenantAdoptAction } from './tenantAdopt';
import {
  createBedrockTenantCreateAction,
  createBedrockTenantUpdateAction,
} from './tenantApply';
import {
  createBedrockTenantDeleteAction,
  createBedrockTenantResumeAction,
  createBedrockTenantSuspendAction,
} from './tenantLifecycle';

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
   * Records, moves and removes tenant bindings in the bedrock backend. Without it (the demo data
   * set, provisioned before the backend runs) the backend binds the tenants from their AWS tags,
   * and `bedrock:tenant:adopt` is not registered.
   */
  bindings?: BindingsClient;
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
  const { bindings } = options;
  const tenantOptions = { provisioner: tenants, config, auditor, bindings };
  return [
    createBedrockLoggingEnsureAction({ provisioner: logging, config, auditor }),
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
    }),
  ];
}
