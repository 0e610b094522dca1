import path from 'node:path';
import { lightDatabases } from '../__testUtils__/lightDatabases';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { emptyUsageRow } from './types';

jest.setTimeout(60_000);

const MIGRATIONS = {
  directory: path.resolve(__dirname, '../../migrations'),
  tableName: 'bedrock_knex_migrations',
};

describe('DatabaseUsageStore watermarks per tenant, account and region', () => {
  const databases = lightDatabases();

  it.each(databases.eachSupportedId())(
    'carries what was collected before into every region of the binding, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // the schema before per-region watermarks
      while (
        !(await knex.schema.hasTable('bedrock_tenant_bindings')) ||
        !(await knex.schema.hasTable('bedrock_notifications_sent'))
      ) {
        await knex.migrate.up(MIGRATIONS);
      }
      expect(await knex.schema.hasTable('bedrock_usage_watermarks')).toBe(
        false,
      );
      await knex('bedrock_tenant_bindings').insert({
        tenant_id: 'alpha',
        entity_ref: 'component:default/alpha',
        account_id: '111111111111',
        regions: JSON.stringify(['us-east-1', 'eu-west-1']),
        attribution: 'account',
        inference_profiles: '{}',
        principal_arns: '[]',
        alarm_prefix: 'a-',
        budget_name: 'a',
        source: 'config',
        updated_at: '2026-11-20T00:00:00.000Z',
        updated_by: 'config',
      });
      await knex('bedrock_tenant_state').insert({
        tenant_id: 'alpha',
        watermark: '2026-11-20T12:00:00.000Z',
      });
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      for (const region of ['us-east-1', 'eu-west-1']) {
        expect(
          await store.getWatermarks({
            accountId: '111111111111',
            region,
            tenantIds: ['alpha'],
          }),
        ).toEqual({ alpha: '2026-11-20T12:00:00.000Z' });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'moves watermarks forward only, region by region, and writes many tenants at once, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const place = { accountId: '111111111111', region: 'us-east-1' };
      await store.advanceWatermarks({
        ...place,
        tenantIds: ['a', 'b'],
        watermark: '2026-11-20T12:00:00.000Z',
      });
      await store.advanceWatermarks({
        ...place,
        tenantIds: ['a'],
        watermark: '2026-11-20T09:00:00.000Z',
      });
      await store.advanceWatermarks({
        ...place,
        tenantIds: ['b'],
        watermark: '2026-11-20T15:00:00.000Z',
      });
      expect(
        await store.getWatermarks({ ...place, tenantIds: ['a', 'b', 'c'] }),
      ).toEqual({
        a: '2026-11-20T12:00:00.000Z',
        b: '2026-11-20T15:00:00.000Z',
      });
      expect(
        await store.getWatermarks({
          ...place,
          region: 'eu-west-1',
          tenantIds: ['a', 'b'],
        }),
      ).toEqual({});

      // many tenants' windows in one go: each tenant's rows replaced, other places untouched
      const row = (
        tenantId: string,
        region: string,
        hour: string,
        n: number,
      ) => ({
        ...emptyUsageRow({
          tenantId,
          accountId: '111111111111',
          region,
          modelId: 'm',
          hour,
        }),
        invocations: n,
      });
      await store.replaceWindows({
        ...place,
        tenantIds: ['a', 'b'],
        from: '2026-11-20T10:00:00.000Z',
        to: '2026-11-20T12:00:00.000Z',
        rows: [
          row('a', 'us-east-1', '2026-11-20T10:00:00.000Z', 1),
          row('b', 'us-east-1', '2026-11-20T11:00:00.000Z', 2),
        ],
      });
      await store.replaceWindow({
        tenantId: 'a',
        accountId: '111111111111',
        region: 'eu-west-1',
        from: '2026-11-20T10:00:00.000Z',
        to: '2026-11-20T12:00:00.000Z',
        rows: [row('a', 'eu-west-1', '2026-11-20T10:00:00.000Z', 5)],
      });
      await store.replaceWindows({
        ...place,
        tenantIds: ['a', 'b'],
        from: '2026-11-20T10:00:00.000Z',
        to: '2026-11-20T12:00:00.000Z',
        rows: [
          row('b', 'us-east-1', '2026-11-20T10:00:00.000Z', 3),
          // outside the window or another place: not written
          row('b', 'us-east-1', '2026-11-20T12:00:00.000Z', 9),
          row('b', 'eu-west-1', '2026-11-20T10:00:00.000Z', 9),
        ],
      });
      const usage = await store.getUsage({
        tenantIds: ['a', 'b'],
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-21T00:00:00.000Z',
      });
      expect(
        usage.map(r => `${r.tenantId} ${r.region} ${r.hour} ${r.invocations}`),
      ).toEqual([
        'a eu-west-1 2026-11-20T10:00:00.000Z 5',
        'b us-east-1 2026-11-20T10:00:00.000Z 3',
      ]);

      await store.markCollectedMany({
        tenants: [
          { tenantId: 'a', entityRef: 'component:default/a' },
          { tenantId: 'b', entityRef: 'component:default/b' },
        ],
        watermark: '2026-11-20T12:00:00.000Z',
        at: '2026-11-20T12:05:00.000Z',
      });
      await store.markCollectedMany({
        tenants: [{ tenantId: 'a', entityRef: 'component:default/a' }],
        watermark: '2026-11-20T06:00:00.000Z',
        at: '2026-11-20T12:10:00.000Z',
      });
      const states = await store.getStates(['a', 'b']);
      expect(states.a).toMatchObject({
        entityRef: 'component:default/a',
        watermark: '2026-11-20T12:00:00.000Z',
        lastCollectedAt: '2026-11-20T12:10:00.000Z',
      });
      expect(states.b.watermark).toBe('2026-11-20T12:00:00.000Z');
    },
  );
});
