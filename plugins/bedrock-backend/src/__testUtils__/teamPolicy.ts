/* TEST-ONLY: the demo portal's policy for users of a few teams, as service mocks. */
import { mockServices } from '@backstage/backend-test-utils';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

const userOf = (o: any): string => o?.credentials?.principal?.userEntityRef;
/** basic permissions the portal's policy allows every signed-in user */
const EVERYONE = ['bedrock.budget-increase.request'];

/**
 * `groups`: user ref -> its ownership refs. `admin` may everything (every basic permission, e.g.
 * bedrock.binding.manage); everyone else is decided per entity by the catalog's isEntityOwner, and
 * may ask for budget increases (the basic permission the portal allows everyone).
 */
export function teamPolicy(groups: Record<string, string[]>, admin: string) {
  return {
    userInfo: mockServices.userInfo.mock({
      getUserInfo: async (credentials: any) => ({
        userEntityRef: credentials.principal.userEntityRef,
        ownershipEntityRefs: groups[credentials.principal.userEntityRef] ?? [],
      }),
    }),
    permissions: mockServices.permissions.mock({
      authorize: async (reqs, o) =>
        reqs.map(r => ({
          result:
            userOf(o) === admin || EVERYONE.includes(r.permission.name)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })) as any,
      authorizeConditional: async (reqs, o) =>
        reqs.map(() =>
          userOf(o) === admin
            ? { result: AuthorizeResult.ALLOW }
            : {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: catalogConditions.isEntityOwner({
                  claims: groups[userOf(o)] ?? [],
                }),
              },
        ) as any,
    }),
  };
}
