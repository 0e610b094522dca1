import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createBedrockActions } from './actions/createBedrockActions';
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
      },
      async init({ scaffolderActions, config, logger, auditor }) {
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
        scaffolderActions.addActions(
          ...createBedrockActions({ config, logger, auditor }),
        );
      },
    });
  },
});
