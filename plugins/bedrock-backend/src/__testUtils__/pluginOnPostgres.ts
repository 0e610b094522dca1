/* TEST-ONLY: the plugin with its collector on, on a database of a PostgreSQL cluster of the test's own. */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/demo';
import knexFactory from 'knex';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { bindEntities, bindingOf } from './bindings';
import { PostgresServer } from './postgresServer';
import { startSchedulerJanitor } from './schedulerJanitor';
import { startBedrockBackend } from './startBedrockBackend';

export const checkout = DEMO_TENANTS.find(
  t => t.tenantId === 'checkout-assistant',
)!;
export const entity = demoTenantEntity(checkout);
export const tenant = bindingOf(entity);
export const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: checkout.ownerGroup, namespace: 'default' },
  spec: { type: 'team', children: [] },
};
export const API = '/api/bedrock';
/** every route of router.ts (and the routes it adds), one request each */
export const ROUTES = [
  ['get', `${API}/health`],
  [
    'get',
    `${API}/entity/component/default/${tenant.tenantId}/summary?range=7d`,
  ],
  ['get', `${API}/group/default/${checkout.ownerGroup}/rollup?range=7d`],
  ['get', `${API}/group/default/${checkout.ownerGroup}/chargeback`],
  ['get', `${API}/bindings/${tenant.tenantId}`],
  ['get', `${API}/enforcement/plan`],
  ['post', `${API}/entity/component/default/${tenant.tenantId}/refresh`],
] as const;

const every = (seconds: number) => ({
  frequency: { seconds },
  // a run cut by the outage holds its claim until then (Backstage's scheduler)
  timeout: { seconds: 10 },
  initialDelay: { seconds: 1 },
});

/** The tenant's watermark in `database`, read on a connection of its own. */
export async function watermarkOf(pg: PostgresServer, database: string) {
  const knex = knexFactory({
    client: 'pg',
    connection: { ...pg.connection, database },
  });
  try {
    const [row] = await knex('bedrock_usage_watermarks').where({
      tenant_id: tenant.tenantId,
    });
    return row?.watermark as string | undefined;
  } finally {
    await knex.destroy();
  }
}

/**
 * Starts the plugin (collector on, Backstage's database-backed scheduler, every task each 2 s)
 * on a new database of `pg`, with the fixture tenant bound; owner notifications are recorded in
 * `sent`. `collected()` says whether the tenant's watermark reached `cutoff`; `rows()` reads the
 * hourly and daily rows before it.
 */
export async function startPluginOnPostgres(options: {
  pg: PostgresServer;
  database: string;
  cutoff: string;
  /** the catalog, instead of an in-memory one holding the fixtures */
  catalog?: ServiceFactory;
}) {
  const { pg, database, catalog, cutoff: CUTOFF } = options;
  const admin = knexFactory({ client: 'pg', connection: pg.connection });
  await admin.raw(`CREATE DATABASE ${database}`);
  await admin.destroy();
  const knex = knexFactory({
    client: 'pg',
    connection: { ...pg.connection, database },
    // knex logs every refused connection of the outage to the console: the test asserts them
    log: { warn() {}, error() {}, debug() {}, deprecate() {} },
  });
  await DatabaseUsageStore.migrate(knex);
  await bindEntities(knex, [entity]);
  const sent: string[] = [];
  const server = await startBedrockBackend({
    entities: [entity, team],
    catalog,
    knex,
    accountId: tenant.accountId,
    config: {
      bedrock: {
        aws: { endpoint: 'http://127.0.0.1:9', maxAttempts: 1 },
        collector: {
          backfillDays: 2,
          windowHours: 6,
          shards: 1,
          concurrency: 1,
          schedule: every(2),
        },
        status: { schedule: every(2) },
        signals: { enabled: false },
        // only the budget thresholds: the other events follow the clock, not the data
        notifications: {
          events: Object.fromEntries(
            ['alarm', 'anomaly', 'idle', 'suspension'].map(e => [
              e,
              { enabled: false },
            ]),
          ),
        },
      },
    },
    features: [
      schedulerServiceFactory,
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (n: { payload: { title: string } }) => {
            sent.push(n.payload.title);
          },
        }),
      }) as any,
    ],
  });
  const collected = async () => {
    const [row] = await knex('bedrock_usage_watermarks').where({
      tenant_id: tenant.tenantId,
    });
    return !!row && row.watermark >= CUTOFF;
  };
  const rows = async () => ({
    hourly: await knex('bedrock_usage_hourly')
      .where('hour', '<', CUTOFF)
      .orderBy(['tenant_id', 'region', 'model_id', 'hour']),
    daily: await knex('bedrock_usage_daily')
      .where('day', '<', CUTOFF.slice(0, 10))
      .orderBy(['tenant_id', 'region', 'model_id', 'day']),
  });
  // Backstage's scheduler janitor, off under NODE_ENV=test: it frees a run the outage cut
  const stopJanitor = startSchedulerJanitor(knex);
  return {
    server,
    sent,
    collected,
    rows,
    async stop() {
      stopJanitor();
      await server.stop();
      await knex.destroy();
    },
  };
}
