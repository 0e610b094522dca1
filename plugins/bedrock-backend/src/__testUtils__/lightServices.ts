/*
 * TEST-ONLY: light stand-ins for the catalog, permissions and credentials. Loading
 * @backstage/backend-test-utils takes about 15 s, which mutation testing (scripts/mutation.sh)
 * would pay for every mutant; these load in a fraction of that.
 */
import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** A user's credentials, as the auth service would give them. */
export const userCredentials = (
  userEntityRef = 'user:default/mock',
): BackstageCredentials =>
  ({
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef },
  } as BackstageCredentials);

/** The catalog as these entities, filtered as the real catalog does. */
export const catalogWith = (entities: object[]): CatalogService =>
  new InMemoryCatalogClient({
    entities: entities as Entity[],
  }) as unknown as CatalogService;

/** The plugin's own credentials, as the auth service would give them. */
export const serviceCredentials = (): BackstageCredentials =>
  ({
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject: 'plugin:bedrock' },
  } as BackstageCredentials);

/** An auth service that only gives the plugin its own credentials. */
export const serviceAuth = (): AuthService =>
  ({
    getOwnServiceCredentials: async () => serviceCredentials(),
  } as unknown as AuthService);

/**
 * A permissions service that decides with `authorize`; the catalog's read permission is allowed
 * to everyone (a catalog without read restrictions) unless `catalogRead` is given, which then
 * decides it per entity through `authorize` too.
 */
export const permissionsWith = (
  authorize: (...args: any[]) => Promise<any>,
  options: { catalogRead?: 'authorize' } = {},
): PermissionsService =>
  ({
    authorize,
    // no conditional answer: every decision goes through `authorize`
    authorizeConditional: async (requests: any[]) =>
      options.catalogRead ||
      requests[0]?.permission.name !== 'catalog.entity.read'
        ? []
        : [{ result: 'ALLOW' }],
  } as PermissionsService);
