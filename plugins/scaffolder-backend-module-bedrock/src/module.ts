import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

/** Adds the `bedrock:*` tenant-stack actions to the scaffolder. */
export const scaffolderModuleBedrock = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'bedrock',
  register(reg) {
    reg.registerInit({
      deps: { scaffolderActions: scaffolderActionsExtensionPoint },
      async init({ scaffolderActions }) {
        scaffolderActions.addActions();
      },
    });
  },
});
