import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEMO_AWS_CONFIG,
  DEMO_TENANTS,
  demoTenantEntity,
  hourlyUsage,
  MotoServer,
  seedDemo,
  startMoto,
} from '@bedrock-tenancy/demo';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import request from 'supertest';
import { bedrockPlugin } from './plugin';

jest.setTimeout(180_000);

const HOUR = 3_600_000;

describe('bedrock plugin against moto', () => {
  let moto: MotoServer;
  let anchor: Date;

  beforeAll(async () => {
    moto = await startMoto();
    process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
    anchor = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    await seedDemo({ endpoint: moto.endpoint, anchor });
  });

  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await moto?.stop();
  });

  it('collects at startup with the configured credentials and serves the seeded usage', async () => {
    const { server } = await startTestBackend({
      features: [
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
            bedrock: { aws: { endpoint: moto.endpoint, maxAttempts: 1 } },
          },
        }),
      ],
    });

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
      expect(body.alarms.status).toBe('ok');
      expect(body.budget.status).toBe('ok');
    }
  });
});
