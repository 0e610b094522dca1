import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isBedrockTenantEntity } from '@bedrock-tenancy/plugin-bedrock-common';

/** The monitoring tab, on entities annotated as Bedrock tenants. */
export const bedrockEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/bedrock',
    title: 'Bedrock',
    filter: isBedrockTenantEntity,
    loader: () =>
      import('./components/BedrockTab').then(m => <m.BedrockTab />),
  },
});

/** The Bedrock tenancy plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'bedrock',
  extensions: [bedrockEntityContent],
});
