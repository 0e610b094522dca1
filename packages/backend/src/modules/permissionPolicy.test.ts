import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  bedrockTenantManagePermission,
  bedrockUsageReadPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { PortalPermissionPolicy } from './permissionPolicy';

const ADMIN_GROUP = 'group:default/platform';
const catalogEntityDelete = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

const policyFor = (ownership: string[]) =>
  new PortalPermissionPolicy(
    [ADMIN_GROUP],
    mockServices.userInfo({ ownershipEntityRefs: ownership }),
  );
const user = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [] },
});

describe('PortalPermissionPolicy', () => {
  it('lets a non-admin delete only the entities his groups own', async () => {
    const decision = await policyFor([
      'user:default/grace',
      'group:default/team-support',
    ]).handle({ permission: catalogEntityDelete }, user('user:default/grace'));
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: ['user:default/grace', 'group:default/team-support'],
        },
      },
    });
  });

  it('keeps bedrock.binding.manage for the admin groups', async () => {
    const member = await policyFor(['group:default/team-support']).handle(
      { permission: bedrockBindingManagePermission },
      user('user:default/grace'),
    );
    expect(member.result).toBe(AuthorizeResult.DENY);
    const admin = await policyFor([ADMIN_GROUP]).handle(
      { permission: bedrockBindingManagePermission },
      user('user:default/guest'),
    );
    expect(admin.result).toBe(AuthorizeResult.ALLOW);
  });

  it('lets admins delete anything and read every tenant', async () => {
    const policy = policyFor([ADMIN_GROUP]);
    for (const permission of [
      catalogEntityDelete,
      bedrockUsageReadPermission,
    ]) {
      const d = await policy.handle({ permission }, user('user:default/guest'));
      expect(d.result).toBe(AuthorizeResult.ALLOW);
    }
  });

  it('lets a member change only the tenants his groups own', async () => {
    const decision = await policyFor([
      'user:default/grace',
      'group:default/team-support',
    ]).handle(
      { permission: bedrockTenantManagePermission },
      user('user:default/grace'),
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: ['user:default/grace', 'group:default/team-support'],
        },
      },
    });
    const admin = await policyFor([ADMIN_GROUP]).handle(
      { permission: bedrockTenantManagePermission },
      user('user:default/guest'),
    );
    expect(admin.result).toBe(AuthorizeResult.ALLOW);
  });

  it("shows a member only the scaffolder tasks he started (a task log holds a tenant's e-mails and budget)", async () => {
    const taskRead = createPermission({
      name: 'scaffolder.task.read',
      attributes: { action: 'read' },
      resourceType: 'scaffolder-task',
    });
    const member = await policyFor(['group:default/team-support']).handle(
      { permission: taskRead },
      user('user:default/grace'),
    );
    expect(member).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        params: { createdBy: ['user:default/grace'] },
      },
    });
    const admin = await policyFor([ADMIN_GROUP]).handle(
      { permission: taskRead },
      user('user:default/guest'),
    );
    expect(admin.result).toBe(AuthorizeResult.ALLOW);
  });
});
