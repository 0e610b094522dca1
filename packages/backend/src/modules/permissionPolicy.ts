import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
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
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  bedrockBindingManagePermission,
  bedrockTenantManagePermission,
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** catalogEntityDeletePermission of @backstage/plugin-catalog-common, by its stable name. */
const CATALOG_ENTITY_DELETE = 'catalog.entity.delete';
/** The scaffolder's task permissions (@backstage/plugin-scaffolder-common), by name. */
const SCAFFOLDER_TASK = ['scaffolder.task.read', 'scaffolder.task.cancel'];

/** Decided per entity: the entity's owners and the admin groups. */
const OWNER_PERMISSIONS = [
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
  bedrockTenantManagePermission,
];

/**
 * The portal's permission policy, the one adopters copy. Catalog reads are open to every signed-in
 * user, but only an entity's owners (and the admin groups, `portal.bedrockAdminGroups`) may delete
 * or unregister it. Bedrock usage and cost are visible to the owners of an entity and to the admin
 * groups, and to nobody else; a tenant is changed (updated, suspended, resumed, deleted) by the
 * owners of the entity it is bound to and by the admin groups. Tenant bindings and everything
 * else reserved for Bedrock admins (`bedrock.binding.manage`) are for the admin groups only. A
 * scaffolder task (its log, with a tenant's e-mails, budget and ARNs) is read or cancelled by the
 * person who started it and by the admin groups.
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
    const { permission } = request;
    const owned = OWNER_PERMISSIONS.some(p => isPermission(permission, p));
    const deletion = permission.name === CATALOG_ENTITY_DELETE;
    const task = SCAFFOLDER_TASK.includes(permission.name);
    const adminOnly = isPermission(permission, bedrockBindingManagePermission);
    if (!owned && !deletion && !task && !adminOnly) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (claims.some(ref => this.adminGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (adminOnly) return { result: AuthorizeResult.DENY };
    if (task) {
      return createScaffolderTaskConditionalDecision(
        permission as ResourcePermission<'scaffolder-task'>,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }
    return createCatalogConditionalDecision(
      permission as ResourcePermission<'catalog-entity'>,
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
