/**
 * Who may change a tenant, decided where it is decided: a real binding store (SQLite), the
 * catalog's own isEntityOwner rule, and users of three teams. Each case is what another team would
 * try, or what the owners and admins must still be able to do.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { TenantChangeCheck } from '@bedrock-tenancy/plugin-bedrock-common';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { teamPolicy } from '../__testUtils__/teamPolicy';
import { DatabaseBindingStore } from './DatabaseBindingStore';
import { TenantChangeAuthorizer } from './TenantChangeAuthorizer';
import { TenantBinding } from './types';

const ADMIN = 'user:default/ada';
const DORA = 'user:default/dora'; // team-docs
const GRACE = 'user:default/grace'; // team-support
const GROUPS: Record<string, string[]> = {
  [ADMIN]: [ADMIN, 'group:default/platform'],
  [DORA]: [DORA, 'group:default/team-docs'],
  [GRACE]: [GRACE, 'group:default/team-support'],
};
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const entity = (name: string, owner: string, uid: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', uid },
  spec: { owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const binding = (patch: Partial<TenantBinding> = {}): TenantBinding => ({
  tenantId: 'docs-bot',
  entityRef: 'component:default/docs-bot',
  accountId: ACCOUNT,
  regions: [REGION],
  attribution: 'inference-profile',
  inferenceProfiles: { docsprofile1: 'amazon.nova-pro-v1:0' },
  principalArns: [],
  alarmPrefix: 'bedrock-docs-bot-',
  budgetName: 'bedrock-docs-bot',
  source: 'provisioning',
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: DORA,
  entityUid: 'uid-docs',
  entityOwner: 'group:default/team-docs',
  ...patch,
});

describe('TenantChangeAuthorizer', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: DatabaseBindingStore;
  let entities: Entity[];
  let changes: TenantChangeAuthorizer;

  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    store = DatabaseBindingStore.fromKnex(knex);
    await store.put(binding());
    entities = [
      entity('docs-bot', 'group:default/team-docs', 'uid-docs'),
      entity('support-bot', 'group:default/team-support', 'uid-support'),
    ];
    changes = TenantChangeAuthorizer.create({
      store,
      catalog: catalogServiceMock.mock({
        getEntityByRef: async (ref: any) =>
          entities.find(
            e => `component:default/${e.metadata.name}` === ref.toLowerCase(),
          ),
      }),
      ...teamPolicy(GROUPS, ADMIN),
    });
  });

  const as = (user: string) => mockCredentials.user(user);
  const ask = (user: string, tenantId: string, check: TenantChangeCheck) =>
    changes.authorize(as(user), tenantId, check);
  const stack = { accountId: ACCOUNT, regions: [REGION] };

  describe('a bound tenant', () => {
    it.each(['update', 'suspend', 'resume', 'delete', 'publish'] as const)(
      "is another team's to %s: never",
      async change => {
        await expect(
          ask(GRACE, 'docs-bot', { change, ...stack }),
        ).rejects.toThrow(
          new NotAllowedError(
            `You may not ${change} Bedrock tenant docs-bot: only the owners of the entity it is bound to and Bedrock admins may (bedrock.tenant.manage)`,
          ),
        );
      },
    );

    it("is its owners' and the admins' to change, with the recorded owner", async () => {
      expect(
        await ask(DORA, 'docs-bot', { change: 'suspend', ...stack }),
      ).toMatchObject({
        admin: false,
        bound: true,
        owner: 'group:default/team-docs',
        entity: { metadata: { uid: 'uid-docs' } },
      });
      expect(
        await ask(ADMIN, 'docs-bot', { change: 'delete', ...stack }),
      ).toMatchObject({ admin: true, bound: true });
    });

    it('answers the owner of the entity when none was recorded', async () => {
      await store.put(binding({ entityOwner: null, entityUid: null }));
      expect((await ask(DORA, 'docs-bot', { change: 'publish' })).owner).toBe(
        'group:default/team-docs',
      );
    });

    it("names a bound identity tenant's approved principals", async () => {
      await store.put(
        binding({
          attribution: 'identity',
          inferenceProfiles: {},
          principalArns: [`arn:aws:iam::${ACCOUNT}:role/workers`],
        }),
      );
      const d = await ask(DORA, 'docs-bot', { change: 'update', ...stack });
      expect(d.principalArns).toEqual([`arn:aws:iam::${ACCOUNT}:role/workers`]);
      // a profile tenant has none to name
      await store.put(binding());
      expect(
        (await ask(DORA, 'docs-bot', { change: 'update', ...stack }))
          .principalArns,
      ).toBeUndefined();
    });

    it('is not moved to another entity, account, attribution or region, and says so only to admins', async () => {
      const moves: Array<[TenantChangeCheck, string]> = [
        [
          {
            change: 'update',
            ...stack,
            entityRef: 'component:default/support-bot',
          },
          'Tenant docs-bot is bound to another entity, not to component:default/support-bot; moving a binding needs a Bedrock admin (the Adopt step of the bedrock-tenant-lifecycle template)',
        ],
        [
          { change: 'delete', accountId: '210987654321', regions: [REGION] },
          'Tenant docs-bot is bound to another AWS account, not to 210987654321',
        ],
        [
          { change: 'update', ...stack, attribution: 'account' },
          "Tenant docs-bot uses inference-profile attribution; changing it to account needs a Bedrock admin's adopt",
        ],
        [
          { change: 'suspend', accountId: ACCOUNT, regions: ['us-west-2'] },
          'Tenant docs-bot is not bound in us-west-2',
        ],
        [
          { change: 'resume', accountId: ACCOUNT, regions: ['us-west-2'] },
          'Tenant docs-bot is not bound in us-west-2',
        ],
        [
          { change: 'delete', accountId: ACCOUNT, regions: ['us-west-2'] },
          'Tenant docs-bot is not bound in us-west-2',
        ],
      ];
      for (const [check, message] of moves) {
        await expect(ask(DORA, 'docs-bot', check)).rejects.toThrow(
          new ConflictError(message),
        );
      }
      await expect(
        ask(ADMIN, 'docs-bot', {
          change: 'update',
          ...stack,
          entityRef: 'component:default/support-bot',
        }),
      ).rejects.toThrow(/bound to component:default\/docs-bot, not to/);
      await expect(
        ask(ADMIN, 'docs-bot', {
          change: 'delete',
          accountId: '210987654321',
          regions: [REGION],
        }),
      ).rejects.toThrow(/bound to account 123456789012, not to 210987654321/);
      // an update may add a region
      await expect(
        ask(DORA, 'docs-bot', {
          change: 'update',
          accountId: ACCOUNT,
          regions: [REGION, 'us-west-2'],
          entityRef: 'component:default/docs-bot',
          attribution: 'inference-profile',
        }),
      ).resolves.toMatchObject({ bound: true });
    });

    it('is changed by nobody but an admin once its entity is registered again or given another owner', async () => {
      entities[0] = entity('docs-bot', 'group:default/team-docs', 'uid-new');
      await expect(
        ask(DORA, 'docs-bot', { change: 'suspend', ...stack }),
      ).rejects.toThrow(/removed from the catalog and registered again/);
      entities[0] = entity(
        'docs-bot',
        'group:default/team-support',
        'uid-docs',
      );
      await expect(
        ask(GRACE, 'docs-bot', { change: 'suspend', ...stack }),
      ).rejects.toThrow(/its owner is not the one recorded/);
      await expect(
        ask(ADMIN, 'docs-bot', { change: 'suspend', ...stack }),
      ).resolves.toMatchObject({ admin: true });
    });

    it('is changed by a member of its recorded owner before its entity is in the catalog, by nobody else', async () => {
      entities.splice(0, 1);
      await store.put(binding({ entityUid: null }));
      await expect(
        ask(DORA, 'docs-bot', { change: 'publish' }),
      ).resolves.toMatchObject({ owner: 'group:default/team-docs' });
      await expect(
        ask(GRACE, 'docs-bot', { change: 'publish' }),
      ).rejects.toThrow(NotAllowedError);
      // once seen, a missing entity is gone: only an admin
      await store.put(binding({ entityUid: 'uid-docs' }));
      await expect(
        ask(DORA, 'docs-bot', { change: 'publish' }),
      ).rejects.toThrow(NotAllowedError);
      await store.put(binding({ entityUid: null, entityOwner: null }));
      await expect(
        ask(DORA, 'docs-bot', { change: 'publish' }),
      ).rejects.toThrow(NotAllowedError);
    });
  });

  describe('an unbound tenant', () => {
    const create = {
      change: 'create' as const,
      ...stack,
      entityRef: 'component:default/new-bot',
      owner: 'group:default/team-support',
    };

    it('is created by a member of the owner named, for an entity not yet in the catalog', async () => {
      expect(await ask(GRACE, 'new-bot', create)).toEqual({
        admin: false,
        bound: false,
        entity: undefined,
        owner: 'group:default/team-support',
      });
      await expect(
        ask(GRACE, 'new-bot', { ...create, owner: 'group:default/team-docs' }),
      ).rejects.toThrow(
        new NotAllowedError(
          'You may not create Bedrock tenant new-bot: you are not a member of group:default/team-docs, its owner',
        ),
      );
      await expect(
        ask(GRACE, 'new-bot', { ...create, owner: undefined }),
      ).rejects.toThrow(/needs the entity and owner to bind/);
      await expect(
        ask(GRACE, 'new-bot', { ...create, entityRef: undefined }),
      ).rejects.toThrow(/needs the entity and owner to bind/);
    });

    it("is never bound to another team's existing entity, even naming its owner", async () => {
      const onDocs = {
        ...create,
        entityRef: 'component:default/docs-bot',
      };
      await expect(ask(GRACE, 'new-bot', onDocs)).rejects.toThrow(
        /exists and is not yours to bind/,
      );
      // the entity's owner, when none is named: dora's
      expect(
        await ask(DORA, 'new-bot', { ...onDocs, owner: undefined }),
      ).toMatchObject({ owner: 'group:default/team-docs', bound: false });
      // an entity without an owner is nobody's to bind
      entities[0] = { ...entities[0], spec: {} };
      await expect(
        ask(DORA, 'new-bot', { ...onDocs, owner: 'group:default/team-docs' }),
      ).rejects.toThrow(/exists and is not yours to bind/);
    });

    it('is updated, suspended or deleted by an admin only', async () => {
      for (const change of ['update', 'suspend', 'resume', 'delete'] as const) {
        await expect(
          ask(GRACE, 'new-bot', { change, ...stack }),
        ).rejects.toThrow(
          /no binding records it; a Bedrock admin adopts it first/,
        );
        await expect(
          ask(ADMIN, 'new-bot', { change, ...stack }),
        ).resolves.toMatchObject({ admin: true, bound: false });
      }
    });

    it("cannot claim another tenant's profile, role or account-region, and only an admin learns whose", async () => {
      const claims = {
        accountId: ACCOUNT,
        regions: [REGION],
        attribution: 'inference-profile' as const,
        inferenceProfiles: { docsprofile1: 'amazon.nova-pro-v1:0' },
        principalArns: [],
      };
      await expect(
        changes.authorize(as(GRACE), 'new-bot', create, claims),
      ).rejects.toThrow(
        new ConflictError(
          'Cannot bind tenant new-bot: profile docsprofile1 belongs to another tenant',
        ),
      );
      await expect(
        changes.authorize(as(ADMIN), 'new-bot', create, claims),
      ).rejects.toThrow(
        /belongs to another tenant \(docs-bot, component:default\/docs-bot\)/,
      );
      // whole-account attribution of an account-region another tenant uses
      await expect(
        changes.authorize(as(ADMIN), 'new-bot', create, {
          ...claims,
          attribution: 'account',
          inferenceProfiles: {},
        }),
      ).rejects.toThrow(ConflictError);
      // its own claims are its own: the bound tenant updating keeps its profile
      await expect(
        changes.authorize(
          as(DORA),
          'docs-bot',
          { change: 'update', ...stack },
          claims,
        ),
      ).resolves.toMatchObject({ bound: true });
      // a free profile in a shared account-region is fine
      await expect(
        changes.authorize(as(GRACE), 'new-bot', create, {
          ...claims,
          inferenceProfiles: { newprofile1: 'amazon.nova-pro-v1:0' },
        }),
      ).resolves.toMatchObject({ bound: false });
    });
  });
});
