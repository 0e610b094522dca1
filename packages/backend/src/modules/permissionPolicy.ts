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
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * The portal's permission policy. Catalog access is open to every signed-in user; Bedrock usage
 * and cost are visible to the owners of an entity and to the configured admin groups
 * (`portal.bedrockAdminGroups`), and to nobody else.
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
    if (!bedrock) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (claims.some(ref => this.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
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
