/*
 * The portal's backend: a stock Backstage backend with the Bedrock tenancy suite added.
 */
import { createBackend } from '@backstage/backend-defaults';
import { assertProductionSettings } from './preflight';

// production refuses to start, naming every missing environment variable, before any plugin
assertProductionSettings();

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for the local portal (see app-config.production.yaml for real providers)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// local portal only: a second, non-admin sign-in (auth.providers.guest-member in app-config.yaml)
backend.add(import('./modules/devMemberSignIn'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// permissions, decided by this portal's own policy
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// scaffolder with the suite's tenant-stack actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@bedrock-tenancy/plugin-scaffolder-backend-module-bedrock'),
);

backend.add(import('@backstage/plugin-user-settings-backend'));

// owner notifications (inbox in the portal) and signals (live updates of open pages)
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// the suite's backend: usage, alarms, cost and budgets per tenant
backend.add(import('@bedrock-tenancy/plugin-bedrock-backend'));

// AI assistants: the registered actions (backend.actions.pluginSources) as MCP tools at
// /api/mcp-actions/v1, each called with the person's own permissions
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
