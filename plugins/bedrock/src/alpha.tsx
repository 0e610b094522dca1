import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isBedrockTenantEntity } from '@bedrock-tenancy/plugin-bedrock-common';
import { BedrockClient, bedrockApiRef } from './api';

/**
 * The HTTP client of the bedrock backend.
 *
 * @public
 */
export const bedrockApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: bedrockApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        BedrockClient.create({ discoveryApi, fetchApi }),
    }),
});

/**
 * The monitoring tab, on entities annotated as Bedrock tenants.
 *
 * @public
 */
export const bedrockEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/bedrock',
    title: 'Bedrock',
    filter: isBedrockTenantEntity,
    loader: () => import('./components/BedrockTab').then(m => <m.BedrockTab />),
  },
});

/**
 * The overview card of a tenant entity.
 *
 * @public
 */
export const bedrockEntityOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isBedrockTenantEntity,
    loader: () =>
      import('./components/BedrockOverviewCard').then(m => (
        <m.BedrockOverviewCard />
      )),
  },
});

/**
 * The Group-page card.
 *
 * @public
 */
export const bedrockGroupCard = EntityCardBlueprint.make({
  name: 'group',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/BedrockGroupCard').then(m => <m.BedrockGroupCard />),
  },
});

/**
 * The admins' card of Bedrock usage no tenant owns, on Group pages (it renders nothing for anyone
 * without bedrock.binding.manage).
 *
 * @public
 */
export const bedrockUnattributedCard = EntityCardBlueprint.make({
  name: 'unattributed',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/BedrockUnattributedCard').then(m => (
        <m.BedrockUnattributedCard />
      )),
  },
});

/** The Bedrock tenancy plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'bedrock',
  extensions: [
    bedrockApi,
    bedrockEntityContent,
    bedrockEntityOverviewCard,
    bedrockGroupCard,
    bedrockUnattributedCard,
  ],
});
