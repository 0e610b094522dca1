import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { isBedrockTenantEntity } from '@bedrock-tenancy/plugin-bedrock-common';
import { BedrockClient, bedrockApiRef } from './api';

export const rootRouteRef = createRouteRef({ id: 'bedrock' });

/**
 * The Bedrock tenancy frontend plugin, for apps on the legacy frontend system.
 *
 * @public
 */
export const bedrockPlugin = createPlugin({
  id: 'bedrock',
  apis: [
    createApiFactory({
      api: bedrockApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        BedrockClient.create({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * True when the entity is a Bedrock tenant: use it as the `if` of the tab and the card.
 *
 * @public
 */
export const isBedrockAvailable = (entity: Entity) =>
  isBedrockTenantEntity(entity);

/**
 * The Bedrock tab, for `<EntityLayout.Route path="/bedrock" title="Bedrock">`.
 *
 * @public
 */
export const EntityBedrockContent = bedrockPlugin.provide(
  createRoutableExtension({
    name: 'EntityBedrockContent',
    component: () => import('./components/BedrockTab').then(m => m.BedrockTab),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The overview card of a tenant entity.
 *
 * @public
 */
export const EntityBedrockOverviewCard = bedrockPlugin.provide(
  createComponentExtension({
    name: 'EntityBedrockOverviewCard',
    component: {
      lazy: () =>
        import('./components/BedrockOverviewCard').then(
          m => m.BedrockOverviewCard,
        ),
    },
  }),
);

/**
 * The Group-page card: totals and tenants of everything the group owns.
 *
 * @public
 */
export const EntityBedrockGroupCard = bedrockPlugin.provide(
  createComponentExtension({
    name: 'EntityBedrockGroupCard',
    component: {
      lazy: () =>
        import('./components/BedrockGroupCard').then(m => m.BedrockGroupCard),
    },
  }),
);

/**
 * A card for Bedrock admins (bedrock.binding.manage; nothing for anyone else): per AWS account
 * and region, the month's Bedrock usage no tenant owns. Put it on a Group page, e.g. the
 * organization's.
 *
 * @public
 */
export const EntityBedrockUnattributedCard = bedrockPlugin.provide(
  createComponentExtension({
    name: 'EntityBedrockUnattributedCard',
    component: {
      lazy: () =>
        import('./components/BedrockUnattributedCard').then(
          m => m.BedrockUnattributedCard,
        ),
    },
  }),
);
