import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  bedrockBindingManagePermission,
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** catalogEntityDeletePermission of @backstage/plugin-catalog-common, by its stable name. */
const CATALOG_ENTITY_DELETE = 'catalog.entity.delete';

/**
 * The portal's permission policy, the one adopters copy. Catalog reads are open to every signed-in
 * user, but only an entity's owners (and the admin groups, `portal.bedrockAdminGroups`) may delete
 * or unregister it. Bedrock usage and cost are visible to the owners of an entity and to the admin
 * groups, and to nobody else. Recording tenant bindings (which entity a tenant's spend belongs to)
 * is for the admin groups only.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly adminGroups: string[],
    private readonly userInfo: UserInfoService,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const bedrock =
      isPermission(request.permission, bedrockUsageReadPermission) ||
      isPermission(request.permission, bedrockUsageRefreshPermission);
    const deletion = request.permission.name === CATALOG_ENTITY_DELETE;
    const binding = isPermission(
      request.permission,
      bedrockBindingManagePermission,
    );
    if (!bedrock && !deletion && !binding) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (claims.some(ref => this.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (binding) return { result: AuthorizeResult.DENY };
    return createCatalogConditionalDecision(
      request.permission as typeof bedrockUsageReadPermission,
      catalogConditions.isEntityOwner({ claims }),
    );
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        const admins =
          config.getOptionalStringArray('portal.bedrockAdminGroups') ?? [];
        policy.setPolicy(new PortalPermissionPolicy(admins, userInfo));
      },
    });
  },
});
