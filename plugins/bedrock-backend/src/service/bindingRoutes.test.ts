import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/aws-emulator';
import request from 'supertest';
import { bindingOf } from '../__testUtils__/bindings';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseBindingStore } from '../bindings/DatabaseBindingStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';

jest.setTimeout(60_000);

const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;
const ADMIN = 'user:default/admin';
const bodyOf = (entity: object) => {
  const {
    tenantId: _t,
    source: _s,
    updatedAt: _u,
    updatedBy: _b,
    ...body
  } = bindingOf(entity);
  return body;
};

describe('binding routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const real = demoTenantEntity(checkout);
  // the entity the tenant moves to (renamed in the catalog)
  const renamed = {
    ...real,
    metadata: { ...real.metadata, name: 'checkout-assistant-v2' },
  };
  let server: any;
  let store: DatabaseBindingStore;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    store = DatabaseBindingStore.fromKnex(knex);
    server = await startBedrockBackend({
      entities: [real, renamed],
      knex,
      accountId: checkout.accountId,
      features: [
        // requests without a token come from the scaffolder plugin
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.service('plugin:scaffolder'),
        }),
        mockServices.permissions.mock({
          authorize: async (reqs, opts) =>
            reqs.map(() => ({
              result:
                (opts?.credentials.principal as any)?.userEntityRef === ADMIN
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })) as any,
        }).factory,
      ],
    });
  });

  const summary = (name: string) =>
    request(server)
      .get(`/api/bedrock/entity/component/default/${name}/summary`)
      .set('Authorization', mockCredentials.user.header(ADMIN));

  it('lets the scaffolder record a binding; the entity then verifies', async () => {
    expect((await summary('checkout-assistant')).status).toBe(409);
    const res = await request(server)
      .put('/api/bedrock/bindings/checkout-assistant')
      .send(bodyOf(real));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      source: 'provisioning',
      updatedBy: 'plugin:scaffolder',
      entityRef: 'component:default/checkout-assistant',
    });
    expect((await summary('checkout-assistant')).status).toBe(200);
  });

  it('refuses the scaffolder a move, and a user without bedrock.binding.manage anything', async () => {
    const move = await request(server)
      .put('/api/bedrock/bindings/checkout-assistant')
      .send(bodyOf(renamed));
    expect(move.status).toBe(409);
    expect(move.body.error.message).toContain('needs a Bedrock admin');
    const user = await request(server)
      .put('/api/bedrock/bindings/checkout-assistant')
      .set('Authorization', mockCredentials.user.header('user:default/mallory'))
      .send(bodyOf(renamed));
    expect(user.status).toBe(403);
    expect(user.body.error.message).toContain('bedrock.binding.manage');
    const del = await request(server)
      .delete('/api/bedrock/bindings/checkout-assistant')
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/mallory'),
      );
    expect(del.status).toBe(403);
    expect((await store.get('checkout-assistant'))?.entityRef).toBe(
      'component:default/checkout-assistant',
    );
  });

  it('lets an admin move the binding: the old entity loses the data, the new one gets it', async () => {
    const res = await request(server)
      .put('/api/bedrock/bindings/checkout-assistant')
      .set('Authorization', mockCredentials.user.header(ADMIN))
      .send(bodyOf(renamed));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'admin', updatedBy: ADMIN });
    expect((await summary('checkout-assistant')).status).toBe(409);
    expect((await summary('checkout-assistant-v2')).status).toBe(200);
  });

  it('answers 409 naming the holder when a claim is taken, and 400 for a bad body', async () => {
    const taken = await request(server)
      .put('/api/bedrock/bindings/other-tenant')
      .set('Authorization', mockCredentials.user.header(ADMIN))
      .send(bodyOf(real));
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain(
      'held by tenant checkout-assistant',
    );
    const bad = await request(server)
      .put('/api/bedrock/bindings/other-tenant')
      .set('Authorization', mockCredentials.user.header(ADMIN))
      .send({ ...bodyOf(real), accountId: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('accountId');
  });

  it('removes the binding of a deleted tenant', async () => {
    const res = await request(server).delete(
      '/api/bedrock/bindings/checkout-assistant',
    );
    expect(res.status).toBe(204);
    expect(await store.get('checkout-assistant')).toBeUndefined();
    expect((await summary('checkout-assistant-v2')).status).toBe(409);
  });
});
