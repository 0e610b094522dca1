import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { DatabaseBindingStore } from './DatabaseBindingStore';
import { TenantBinding } from './types';

jest.setTimeout(60_000);

const binding = (over: Partial<TenantBinding>): TenantBinding => ({
  tenantId: 'checkout-assistant',
  entityRef: 'component:default/checkout-assistant',
  accountId: '123456789012',
  regions: ['us-east-1'],
  attribution: 'inference-profile',
  inferenceProfiles: { abc123: 'amazon.nova-pro-v1:0' },
  principalArns: [],
  alarmPrefix: 'bedrock-checkout-assistant-',
  budgetName: 'bedrock-checkout-assistant',
  source: 'provisioning',
  updatedAt: '2026-11-30T00:00:00.000Z',
  updatedBy: 'plugin:scaffolder',
  ...over,
});

describe('DatabaseBindingStore', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
  });

  async function storeOn(id: TestDatabaseId) {
    const knex = await databases.init(id);
    await DatabaseUsageStore.migrate(knex);
    return DatabaseBindingStore.fromKnex(knex);
  }

  it.each(databases.eachSupportedId())(
    'writes, reads, moves and deletes a binding with its claims (%p)',
    async id => {
      const store = await storeOn(id);
      expect(await store.put(binding({}))).toBe('written');
      expect(await store.get('checkout-assistant')).toEqual({
        ...binding({}),
        budgetEnforcement: null,
        entityUid: null,
        entityOwner: null,
      });
      await store.put(
        binding({ entityRef: 'component:default/renamed', source: 'admin' }),
      );
      expect((await store.get('checkout-assistant'))?.entityRef).toBe(
        'component:default/renamed',
      );
      expect(
        await store.findHolders({
          claims: [{ kind: 'profile', value: 'abc123' }],
          accountRegions: [],
        }),
      ).toEqual([
        {
          kind: 'profile',
          value: 'abc123',
          tenantId: 'checkout-assistant',
          entityRef: 'component:default/renamed',
          exclusive: true,
        },
      ]);
      expect(await store.delete('checkout-assistant')).toBe(true);
      expect(await store.get('checkout-assistant')).toBeUndefined();
      expect(
        await store.findHolders({
          claims: [{ kind: 'profile', value: 'abc123' }],
          accountRegions: [],
        }),
      ).toEqual([]);
      expect(await store.delete('checkout-assistant')).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    "pins the bound entity once, and unbinding empties the tenant's history, nobody else's (%p)",
    async id => {
      const knex = await databases.init(id);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseBindingStore.fromKnex(knex);
      await store.put(binding({}));
      const entity = {
        entityRef: 'component:default/checkout-assistant',
        uid: 'uid-1',
        owner: 'group:default/team-checkout',
      };
      await store.pinEntity('checkout-assistant', entity);
      // pinned once: a later entity under the same ref does not replace it
      await store.pinEntity('checkout-assistant', { ...entity, uid: 'uid-2' });
      expect(await store.get('checkout-assistant')).toMatchObject({
        entityUid: 'uid-1',
        entityOwner: 'group:default/team-checkout',
      });
      // a write that says nothing of the entity keeps what was pinned
      await store.put(binding({ regions: ['us-east-1', 'us-west-2'] }));
      expect(await store.get('checkout-assistant')).toMatchObject({
        entityUid: 'uid-1',
      });

      const row = (tenantId: string) => ({ tenant_id: tenantId });
      for (const tenantId of ['checkout-assistant', 'checkout']) {
        await knex('bedrock_tenant_state').insert(row(tenantId));
        await knex('bedrock_notifications_sent').insert({
          ...row(tenantId),
          event_key: `${tenantId}|alarm:x|1`,
          subject: 'alarm:x',
          seq: 1,
          state: 'ALARM',
          entity_ref: `component:default/${tenantId}`,
          notified: true,
          recorded_at: '2026-12-01T00:00:00.000Z',
        });
        await knex('bedrock_snapshots').insert([
          { kind: 'alarms', key: tenantId, fetched_at: 'x' },
          { kind: 'guardrail', key: `${tenantId}/us-east-1`, fetched_at: 'x' },
        ]);
      }
      // an account-region's snapshot whose key starts like a tenant id
      await knex('bedrock_snapshots').insert({
        kind: 'governance',
        key: 'checkout-assistant/us-east-1',
        fetched_at: 'x',
      });
      await store.delete('checkout-assistant');
      const left = async (table: string, column: string) =>
        (await knex(table).select(column)).map((r: any) => r[column]).sort();
      expect(await left('bedrock_tenant_state', 'tenant_id')).toEqual([
        'checkout',
      ]);
      expect(await left('bedrock_notifications_sent', 'tenant_id')).toEqual([
        'checkout',
      ]);
      expect(await left('bedrock_snapshots', 'key')).toEqual([
        'checkout',
        'checkout-assistant/us-east-1',
        'checkout/us-east-1',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a second holder of a profile, a role or an account-region (%p)',
    async id => {
      const store = await storeOn(id);
      await store.put(binding({}));
      await store.put(
        binding({
          tenantId: 'data-labeling',
          entityRef: 'component:default/data-labeling',
          attribution: 'identity',
          inferenceProfiles: {},
          principalArns: ['arn:aws:iam::123456789012:role/workers'],
        }),
      );
      await store.put(
        binding({
          tenantId: 'risk-explainer',
          entityRef: 'component:default/risk-explainer',
          accountId: '210987654321',
          attribution: 'account',
          inferenceProfiles: {},
        }),
      );
      const copies = [
        binding({ tenantId: 'impostor', entityRef: 'component:default/x' }),
        binding({
          tenantId: 'impostor',
          entityRef: 'component:default/x',
          attribution: 'identity',
          inferenceProfiles: {},
          principalArns: ['arn:aws:iam::123456789012:role/workers'],
        }),
        binding({
          tenantId: 'impostor',
          entityRef: 'component:default/x',
          accountId: '210987654321',
          attribution: 'account',
          inferenceProfiles: {},
        }),
        // a profile tenant inside an account-region held in account mode
        binding({
          tenantId: 'impostor',
          entityRef: 'component:default/x',
          accountId: '210987654321',
          inferenceProfiles: { other1: 'amazon.nova-pro-v1:0' },
        }),
        // account mode over an account-region that profile tenants use
        binding({
          tenantId: 'impostor',
          entityRef: 'component:default/x',
          attribution: 'account',
          inferenceProfiles: {},
        }),
      ];
      for (const copy of copies) {
        await expect(store.put(copy)).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(
            /is held by tenant [a-z-]+ \(component:default\//,
          ),
        });
      }
      expect((await store.list()).map(b => b.tenantId)).toEqual([
        'checkout-assistant',
        'data-labeling',
        'risk-explainer',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a config or admin binding when asked (%p)',
    async id => {
      const store = await storeOn(id);
      await store.put(binding({ source: 'config', updatedBy: 'config' }));
      expect(
        await store.put(
          binding({ entityRef: 'component:default/other', source: 'aws-tags' }),
          { unlessSource: ['config', 'admin'] },
        ),
      ).toBe('kept');
      expect((await store.get('checkout-assistant'))?.source).toBe('config');
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the budget-enforcement opt-in through a write that does not say, removes it on null (%p)',
    async id => {
      const store = await storeOn(id);
      const optIn = {
        action: 'suspend' as const,
        basis: 'actual' as const,
        autoResume: true,
      };
      await store.put(binding({ budgetEnforcement: optIn }));
      expect(
        (await store.get('checkout-assistant'))?.budgetEnforcement,
      ).toEqual(optIn);
      // the hourly tag sync rebuilds the binding from AWS tags, which carry no opt-in
      await store.put(binding({ source: 'aws-tags', updatedBy: 'aws-tags' }));
      const synced = await store.get('checkout-assistant');
      expect(synced?.source).toBe('aws-tags');
      expect(synced?.budgetEnforcement).toEqual(optIn);
      await store.put(binding({ budgetEnforcement: null }));
      expect(
        (await store.get('checkout-assistant'))?.budgetEnforcement,
      ).toBeNull();
    },
  );
});
