/*
 * API load benchmark of the real portal backend: the production build of packages/backend on a
 * fresh PostgreSQL database, a catalog of N tenant components (owned by teams under one org
 * group) and their usage written into the bedrock tables. A signed-in user (guest provider,
 * owner of the tenants, not an admin) goes through the portal's real permission policy.
 * autocannon drives, in interleaved phases of fixed duration with 50 concurrent clients: the
 * catalog by-name read an entity page makes anyway, the Bedrock summary (7 d, 30 d) and the
 * Group roll-up of the org with its children. Prints req/s, p50, p99, each route's cost relative
 * to the catalog read, and the bytes of each view. Asserts only that the views answer (200, and
 * 403 for a tenant the user does not own).
 *
 *   flock /tmp/portal.lock node --import tsx bench/api.ts                 # 200 tenants
 *   flock /tmp/portal.lock node --import tsx bench/api.ts --tenants 2000
 *   options: --seconds 10 (per phase) --rounds 2 --connections 50 --port 7197
 *            --no-build (reuse packages/backend/dist) --profile (CPU profile into artifacts/)
 *            --smoke (5 tenants, 1 s phases: checks it starts and prints)
 *            --only 'summary, 7' (measure only the routes whose name contains it, beside the
 *            catalog read: profiles one route at a time)
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  buildBackend,
  createDatabase,
  machineLoad,
  ROOT,
  sleep,
  startPortal,
  unpackBundle,
} from './lib/portal';
import {
  ACCOUNT,
  FOREIGN,
  fillUsage,
  ORG,
  ownership,
  tenancyConfig,
  tenantName,
  writeCatalog,
} from './lib/tenants';

const { values: args } = parseArgs({
  options: {
    tenants: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    port: { type: 'string', default: process.env.BENCH_PORT ?? '7197' },
    'no-build': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const SMOKE = args.smoke;
const N = SMOKE ? 5 : Number(args.tenants);
const SECONDS = SMOKE ? 1 : Number(args.seconds);
const ROUNDS = SMOKE ? 1 : Number(args.rounds);
const CONNECTIONS = SMOKE ? 5 : Number(args.connections);
const PORT = Number(args.port);

interface Route {
  name: string;
  path: (i: number) => string;
}

const ROUTES: Route[] = [
  {
    name: 'catalog by-name read',
    path: i =>
      `/api/catalog/entities/by-name/component/default/${tenantName(i)}`,
  },
  {
    name: 'Bedrock summary, 7 d',
    path: i =>
      `/api/bedrock/entity/component/default/${tenantName(i)}/summary?range=7d`,
  },
  {
    name: 'Bedrock summary, 30 d',
    path: i =>
      `/api/bedrock/entity/component/default/${tenantName(
        i,
      )}/summary?range=30d`,
  },
  {
    name: `Group roll-up, ${N} tenants (org + children, month to date)`,
    path: () =>
      `/api/bedrock/group/default/${ORG}/rollup?range=mtd&includeChildren=true`,
  },
];

interface Phase {
  requests: number;
  seconds: number;
  latencies: number[];
  failures: number;
}

/** One fixed-duration phase: every request for the next tenant, round robin. */
async function phase(
  baseUrl: string,
  token: string,
  route: Route,
  seconds: number,
): Promise<Phase> {
  let next = 0;
  const latencies: number[] = [];
  let failures = 0;
  const instance = autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: any) => ({ ...req, path: route.path(next++ % N) }),
      },
    ],
  });
  instance.on(
    'response',
    (_c: unknown, status: number, _b: number, ms: number) => {
      latencies.push(ms);
      if (status !== 200) failures++;
    },
  );
  const result = await instance;
  failures += result.errors + result.timeouts;
  return { requests: latencies.length, seconds, latencies, failures };
}

const pct = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
    : NaN;

async function get(baseUrl: string, token: string, p: string) {
  const res = await fetch(`${baseUrl}${p}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Waits until the catalog has stitched every tenant with its owner. */
async function waitForCatalog(baseUrl: string, token: string) {
  const deadline = Date.now() + 15 * 60_000;
  const query = `/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name,relations&limit=${
    N + 10
  }`;
  for (;;) {
    const r = await get(baseUrl, token, query);
    if (r.status !== 200) {
      throw new Error(`catalog query: ${r.status} ${r.body.toString()}`);
    }
    const owned = JSON.parse(r.body.toString()).items.filter((e: any) =>
      e.relations?.some((rel: any) => rel.type === 'ownedBy'),
    ).length;
    if (owned === N + 1) return;
    if (Date.now() > deadline) {
      throw new Error(`the catalog stitched only ${owned} of ${N + 1} tenants`);
    }
    await sleep(2000);
  }
}

/** Each view answers the user, with the data the bench wrote; a foreign tenant is 403. */
async function checkViews(baseUrl: string, token: string) {
  const bytes: number[] = [];
  const rollup = await get(baseUrl, token, ROUTES[3].path(0));
  const shown = rollup.status === 200 && JSON.parse(rollup.body.toString());
  if (shown?.totals?.tenants !== N) {
    throw new Error(
      `the roll-up shows ${shown?.totals?.tenants} of ${N} tenants: ${
        rollup.status
      } ${rollup.body.toString().slice(0, 500)}`,
    );
  }
  for (const route of ROUTES) {
    const r = await get(baseUrl, token, route.path(0));
    if (r.status !== 200) {
      throw new Error(`${route.name}: ${r.status} ${r.body.toString()}`);
    }
    bytes.push(r.body.length);
    (route as Route & { gzip?: number }).gzip = gzipSync(r.body).length;
  }
  const summary = JSON.parse(
    (await get(baseUrl, token, ROUTES[1].path(0))).body.toString(),
  );
  if (!(summary.totals.invocations > 0)) {
    throw new Error('the summary shows no invocations: usage was not filled');
  }
  const foreign = await get(
    baseUrl,
    token,
    `/api/bedrock/entity/component/default/${FOREIGN}/summary?range=7d`,
  );
  if (foreign.status !== 403) {
    throw new Error(
      `the permission policy did not apply: ${FOREIGN} answered ${foreign.status}`,
    );
  }
  return bytes;
}

async function main() {
  if (!args['no-build']) {
    process.stdout.write('building the backend (yarn build:backend)...\n');
    buildBackend();
  }
  const bundleDir = unpackBundle();
  const db = await createDatabase('bedrock_bench_api');
  const profileDir = path.join(ROOT, 'artifacts', 'profiles');
  const catalogFile = path.join(bundleDir, 'catalog.yaml');
  const entities = writeCatalog(catalogFile, N);
  let portal: Awaited<ReturnType<typeof startPortal>> | undefined;
  try {
    portal = await startPortal({
      bundleDir,
      db,
      port: PORT,
      logFile: path.join(ROOT, 'artifacts', 'bench-api-backend.log'),
      nodeArgs: args.profile
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
        : [],
      config: {
        auth: {
          providers: {
            guest: {
              userEntityRef: 'user:default/bench-user',
              ownershipEntityRefs: ownership(N),
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
        // admins read everything; the bench user is not one
        portal: { bedrockAdminGroups: ['group:default/bench-admins'] },
        aws: {
          accounts: [
            {
              accountId: ACCOUNT,
              accessKeyId: 'AKIABENCH',
              secretAccessKey: 'bench-secret',
            },
          ],
        },
        bedrock: {
          // page views make no AWS calls: an endpoint that never answers proves it
          aws: { endpoint: 'http://127.0.0.1:9' },
          collector: { enabled: false },
          ...tenancyConfig(N),
        },
        catalog: {
          rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
          locations: [{ type: 'file', target: catalogFile }],
        },
        scaffolder: {},
      },
    });
    const t0 = performance.now();
    const rows = await fillUsage(db.knex, N);
    process.stdout.write(
      `filled ${rows} hourly rows for ${N + 1} tenants in ${(
        (performance.now() - t0) /
        1000
      ).toFixed(1)} s; waiting for the catalog (${entities} entities)...\n`,
    );
    const token = await portal.userToken();
    const t1 = performance.now();
    await waitForCatalog(portal.baseUrl, token);
    process.stdout.write(
      `catalog ready in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`,
    );
    const bytes = await checkViews(portal.baseUrl, token);

    const measured = (r: number) =>
      r === 0 || !args.only || ROUTES[r].name.includes(args.only);
    // warm-up (JIT, connection pools), not measured
    for (const route of ROUTES.filter((_, r) => measured(r))) {
      await phase(portal.baseUrl, token, route, SMOKE ? 1 : 3);
    }
    const loadBefore = machineLoad();
    const results = ROUTES.map<Phase>(() => ({
      requests: 0,
      seconds: 0,
      latencies: [],
      failures: 0,
    }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let r = 0; r < ROUTES.length; r++) {
        if (!measured(r)) continue;
        const p = await phase(portal.baseUrl, token, ROUTES[r], SECONDS);
        results[r].requests += p.requests;
        results[r].seconds += p.seconds;
        results[r].latencies.push(...p.latencies);
        results[r].failures += p.failures;
      }
    }
    const loadAfter = machineLoad();

    const rate = (p: Phase) => p.requests / p.seconds;
    const base = rate(results[0]);
    const lines = [
      `\n${N} tenants, ${CONNECTIONS} concurrent clients, ${ROUNDS} x ${SECONDS} s per route (interleaved), PostgreSQL, NODE_ENV=production`,
      `machine: before ${loadBefore}; after ${loadAfter}\n`,
      '| route | req/s | p50 | p99 | cost vs catalog read | bytes (gzip) | failed |',
      '|---|---|---|---|---|---|---|',
      ...ROUTES.flatMap((route, r) => {
        if (!measured(r)) return [];
        const p = results[r];
        const sorted = [...p.latencies].sort((a, b) => a - b);
        return `| ${route.name} | ${rate(p).toFixed(1)} | ${pct(
          sorted,
          0.5,
        ).toFixed(0)} ms | ${pct(sorted, 0.99).toFixed(0)} ms | ${(
          base / rate(p)
        ).toFixed(2)}x | ${bytes[r]} (${(route as any).gzip}) | ${
          p.failures
        } |`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (
      results.some((p, r) => measured(r) && (p.failures > 0 || !p.requests))
    ) {
      throw new Error('some requests failed');
    }
  } finally {
    await portal?.stop();
    await db.drop();
    fs.rmSync(bundleDir, { recursive: true, force: true });
    if (args.profile) {
      process.stdout.write(
        `CPU profile in ${profileDir} (summarise: node --import tsx bench/profile.ts <file>)\n`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
