/*
 * TEST-ONLY: light stand-ins for the catalog, permissions and credentials. Loading
 * @backstage/backend-test-utils takes about 15 s, which mutation testing (scripts/mutation.sh)
 * would pay for every mutant; these load in a fraction of that.
 */
import type {
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

/** A permissions service that decides with `authorize`. */
export const permissionsWith = (
  authorize: (...args: any[]) => Promise<any>,
): PermissionsService => ({
  authorize,
  // no conditional answer: every decision goes through `authorize`
  authorizeConditional: async () => [],
});
