import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createBedrockCatalogPublishAction,
  createBedrockLoggingEnsureAction,
  createBedrockTenantCreateAction,
  createBedrockTenantDeleteAction,
  createBedrockTenantResumeAction,
  createBedrockTenantSuspendAction,
  createBedrockTenantUpdateAction,
} from './actions';
import {
  credentialSourceFromConfig,
  DefaultAwsClientFactory,
} from './aws/clients';
import { readProvisioningConfig } from './config';
import { LoggingProvisioner } from './provisioning/LoggingProvisioner';
import { TenantProvisioner } from './provisioning/TenantProvisioner';

/** Adds the `bedrock:*` tenant-stack actions to the scaffolder. */
export const scaffolderModuleBedrock = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'bedrock',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
      },
      async init({ scaffolderActions, config, logger, auditor }) {
        const provisioning = readProvisioningConfig(config);
        const clients = DefaultAwsClientFactory.create({
          credentials: credentialSourceFromConfig(config),
          endpoint: provisioning.endpoint,
        });
        if (
          !provisioning.accounts.length ||
          !provisioning.regions.length ||
          !provisioning.models.length
        ) {
          logger.warn(
            'bedrock.provisioning.accounts, regions or models is empty: the bedrock:* actions will reject every input',
          );
        }
        const tenants = TenantProvisioner.create({
          clients,
          config: provisioning,
          logger,
        });
        const logging = LoggingProvisioner.create({
          clients,
          config: provisioning,
          logger,
        });
        const options = { provisioner: tenants, config: provisioning, auditor };
        scaffolderActions.addActions(
          createBedrockLoggingEnsureAction({
            provisioner: logging,
            config: provisioning,
            auditor,
          }),
          createBedrockTenantCreateAction(options),
          createBedrockTenantUpdateAction(options),
          createBedrockTenantSuspendAction(options),
          createBedrockTenantResumeAction(options),
          createBedrockTenantDeleteAction(options),
          createBedrockCatalogPublishAction({
            directory: provisioning.catalogDirectory,
            auditor,
          }),
        );
      },
    });
  },
});
