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
 *   flock /tmp/portal.lock node --import tsx bench/api.ts --tree          # issue 20
 *   options: --seconds 10 (per phase) --rounds 2 --connections 50 --port 7197
 *            --no-build (reuse packages/backend/dist) --profile (CPU profile into artifacts/)
 *            --smoke (5 tenants, 1 s phases: checks it starts and prints)
 *            --tree (instead of the teams under one org: a root group over 1,000 descendant
 *            groups, 10 departments x 9 sections x 10 teams, owning 5,000 components of which
 *            2,000 are tenants (./lib/tree); measures the catalog read and the root's roll-up with
 *            its children, and prints the goals: roll-up <= 3x the catalog read, p99 < 1 s)
 *            --only 'summary, 7' (measure only the routes whose name contains it, beside the
 *            catalog read: profiles one route at a time)
 *            --decision-cache-seconds 10 (bedrock.permissions.decisionCacheSeconds: how long
 *            decisions and a caller's roll-up listing are kept)
 *            --tree-cache-seconds 60 (bedrock.rollup.treeCacheSeconds: how long a group tree
 *            read with the plugin's credentials is shared)
 * Phases are 2 s apart, so that what one leaves running (answers autocannon stopped waiting for)
 * does not land on the next.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  get,
  ownedComponents,
  pct,
  phase,
  Phase,
  Route,
  SLOW_MS,
  tally,
} from './lib/load';
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
import {
  descendantCount,
  SMOKE_TREE,
  TREE,
  treeOwnership,
  writeTreeCatalog,
} from './lib/tree';

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
    tree: { type: 'boolean', default: false },
    'decision-cache-seconds': { type: 'string' },
    'tree-cache-seconds': { type: 'string' },
  },
});
/**
 * bedrock.permissions.decisionCacheSeconds (the plugin's default 10 unless given): also how long
 * a caller's roll-up listing is kept
 */
const DECISION_CACHE_SECONDS = Number(args['decision-cache-seconds'] ?? 10);
const SMOKE = args.smoke;
/** between phases: what the last one left running (answers autocannon stopped waiting for) ends */
const SETTLE_MS = SMOKE ? 0 : 2000;
const SHAPE = args.tree ? (SMOKE ? SMOKE_TREE : TREE) : undefined;
/** tenants: bound, with usage, asked in turn by the per-entity routes */
const N = SHAPE ? SHAPE.tenants : SMOKE ? 5 : Number(args.tenants);
const SECONDS = SMOKE ? 1 : Number(args.seconds);
const ROUNDS = SMOKE ? 1 : Number(args.rounds);
const CONNECTIONS = SMOKE ? 5 : Number(args.connections);
const PORT = Number(args.port);

const summaryPath = (name: string, range: string) =>
  `/api/bedrock/entity/component/default/${name}/summary?range=${range}`;
const CATALOG_READ: Route = {
  name: 'catalog by-name read',
  path: i => `/api/catalog/entities/by-name/component/default/${tenantName(i)}`,
};
const count = (n: number) => n.toLocaleString('en-US');
const ROLLUP: Route = {
  name: SHAPE
    ? `Group roll-up of the root, ${count(
        descendantCount(SHAPE) + 1,
      )} groups, ${count(SHAPE.components)} components, ${count(
        N,
      )} tenants (with children, month to date)`
    : `Group roll-up, ${N} tenants (org + children, month to date)`,
  path: () =>
    `/api/bedrock/group/default/${ORG}/rollup?range=mtd&includeChildren=true`,
};

/** The catalog read first: every other route's cost is relative to it. */
const ROUTES: Route[] = SHAPE
  ? [CATALOG_READ, ROLLUP]
  : [
      CATALOG_READ,
      {
        name: 'Bedrock summary, 7 d',
        path: i => summaryPath(tenantName(i), '7d'),
      },
      {
        name: 'Bedrock summary, 30 d',
        path: i => summaryPath(tenantName(i), '30d'),
      },
      ROLLUP,
    ];

/** Components the catalog must stitch with their owner, the foreign tenant included. */
const COMPONENTS = (SHAPE ? SHAPE.components : N) + 1;
/** What the roll-up of the org must show once the catalog is ready. */
const EXPECTED = {
  tenants: N,
  groups: SHAPE ? descendantCount(SHAPE) + 1 : undefined,
  unannotated: SHAPE ? SHAPE.components - SHAPE.tenants : 0,
};

/**
 * Waits until the catalog has stitched every component with its owner and the roll-up of the org
 * shows every tenant (and, for the tree, every group and unannotated component).
 */
async function waitForCatalog(baseUrl: string, token: string) {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const owned = await ownedComponents(baseUrl, token);
    if (owned === COMPONENTS) break;
    if (Date.now() > deadline) {
      throw new Error(
        `the catalog stitched only ${owned} of ${COMPONENTS} components`,
      );
    }
    await sleep(2000);
  }
  // the group tree may be stitched after the components (the roll-up's access outcome is kept
  // for bedrock.permissions.decisionCacheSeconds: asked again until it shows the whole tree)
  for (;;) {
    const rollup = await get(baseUrl, token, ROLLUP.path(0));
    const shown = rollup.status === 200 && JSON.parse(rollup.body.toString());
    const seen = {
      tenants: shown?.totals?.tenants,
      groups: EXPECTED.groups === undefined ? undefined : shown?.groups?.length,
      unannotated: shown?.unannotatedCount ?? shown?.unannotated?.length,
    };
    if (JSON.stringify(seen) === JSON.stringify(EXPECTED)) return;
    if (rollup.status !== 200 || Date.now() > deadline) {
      throw new Error(
        `the roll-up shows ${JSON.stringify(seen)}, not ${JSON.stringify(
          EXPECTED,
        )}: ${rollup.status} ${rollup.body.toString().slice(0, 500)}`,
      );
    }
    await sleep(2000);
  }
}

/** Each view answers the user, with the data the bench wrote; a foreign tenant is 403. */
async function checkViews(baseUrl: string, token: string) {
  const bytes: number[] = [];
  for (const route of ROUTES) {
    const r = await get(baseUrl, token, route.path(0));
    if (r.status !== 200) {
      throw new Error(`${route.name}: ${r.status} ${r.body.toString()}`);
    }
    bytes.push(r.body.length);
    (route as Route & { gzip?: number }).gzip = gzipSync(r.body).length;
  }
  const summary = JSON.parse(
    (
      await get(baseUrl, token, summaryPath(tenantName(0), '7d'))
    ).body.toString(),
  );
  if (!(summary.totals.invocations > 0)) {
    throw new Error('the summary shows no invocations: usage was not filled');
  }
  const foreign = await get(baseUrl, token, summaryPath(FOREIGN, '7d'));
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
  const entities = SHAPE
    ? writeTreeCatalog(catalogFile, SHAPE)
    : writeCatalog(catalogFile, N);
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
              ownershipEntityRefs: SHAPE ? treeOwnership(SHAPE) : ownership(N),
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
          ...(args['decision-cache-seconds']
            ? { permissions: { decisionCacheSeconds: DECISION_CACHE_SECONDS } }
            : {}),
          ...(args['tree-cache-seconds']
            ? {
                rollup: {
                  treeCacheSeconds: Number(args['tree-cache-seconds']),
                },
              }
            : {}),
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
    let alone = '';
    if (SHAPE) {
      // one roll-up by itself once the caller's cached listing of the tree has expired
      // (bedrock.permissions.decisionCacheSeconds), then one served from it
      await sleep(DECISION_CACHE_SECONDS * 1000 + 1000);
      const timed = async () => {
        const t = performance.now();
        const r = await get(portal!.baseUrl, token, ROLLUP.path(0));
        if (r.status !== 200) throw new Error(`roll-up: ${r.status}`);
        return (performance.now() - t).toFixed(0);
      };
      alone = `roll-up of the root by itself: ${await timed()} ms once the caller's listing expired (the shared tree kept), ${await timed()} ms from the cached listing`;
    }

    const measured = (r: number) =>
      r === 0 || !args.only || ROUTES[r].name.includes(args.only);
    // warm-up (JIT, connection pools), not measured
    for (const route of ROUTES.filter((_, r) => measured(r))) {
      await phase({
        baseUrl: portal.baseUrl,
        token,
        route,
        seconds: SMOKE ? 1 : 3,
        connections: CONNECTIONS,
        tenants: N,
      });
      await sleep(SETTLE_MS);
    }
    const loadBefore = machineLoad();
    const results = ROUTES.map<Phase>(() => ({
      requests: 0,
      seconds: 0,
      latencies: [],
      failures: 0,
      failed: {},
      slow: {},
    }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let r = 0; r < ROUTES.length; r++) {
        if (!measured(r)) continue;
        const p = await phase({
          baseUrl: portal.baseUrl,
          token,
          route: ROUTES[r],
          seconds: SECONDS,
          connections: CONNECTIONS,
          tenants: N,
        });
        await sleep(SETTLE_MS);
        results[r].requests += p.requests;
        results[r].seconds += p.seconds;
        results[r].latencies.push(...p.latencies);
        results[r].failures += p.failures;
        for (const [why, n] of Object.entries(p.failed))
          tally(results[r].failed, why, n);
        for (const [at, n] of Object.entries(p.slow))
          tally(results[r].slow, at, n);
      }
    }
    const loadAfter = machineLoad();

    const rate = (p: Phase) => p.requests / p.seconds;
    const base = rate(results[0]);
    const what = SHAPE
      ? `group tree: root + ${count(
          descendantCount(SHAPE),
        )} descendant groups (${SHAPE.departments} departments x ${
          SHAPE.sections
        } sections x ${SHAPE.teams} teams), ${count(
          SHAPE.components,
        )} owned components, ${count(N)} tenants`
      : `${N} tenants`;
    const lines = [
      `\n${what}, ${CONNECTIONS} concurrent clients, ${ROUNDS} x ${SECONDS} s per route (interleaved), PostgreSQL, NODE_ENV=production`,
      `machine: before ${loadBefore}; after ${loadAfter}`,
      ...(alone ? [alone] : []),
      '',
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
        ).toFixed(2)}x | ${bytes[r]} (${(route as any).gzip}) | ${p.failures}${
          p.failures
            ? ` (${Object.entries(p.failed)
                .map(([why, n]) => `${why}: ${n}`)
                .join(', ')})`
            : ''
        } |`;
      }),
    ];
    // where the p99 comes from: a few seconds with many slow answers is a stall of every client
    lines.push('');
    ROUTES.forEach((route, i) => {
      const slow = Object.entries(results[i].slow);
      if (!measured(i) || !slow.length) return;
      const busiest = slow.sort((a, b) => b[1] - a[1]).slice(0, 8);
      lines.push(
        `${route.name}: ${slow.reduce(
          (n, [, c]) => n + c,
          0,
        )} answers took ${SLOW_MS} ms or more; the seconds (UTC) most arrived in: ${busiest
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([at, c]) => `${at} (${c})`)
          .join(', ')}`,
      );
    });
    const r = ROUTES.indexOf(ROLLUP);
    if (SHAPE && measured(r)) {
      // issue 20: printed, not asserted (the figures vary with the machine's load)
      const cost = base / rate(results[r]);
      const p99 = pct(
        [...results[r].latencies].sort((a, b) => a - b),
        0.99,
      );
      const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
      lines.push(
        `goals: roll-up of the root ${cost.toFixed(
          2,
        )}x the catalog read (<= 3x): ${verdict(
          cost <= 3,
        )}; its p99 ${p99.toFixed(0)} ms (< 1000 ms): ${verdict(p99 < 1000)}`,
      );
    }
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
