import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createBedrockCatalogPublishAction,
  createBedrockLoggingEnsureAction,
  createBedrockTenantAdoptAction,
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
import { BedrockBindingsClient } from './bindings/BedrockBindingsClient';
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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({
        scaffolderActions,
        config,
        logger,
        auditor,
        discovery,
        auth,
      }) {
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
        // every tenant the actions create, update or delete is bound, moved or unbound in the
        // bedrock backend: its usage is shown on that entity only
        const bindings = BedrockBindingsClient.create({ discovery, auth });
        const options = {
          provisioner: tenants,
          config: provisioning,
          auditor,
          bindings,
        };
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
          createBedrockTenantAdoptAction({ bindings, auditor }),
          createBedrockCatalogPublishAction({
            directory: provisioning.catalogDirectory,
            auditor,
          }),
        );
      },
    });
  },
});
