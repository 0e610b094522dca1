import { createPlugin, createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'bedrock' });

/** The Bedrock tenancy frontend plugin, for apps on the legacy frontend system. */
export const bedrockPlugin = createPlugin({
  id: 'bedrock',
  routes: { root: rootRouteRef },
});
