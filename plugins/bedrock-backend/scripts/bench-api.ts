/*
 * API load benchmark on PostgreSQL: 200 tenants x 3 models with 30 days of hourly rollups,
 * served by the real plugin (startTestBackend) from a fresh PostgreSQL database. 50 concurrent
 * clients request entity summaries, then Group roll-ups over all 200 tenants; prints p50/p99
 * latency and throughput of each (and the latency of the first, uncached roll-up). Request counts are fixed, so it always ends.
 *
 *   cd plugins/bedrock-backend && yarn run -T tsx scripts/bench-api.ts
 *   (BENCH_POSTGRES_URL defaults to postgresql://postgres@127.0.0.1:5432)
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import knexFactory, { Knex } from 'knex';
import { DatabaseUsageStore } from '../src/database/DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from '../src/database/types';
import { bindEntities } from '../src/__testUtils__/bindings';
import { startBedrockBackend } from '../src/__testUtils__/startBedrockBackend';

const TENANTS = 200;
const MODELS = [
  'amazon.nova-lite-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-pro-v1:0',
];
const CONCURRENCY = 50;
const SUMMARY_REQUESTS = 2000;
const ROLLUP_REQUESTS = 200;
const HOUR = 3_600_000;
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const tenantId = (i: number) => `bench-tenant-${i}`;

function entity(i: number) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: tenantId(i),
      namespace: 'default',
      annotations: {
        [ANNOTATION_TENANT_ID]: tenantId(i),
        [ANNOTATION_ACCOUNT_ID]: ACCOUNT,
        [ANNOTATION_REGIONS]: REGION,
        [ANNOTATION_ATTRIBUTION]: 'inference-profile',
        [ANNOTATION_INFERENCE_PROFILES]: MODELS.map(
          (m, k) => `p${i}x${k}=${m}`,
        ).join(','),
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'bench-group' },
  };
}

async function seed(knex: Knex) {
  await DatabaseUsageStore.migrate(knex);
  const store = DatabaseUsageStore.fromKnex(knex);
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  for (let i = 0; i < TENANTS; i++) {
    const rows: HourlyUsageRow[] = [];
    for (const modelId of MODELS) {
      for (let h = 30 * 24; h >= 1; h--) {
        const calls = 50 + ((i * 7 + h * 13) % 100);
        rows.push({
          ...emptyUsageRow({
            tenantId: tenantId(i),
            accountId: ACCOUNT,
            region: REGION,
            modelId,
            hour: new Date(end - h * HOUR).toISOString(),
          }),
          invocations: calls,
          inputTokens: calls * 900,
          outputTokens: calls * 200,
          latencyAvgMs: 800,
          latencyMaxMs: 2400,
        });
      }
    }
    await store.replaceWindow({
      tenantId: tenantId(i),
      accountId: ACCOUNT,
      region: REGION,
      from: new Date(end - 31 * 24 * HOUR).toISOString(),
      to: new Date(end).toISOString(),
      rows,
    });
    await store.markCollected({
      tenantId: tenantId(i),
      watermark: new Date(end).toISOString(),
      at: new Date().toISOString(),
    });
  }
  return TENANTS * MODELS.length * 30 * 24;
}

async function load(name: string, total: number, url: () => string) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const headers = { authorization: mockCredentials.user.header() };
  const started = performance.now();
  const clients = Math.min(CONCURRENCY, total);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        const res = await fetch(url(), { headers });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  process.stdout.write(
    `${name}: ${latencies.length} requests, ${CONCURRENCY} concurrent clients, ` +
      `p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, ` +
      `${(latencies.length / seconds).toFixed(1)} req/s, ${failures} failed\n`,
  );
}

async function main() {
  const base =
    process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432';
  const dbName = `bedrock_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: `${base}/postgres` });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const knex = knexFactory({
    client: 'pg',
    connection: `${base}/${dbName}`,
    pool: { min: 0, max: 10 },
  });
  try {
    const t0 = performance.now();
    const rows = await seed(knex);
    process.stdout.write(
      `seeded ${rows} hourly rollups for ${TENANTS} tenants in ${(
        (performance.now() - t0) /
        1000
      ).toFixed(1)} s (PostgreSQL)\n`,
    );

    const entities = [
      ...Array.from({ length: TENANTS }, (_, i) => entity(i)),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'bench-group', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
    ];
    // the tenants are bound, as the provisioning actions would have done
    await bindEntities(knex, entities.slice(0, TENANTS));
    const server = await startBedrockBackend({
      entities,
      knex,
      accountId: ACCOUNT,
    });
    const { port } = server.address() as { port: number };
    const api = `http://127.0.0.1:${port}/api/bedrock`;
    let i = 0;
    await load(
      'entity summary (7 d)',
      SUMMARY_REQUESTS,
      () =>
        `${api}/entity/component/default/${tenantId(
          i++ % TENANTS,
        )}/summary?range=7d`,
    );
    // the first roll-up reads the database; identical ones share its per-day buckets
    // until the next collection (see BucketCache)
    await load(
      `group roll-up (${TENANTS} tenants, month to date), first request, cold`,
      1,
      () => `${api}/group/default/bench-group/rollup?range=mtd`,
    );
    await load(
      `group roll-up (${TENANTS} tenants, month to date)`,
      ROLLUP_REQUESTS,
      () => `${api}/group/default/bench-group/rollup?range=mtd`,
    );
    await server.close?.();
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.destroy();
  }
  process.exit(0);
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
