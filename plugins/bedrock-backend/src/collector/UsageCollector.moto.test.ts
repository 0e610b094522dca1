import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DEMO_AWS_CONFIG,
  DEMO_TENANTS,
  demoTenantEntity,
  hourlyUsage,
  IDENTITY_LOG_DAYS,
  LogsInsightsStandIn,
  MotoServer,
  seedDemo,
  seededTotalsByModel,
  seededTtftByModel,
  startLogsInsightsStandIn,
  startMoto,
} from '@bedrock-tenancy/demo';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { modelsOf } from '../service/usage';
import { HourlyUsageRow } from '../database/types';
import { tenantOf } from '../tenant';
import { UsageCollector } from './UsageCollector';

jest.setTimeout(180_000);

/** How long the fault proxy holds a 'slow' answer: more than the client's 1 s request timeout. */
const SLOW_MS = 1_500;

// Fixed for the run. Near now because CloudWatch Logs (and moto) drop log events older than
// 14 days, so identity-attributed usage is compared over the last 13 days only.
const ANCHOR = new Date(
  Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000,
);
const FROM = new Date(ANCHOR.getTime() - 30 * 86_400_000).toISOString();
const LOGS_FROM = ANCHOR.getTime() - IDENTITY_LOG_DAYS * 86_400_000;
const TO = ANCHOR.toISOString();
const tenants = DEMO_TENANTS.map(t => tenantOf(demoTenantEntity(t) as any)!);

function expected(tenantId: string) {
  const t = DEMO_TENANTS.find(x => x.tenantId === tenantId)!;
  // hours with no invocations leave no log record, so no row for identity tenants
  const byModel = seededTotalsByModel(t, ANCHOR, new Date(FROM), ANCHOR);
  return Object.fromEntries(
    Object.entries(byModel).map(([model, totals]) => [model, { ...totals }]),
  ) as Record<string, Record<string, number>>;
}

function actual(rows: HourlyUsageRow[], tenantId: string) {
  const out: Record<string, Record<string, number>> = {};
  const identity =
    DEMO_TENANTS.find(x => x.tenantId === tenantId)!.attribution === 'identity';
  for (const r of rows.filter(x => x.tenantId === tenantId)) {
    if (identity && Date.parse(r.hour) < LOGS_FROM) continue;
    const sum = (out[r.modelId] ??= {
      invocations: 0,
      inputTokens: 0,
      outputTokens: 0,
      clientErrors: 0,
      serverErrors: 0,
      throttles: 0,
    });
    for (const k of Object.keys(sum)) sum[k] += (r as any)[k];
  }
  return out;
}

describe('UsageCollector against moto', () => {
  let moto: MotoServer;
  // moto does not evaluate Logs Insights queries: the identity tenant's logs are queried here
  let insights: LogsInsightsStandIn;
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  beforeAll(async () => {
    moto = await startMoto();
    process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
    await seedDemo({ endpoint: moto.endpoint, anchor: ANCHOR });
    insights = await startLogsInsightsStandIn({ upstream: moto.endpoint });
  });

  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await insights?.stop();
    await moto?.stop();
  });

  type Fault = 'throttle' | 'server-error' | 'slow';

  /**
   * A fault-injecting proxy in front of moto. `faultOf` decides per GetMetricData attempt (the
   * attempt number counts identical bodies, so retries of one call are numbered 1, 2, ...).
   */
  async function faultProxy(
    faultOf: (call: {
      region: string;
      attempt: number;
      body: Buffer;
    }) => Fault | undefined,
  ) {
    const state = { getMetricData: 0, throttle: 0, 'server-error': 0, slow: 0 };
    const attempts = new Map<string, number>();
    const target = new URL(moto.endpoint);
    const forward = (
      req: http.IncomingMessage,
      res: http.ServerResponse,
      body: Buffer,
    ) => {
      const fwd = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      fwd.on('error', () => res.destroy());
      fwd.end(body);
    };
    const server = http.createServer((req, res) => {
      res.on('error', () => {});
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const isGmd =
          /GetMetricData/.test(
            `${req.url} ${req.headers['x-amz-target'] ?? ''}`,
          ) || body.includes('Action=GetMetricData');
        if (!isGmd) {
          forward(req, res, body);
          return;
        }
        state.getMetricData++;
        const key = body.toString('base64');
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const region =
          /Credential=[^/]+\/\d+\/([^/]+)\//.exec(
            String(req.headers.authorization),
          )?.[1] ?? '';
        const fault = faultOf({ region, attempt, body });
        if (fault) state[fault]++;
        if (fault === 'throttle' || fault === 'server-error') {
          // what CloudWatch answers over its TPS quota, or when it fails (JSON protocol)
          const throttle = fault === 'throttle';
          res.writeHead(throttle ? 400 : 500, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-query-error': throttle
              ? 'Throttling;Sender'
              : 'InternalServiceError;Receiver',
          });
          res.end(
            JSON.stringify({
              __type: throttle
                ? 'com.amazonaws.cloudwatch#Throttling'
                : 'com.amazonaws.cloudwatch#InternalServiceFault',
              message: throttle ? 'Rate exceeded' : 'Internal failure',
            }),
          );
          return;
        }
        if (fault === 'slow') {
          // longer than the client's request timeout: the attempt times out
          setTimeout(() => forward(req, res, body), SLOW_MS);
          return;
        }
        forward(req, res, body);
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;
    return {
      state,
      endpoint,
      close: () => {
        server.closeAllConnections();
        return new Promise(r => server.close(r));
      },
    };
  }

  function makeCollector(
    store: DatabaseUsageStore,
    endpoint = moto.endpoint,
    maxAttempts = 1,
    requestTimeoutMs = 30_000,
  ) {
    const clients = AwsClientFactory.fromConfig(
      new ConfigReader({
        aws: DEMO_AWS_CONFIG,
      }),
      {
        endpoint,
        logsEndpoint: insights.endpoint,
        maxAttempts,
        requestTimeoutMs,
      },
    );
    const collector = UsageCollector.create({
      store,
      clients,
      logger: mockServices.logger.mock(),
      options: {
        backfillDays: 30,
        refetchHours: 3,
        windowHours: 24,
        concurrency: 2,
        fetchEveryHours: 3,
      },
      now: () => ANCHOR.getTime() + 17 * 60_000,
    });
    return { collector, clients };
  }

  it.each(databases.eachSupportedId())(
    'stores exactly the seeded usage, twice without double counting, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseUsageStore.migrate(knex);
      const store = DatabaseUsageStore.fromKnex(knex);
      const { collector } = makeCollector(store);

      const first = await collector.collect(tenants);
      expect(first.failedGroups).toBe(0);
      const ids = tenants.map(t => t.tenantId);
      const rows1 = await store.getUsage({
        tenantIds: ids,
        from: FROM,
        to: TO,
      });
      for (const t of DEMO_TENANTS) {
        expect({
          tenant: t.tenantId,
          usage: actual(rows1, t.tenantId),
        }).toEqual({
          tenant: t.tenantId,
          usage: expected(t.tenantId),
        });
      }
      // 5 + 2 + 1 + 2 series of metric tenants; 24 h windows over 30 days, one batch each,
      // plus one p99 attempt per account and region (moto answers 500: p99 is dropped)
      expect(first.series).toBe(10);
      expect(first.getMetricDataCalls).toBe(3 * 30 + 3);

      const states = await store.getStates(ids);
      expect(states['checkout-assistant'].watermark).toBe(TO);

      // a second run in the same hour has nothing due: no GetMetricData call at all
      const idle = await collector.collect(tenants);
      expect(idle).toMatchObject({ getMetricDataCalls: 0, collected: [] });
      expect(idle.skippedGroups).toBe(idle.groups);

      // a forced run (the refresh route) re-fetches the last hours and replaces them
      const second = await collector.collect(tenants, { force: true });
      expect(second.failedGroups).toBe(0);
      const rows2 = await store.getUsage({
        tenantIds: ids,
        from: FROM,
        to: TO,
      });
      expect(rows2.length).toBe(rows1.length);
      for (const t of DEMO_TENANTS) {
        expect(actual(rows2, t.tenantId)).toEqual(expected(t.tenantId));
      }
      expect(second.getMetricDataCalls).toBe(3 + 3);

      // latency of a one-datapoint hour is the seeded latency
      const t = DEMO_TENANTS[0];
      const m = t.models[0];
      const h = hourlyUsage(t, m, ANCHOR).find(x => x.invocations > 0)!;
      const row = rows2.find(
        r =>
          r.tenantId === t.tenantId &&
          r.modelId === m.modelId &&
          r.hour === h.time.toISOString(),
      )!;
      expect(row.latencyAvgMs).toBe(h.latencyMs);
      expect(row.latencyMaxMs).toBe(h.latencyMs);
      expect(row.latencyP99Ms).toBeNull();

      // time to first token per model: the seeded streaming requests and their mean, weighted
      // by requests per hour (moto serves no percentiles: p99 not available)
      // (rounded to a millionth of a ms: the store's and the seed's sums add in other orders)
      const round = (v: number | null) =>
        v === null ? null : Math.round(v * 1e6) / 1e6;
      const ttftWanted: unknown[] = [];
      const ttftStored: unknown[] = [];
      for (const tenant of DEMO_TENANTS) {
        const seeded = seededTtftByModel(
          tenant,
          ANCHOR,
          new Date(FROM),
          ANCHOR,
        );
        const stored = modelsOf(
          DEFAULT_PRICES,
          rows2.filter(r => r.tenantId === tenant.tenantId),
        );
        for (const model of stored) {
          const want = seeded[model.modelId];
          const key = [tenant.tenantId, model.modelId];
          ttftWanted.push([
            ...key,
            want.streamingRequests,
            round(want.ttftAvgMs),
            null,
          ]);
          ttftStored.push([
            ...key,
            model.streamingRequests,
            round(model.ttftAvgMs),
            model.ttftP99Ms,
          ]);
        }
      }
      expect(ttftStored).toEqual(ttftWanted);
    },
  );

  it('rides out throttling, 5xx and slow answers; an outage of one region spares the others and is filled once it ends', async () => {
    const rowsOf = async (store: DatabaseUsageStore) =>
      store.getUsage({
        tenantIds: tenants.map(t => t.tenantId),
        from: FROM,
        to: TO,
      });
    const cleanKnex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(cleanKnex);
    const cleanStore = DatabaseUsageStore.fromKnex(cleanKnex);
    expect(
      (await makeCollector(cleanStore).collector.collect(tenants)).errors,
    ).toEqual([]);

    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    let outage = true;
    let fourthAttempts = 0;
    const proxy = await faultProxy(({ region, attempt, body }) => {
      if (attempt === 4 && region !== 'us-west-2') fourthAttempts++;
      if (region === 'us-west-2') return outage ? 'server-error' : undefined;
      // one call in four fails three ways before it answers
      if (createHash('sha256').update(body).digest()[0] % 4 !== 0)
        return undefined;
      return (['throttle', 'server-error', 'slow'] as const)[attempt - 1];
    });
    try {
      const { collector } = makeCollector(store, proxy.endpoint, 4, 1_000);
      const faulty = await collector.collect(tenants);
      expect(proxy.state.throttle).toBeGreaterThan(0);
      expect(proxy.state['server-error']).toBeGreaterThan(proxy.state.throttle);
      expect(proxy.state.slow).toBeGreaterThan(0);
      // every slow answer timed out on the client and was tried a fourth time
      expect(fourthAttempts).toBe(proxy.state.slow);
      // only the region in outage failed; every us-east-1 tenant is complete
      expect(faulty.failedGroups).toBe(1);
      expect(faulty.errors.join()).toMatch(/us-west-2/);
      const during = await rowsOf(store);
      for (const t of DEMO_TENANTS) {
        expect(actual(during, t.tenantId)).toEqual(
          t.region === 'us-west-2' ? {} : expected(t.tenantId),
        );
      }

      outage = false;
      const recovered = await collector.collect(tenants);
      expect(recovered.errors).toEqual([]);
      // nothing lost, nothing counted twice: the same rows as a run that saw no fault
      expect(await rowsOf(store)).toEqual(await rowsOf(cleanStore));
    } finally {
      await proxy.close();
    }
  });

  it('keeps the watermark of an account that fails and collects the others', async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const { collector } = makeCollector(store, 'http://127.0.0.1:9');
    const summary = await collector.collect(tenants.slice(0, 1));
    expect(summary.failedGroups).toBe(1);
    const states = await store.getStates(['checkout-assistant']);
    expect(states['checkout-assistant'].watermark).toBeNull();
    expect(states['checkout-assistant'].lastError).toMatch(
      /123456789012\/us-east-1/,
    );
  });
});
