import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createBedrockActions } from './actions/createBedrockActions';
import { BedrockBindingsClient } from './bindings/BedrockBindingsClient';
import { readProvisioningConfig } from './config';

/**
 * Adds the `bedrock:*` tenant-stack actions to the scaffolder.
 *
 * @public
 */
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
        permissions: coreServices.permissions,
      },
      async init({
        scaffolderActions,
        config,
        logger,
        auditor,
        discovery,
        auth,
        permissions,
      }) {
        // read first: a bad value stops the backend with a message naming the key
        const provisioning = readProvisioningConfig(config);
        if (
          !provisioning.accounts.length ||
          !provisioning.regions.length ||
          !provisioning.models.length
        ) {
          logger.warn(
            'bedrock.provisioning.accounts, regions or models is empty: the bedrock:* actions will reject every input',
          );
        }
        // every tenant the actions create, update or delete is bound or unbound in the bedrock
        // backend, on behalf of the person who started the task: the backend decides who may
        const bindings = BedrockBindingsClient.create({ discovery, auth });
        scaffolderActions.addActions(
          ...createBedrockActions({
            config,
            logger,
            auditor,
            bindings,
            permissions,
          }),
        );
      },
    });
  },
});
