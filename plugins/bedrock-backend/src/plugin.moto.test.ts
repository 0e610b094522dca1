import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  BedrockStandIn,
  DEMO_ACCOUNTS,
  DEMO_AWS_CONFIG,
  DEMO_REGIONS,
  DEMO_TENANTS,
  demoTenantEntity,
  hourlyUsage,
  MotoServer,
  seedDemo,
  startBedrockStandIn,
  startMoto,
} from '@bedrock-tenancy/demo';
import { Knex } from 'knex';
import { bindingOf } from './__testUtils__/bindings';
import { DatabaseBindingStore } from './bindings/DatabaseBindingStore';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import request from 'supertest';
import { bedrockPlugin } from './plugin';

// every startup collects the demo's week from moto, one Python process: alone a test takes about a
// minute, under the full suite's two workers three times that
jest.setTimeout(600_000);

const HOUR = 3_600_000;

describe('bedrock plugin against moto', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  let anchor: Date;
  let knex: Knex;

  beforeAll(async () => {
    moto = await startMoto();
    // inference profiles live in the stand-in, which forwards every other call to moto
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: DEMO_ACCOUNTS.platform,
    });
    process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
    anchor = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    await seedDemo({
      endpoint: moto.endpoint,
      bedrockEndpoint: standIn.endpoint,
      anchor,
    });
    knex = await databases.init('SQLITE_3');
  });

  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await standIn?.stop();
    await moto?.stop();
  });

  /** The plugin on `knex`: bindings from the AWS tags the actions wrote (profiles, tenant roles). */
  const startPlugin = () =>
    startTestBackend({
      features: [
        mockServices.database.factory({ knex }),
        bedrockPlugin,
        catalogServiceMock.factory({
          entities: DEMO_TENANTS.map(demoTenantEntity) as any,
        }),
        // runs the scheduled tasks (first collection) during startup, and waits for them
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        mockServices.rootConfig.factory({
          data: {
            aws: DEMO_AWS_CONFIG,
            bedrock: {
              // moto runs every request in one Python process and takes seconds per large GetMetricData:
              // a status read queued behind the first collection may wait longer than 30 s
              aws: {
                endpoint: standIn.endpoint,
                maxAttempts: 1,
                requestTimeoutMs: 180_000,
              },
              bindings: {
                accounts: Object.values(DEMO_ACCOUNTS),
                regions: [...DEMO_REGIONS],
              },
            },
          },
        }),
      ],
    });

  it('binds every demo tenant at startup from the AWS tags the actions wrote, and collects only those', async () => {
    const { server } = await startPlugin();
    const bindings = await DatabaseBindingStore.fromKnex(knex).list();
    const strip = ({
      updatedAt: _a,
      updatedBy: _b,
      source: _c,
      budgetEnforcement: _d,
      entityUid: _e,
      entityOwner: _f,
      ...b
    }: any) => b;
    // every demo entity's annotations are confirmed by the binding the suite recorded
    expect(bindings.map(strip)).toEqual(
      DEMO_TENANTS.map(t => strip(bindingOf(demoTenantEntity(t)))).sort(
        (a, b) => a.tenantId.localeCompare(b.tenantId),
      ),
    );
    // the demo's create action opted docs-summarizer in: its role tag carries it into the binding
    expect(
      Object.fromEntries(bindings.map(b => [b.tenantId, b.budgetEnforcement])),
    ).toMatchObject({
      'docs-summarizer': {
        action: 'suspend',
        basis: 'actual',
        autoResume: true,
      },
      'checkout-assistant': null,
    });
    expect(
      Object.fromEntries(bindings.map(b => [b.tenantId, b.source])),
    ).toMatchObject({
      'checkout-assistant': 'aws-tags',
      // made by the actions in their own mode, bound from the tenant role's tags
      'fraud-analyst': 'aws-tags',
      'data-labeling': 'aws-tags',
    });
    await server.stop();
  });

  it('rebuilds the same bindings from AWS tags after the table is wiped', async () => {
    const before = await DatabaseBindingStore.fromKnex(knex).list();
    await knex('bedrock_tenant_claims').delete();
    await knex('bedrock_tenant_bindings').delete();
    const { server } = await startPlugin();
    const after = await DatabaseBindingStore.fromKnex(knex).list();
    const strip = ({ updatedAt: _a, ...b }: any) => b;
    expect(after.map(strip)).toEqual(before.map(strip));
    await server.stop();
  });

  it('collects at startup with the configured credentials and serves the seeded usage', async () => {
    // the earlier tests' instances left snapshots in this database: wait for this one's own
    const startedAt = new Date().toISOString();
    const { server } = await startPlugin();
    // shards this instance had no room for at startup run right after it (handed back), then
    // the status panels are filled
    const done = async () => {
      // every tenant collected up to the seed's last hour (a backfill advances the watermark
      // window by window, so a watermark alone does not mean the last week is in)
      const [marks] = await knex('bedrock_usage_watermarks')
        .where('watermark', '>=', anchor.toISOString())
        .countDistinct({ n: 'tenant_id' });
      // the alarms and the budget of both tenants (fetched concurrently, in no set order)
      const status = await knex('bedrock_snapshots')
        .whereIn('kind', ['alarms', 'budget'])
        .andWhere('fetched_at', '>=', startedAt)
        .whereIn('key', ['checkout-assistant', 'fraud-analyst']);
      return Number(marks?.n) >= DEMO_TENANTS.length && status.length === 4;
    };
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline && !(await done())) {
      await new Promise(r => setTimeout(r, 250));
    }

    const seedAnchor = anchor;
    for (const tenantId of ['checkout-assistant', 'fraud-analyst']) {
      const res = await request(server).get(
        `/api/bedrock/entity/component/default/${tenantId}/summary?range=7d`,
      );
      expect(res.status).toBe(200);
      const body = res.body as EntitySummary;
      const from = Date.parse(body.range.from);
      const t = DEMO_TENANTS.find(x => x.tenantId === tenantId)!;
      const seeded = t.models
        .flatMap(m => hourlyUsage(t, m, seedAnchor))
        .filter(h => h.time.getTime() >= from);
      expect({
        tenantId,
        invocations: body.totals.invocations,
        inputTokens: body.totals.inputTokens,
        outputTokens: body.totals.outputTokens,
      }).toEqual({
        tenantId,
        invocations: seeded.reduce((s, h) => s + h.invocations, 0),
        inputTokens: seeded.reduce((s, h) => s + h.inputTokens, 0),
        outputTokens: seeded.reduce((s, h) => s + h.outputTokens, 0),
      });
      expect(body.freshness.stale).toBe(false);
      // the whole section on failure: its message says what AWS answered
      const panel = (p: { status: string }) => (p.status === 'ok' ? 'ok' : p);
      expect({
        tenantId,
        alarms: panel(body.alarms),
        budget: panel(body.budget),
      }).toEqual({ tenantId, alarms: 'ok', budget: 'ok' });
    }
  });
});
