/**
 * The binding routes as another team would try them: a binding changes only on behalf of the
 * tenant's owners (through the scaffolder) or of a Bedrock admin, and names an entity, not a ref.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/demo';
import request from 'supertest';
import { bindingOf } from '../__testUtils__/bindings';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { teamPolicy } from '../__testUtils__/teamPolicy';
import { DatabaseBindingStore } from '../bindings/DatabaseBindingStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { sameRef } from '../bindings/verify';

jest.setTimeout(60_000);

const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;
const ADMIN = 'user:default/admin';
const CAROL = 'user:default/carol'; // team-checkout: the tenant's owners
const MALLORY = 'user:default/mallory'; // team-support: another team
const GROUPS: Record<string, string[]> = {
  [ADMIN]: ['group:default/platform'],
  [CAROL]: ['group:default/team-checkout'],
  [MALLORY]: ['group:default/team-support'],
};

/** A catalog entity as the catalog serves it: with a uid and its ownedBy relation. */
function served(entity: any, uid: string, owner = entity.spec.owner): Entity {
  return {
    ...entity,
    metadata: { ...entity.metadata, namespace: 'default', uid },
    spec: { ...entity.spec, owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

/** The body the scaffolder sends for an entity's tenant. */
const bodyOf = (entity: object, patch: object = {}) => {
  const {
    tenantId: _t,
    source: _s,
    updatedAt: _u,
    updatedBy: _b,
    ...body
  } = bindingOf(entity);
  return { ...body, ...patch };
};

/** A user's token as the scaffolder presents it on the user's behalf. */
const viaScaffolder = (user: string) =>
  `Bearer ${mockCredentials.user.token(user, {
    actor: { subject: 'plugin:scaffolder' },
  })}`;
const direct = (user: string) => mockCredentials.user.header(user);

describe('binding routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const real = served(demoTenantEntity(checkout), 'uid-checkout-1');
  // the entity the tenant moves to (renamed in the catalog)
  const renamed = served(
    {
      ...demoTenantEntity(checkout),
      metadata: {
        ...demoTenantEntity(checkout).metadata,
        name: 'checkout-assistant-v2',
      },
    },
    'uid-checkout-v2',
  );
  const entities: Entity[] = [real, renamed];
  let server: any;
  let store: DatabaseBindingStore;
  let knex: any;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    store = DatabaseBindingStore.fromKnex(knex);
    const policy = teamPolicy(GROUPS, ADMIN);
    server = await startBedrockBackend({
      entities,
      // what `entities` holds now: the tests register entities again
      catalog: catalogServiceMock.mock({
        getEntityByRef: async (ref: any) =>
          entities.find(e => sameRef(stringifyEntityRef(e), ref)),
      }).factory,
      // every request reads the catalog again
      config: {
        bedrock: {
          aws: { endpoint: 'http://127.0.0.1:9' },
          collector: { enabled: false },
          permissions: { decisionCacheSeconds: 0 },
        },
      },
      knex,
      accountId: checkout.accountId,
      features: [
        // the demo policy: admins may everything; owners their entities (isEntityOwner)
        policy.userInfo.factory,
        policy.permissions.factory,
      ],
    });
  });

  const summary = (name: string) =>
    request(server)
      .get(`/api/bedrock/entity/component/default/${name}/summary`)
      .set('Authorization', direct(ADMIN));
  const put = (tenantId: string, auth: string, body: object) =>
    request(server)
      .put(`/api/bedrock/bindings/${tenantId}`)
      .set('Authorization', auth)
      .send(body);
  const check = (tenantId: string, auth: string, body: object) =>
    request(server)
      .post(`/api/bedrock/bindings/${tenantId}/check`)
      .set('Authorization', auth)
      .send(body);
  const stack = {
    accountId: checkout.accountId,
    regions: [checkout.region],
  };

  it('records nothing for a service token with no person behind it, the scaffolder included', async () => {
    const res = await put(
      'checkout-assistant',
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:scaffolder'),
        targetPluginId: 'bedrock',
      }),
      bodyOf(real),
    );
    expect(res.status).toBe(403);
    expect(await store.get('checkout-assistant')).toBeUndefined();
  });

  it("refuses another team the first binding of a tenant on the owners' entity", async () => {
    const res = await put(
      'checkout-assistant',
      viaScaffolder(MALLORY),
      bodyOf(real, { owner: 'group:default/team-support' }),
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('not yours to bind');
    const named = await put(
      'checkout-assistant',
      viaScaffolder(MALLORY),
      bodyOf(real, { owner: 'group:default/team-checkout' }),
    );
    expect(named.status).toBe(403);
    expect(named.body.error.message).toContain('not a member of');
    expect(await store.get('checkout-assistant')).toBeUndefined();
  });

  it('lets the owners bind their tenant through the scaffolder; the entity then verifies', async () => {
    expect((await summary('checkout-assistant')).status).toBe(409);
    const res = await put(
      'checkout-assistant',
      viaScaffolder(CAROL),
      bodyOf(real),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      source: 'provisioning',
      updatedBy: CAROL,
      entityRef: 'component:default/checkout-assistant',
      owner: 'group:default/team-checkout',
    });
    expect(await store.get('checkout-assistant')).toMatchObject({
      entityUid: 'uid-checkout-1',
      entityOwner: 'group:default/team-checkout',
    });
    expect((await summary('checkout-assistant')).status).toBe(200);
  });

  it('refuses another team every change of a bound tenant, checked or written, and keeps the binding as it was', async () => {
    const before = await store.get('checkout-assistant');
    for (const change of ['update', 'suspend', 'resume', 'delete']) {
      const res = await check('checkout-assistant', viaScaffolder(MALLORY), {
        change,
        ...stack,
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('bedrock.tenant.manage');
    }
    // a look-alike entity of her own does not make the tenant hers
    const update = await put(
      'checkout-assistant',
      viaScaffolder(MALLORY),
      bodyOf(real, { budgetEnforcement: null }),
    );
    expect(update.status).toBe(403);
    const del = await request(server)
      .delete('/api/bedrock/bindings/checkout-assistant')
      .query({ accountId: stack.accountId, region: checkout.region })
      .set('Authorization', viaScaffolder(MALLORY));
    expect(del.status).toBe(403);
    const admin = await put(
      'checkout-assistant',
      direct(MALLORY),
      bodyOf(renamed),
    );
    expect(admin.status).toBe(403);
    expect(admin.body.error.message).toContain('bedrock.binding.manage');
    expect(await store.get('checkout-assistant')).toEqual(before);
  });

  it('lets the owners change their tenant, never move it to another entity or account', async () => {
    expect(
      (
        await check('checkout-assistant', viaScaffolder(CAROL), {
          change: 'suspend',
          ...stack,
        })
      ).body,
    ).toEqual({
      admin: false,
      bound: true,
      owner: 'group:default/team-checkout',
    });
    const move = await put(
      'checkout-assistant',
      viaScaffolder(CAROL),
      bodyOf(renamed),
    );
    expect(move.status).toBe(409);
    expect(move.body.error.message).toContain('needs a Bedrock admin');
    const account = await check('checkout-assistant', viaScaffolder(CAROL), {
      change: 'delete',
      accountId: '210987654321',
      regions: [checkout.region],
    });
    expect(account.status).toBe(409);
  });

  it("does not name another team's entity in a refusal, and claims stay exclusive", async () => {
    // mallory's own new tenant claiming checkout-assistant's inference profile
    const res = await put(
      'mallory-bot',
      viaScaffolder(MALLORY),
      bodyOf(real, {
        entityRef: 'component:default/mallory-bot',
        owner: 'group:default/team-support',
      }),
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('belongs to another tenant');
    expect(res.body.error.message).not.toContain('checkout');
    expect(await store.get('mallory-bot')).toBeUndefined();
    // the same for an admin names the holder
    const admin = await check('mallory-bot', viaScaffolder(ADMIN), {
      change: 'update',
      ...stack,
    });
    expect(admin.status).toBe(200);
  });

  it('makes an entity removed and registered again under the same ref unverified until an admin adopts it', async () => {
    // team-support registers component:default/checkout-assistant after it was removed
    entities[0] = served(
      demoTenantEntity(checkout),
      'uid-impostor',
      'team-support',
    );
    const seen = await summary('checkout-assistant');
    expect(seen.status).toBe(409);
    expect(seen.body.error.message).toContain('registered again');
    const mallory = await check('checkout-assistant', viaScaffolder(MALLORY), {
      change: 'suspend',
      ...stack,
    });
    expect(mallory.status).toBe(403);
    // the same owners registering it again: still another entity, until an admin says so
    entities[0] = served(demoTenantEntity(checkout), 'uid-checkout-2');
    expect((await summary('checkout-assistant')).status).toBe(409);
    const adopt = await put('checkout-assistant', direct(ADMIN), bodyOf(real));
    expect(adopt.status).toBe(200);
    expect(adopt.body).toMatchObject({ source: 'admin', updatedBy: ADMIN });
    expect((await summary('checkout-assistant')).status).toBe(200);
  });

  it('lets an admin move the binding: the old entity loses the data, the new one gets it', async () => {
    const res = await put('checkout-assistant', direct(ADMIN), bodyOf(renamed));
    expect(res.status).toBe(200);
    expect((await summary('checkout-assistant')).status).toBe(409);
    expect((await summary('checkout-assistant-v2')).status).toBe(200);
  });

  it('answers 400 for a bad body', async () => {
    const bad = await put('other-tenant', direct(ADMIN), {
      ...bodyOf(real),
      accountId: '12',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('accountId');
  });

  it("keeps an admin's binding when the owners delete the stack; an admin removes it with the tenant's history", async () => {
    const del = await request(server)
      .delete('/api/bedrock/bindings/checkout-assistant')
      .query({ accountId: stack.accountId, region: checkout.region })
      .set('Authorization', viaScaffolder(CAROL));
    // carol owns the v2 entity too (same owner)
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ removed: false });
    expect(await store.get('checkout-assistant')).toBeDefined();

    await knex('bedrock_tenant_state').insert({
      tenant_id: 'checkout-assistant',
      watermark: '2026-12-01T00:00:00.000Z',
    });
    await knex('bedrock_snapshots').insert({
      kind: 'budget',
      key: 'checkout-assistant',
      payload: '{}',
      fetched_at: '2026-12-01T00:00:00.000Z',
    });
    const admin = await request(server)
      .delete('/api/bedrock/bindings/checkout-assistant')
      .set('Authorization', direct(ADMIN));
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ removed: true });
    expect(await store.get('checkout-assistant')).toBeUndefined();
    expect(
      await knex('bedrock_tenant_state').where({
        tenant_id: 'checkout-assistant',
      }),
    ).toEqual([]);
    expect(
      await knex('bedrock_snapshots').where({ key: 'checkout-assistant' }),
    ).toEqual([]);
    expect((await summary('checkout-assistant-v2')).status).toBe(409);
  });
});
