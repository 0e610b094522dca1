/*
 * Identity attribution at scale (issue 20 §3): the production IdentityLogReader aggregates one
 * day of Bedrock invocation logs of one account-region through CloudWatch Logs Insights
 * (StartQuery / GetQueryResults with the real SDK clients), against the Logs Insights stand-in
 * of @bedrock-tenancy/aws-emulator serving synthetic records (bench/lib/identityLogsSource.ts,
 * generated deterministically as they are scanned, in a process of their own) in front of moto
 * (which answers the invocation logging configuration). Two volumes of the same day: records
 * without text data delivery (metadata and token counts), and with it (a prompt and an answer of
 * a few KB in every record). Prints, for this process (the backend's side): peak RSS and heap,
 * wall time; from the query statistics: records and bytes scanned, and the Logs Insights cost.
 *
 *   node --import tsx bench/identityLogs.ts                 # 1,000,000 records a day, 20 tenants
 *   node --import tsx bench/identityLogs.ts --smoke         # 2,000 records: checks it runs
 *   options: --records-per-day N  --tenants N (sharing the account-region)
 *            --fetch-every-hours 3 --refetch-hours 3 (the collector's defaults: each hour is
 *            scanned (fetch + refetch) / fetch times)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { startMoto } from '@bedrock-tenancy/aws-emulator';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { IdentityLogReader } from '../plugins/bedrock-backend/src/collector/IdentityLogReader';
import type { Tenant } from '../plugins/bedrock-backend/src/tenant';
import {
  BENCH_ACCOUNT,
  BENCH_REGION,
  tenantRole,
} from './lib/identityLogsSource';

const { values: args } = parseArgs({
  options: {
    'records-per-day': { type: 'string', default: '1000000' },
    tenants: { type: 'string', default: '20' },
    'fetch-every-hours': { type: 'string', default: '3' },
    'refetch-hours': { type: 'string', default: '3' },
    smoke: { type: 'boolean', default: false },
  },
});
const PER_DAY = args.smoke ? 2_000 : Number(args['records-per-day']);
const TENANTS = args.smoke ? 3 : Number(args.tenants);
const SCANS_PER_HOUR =
  (Number(args['fetch-every-hours']) + Number(args['refetch-hours'])) /
  Number(args['fetch-every-hours']);
/** Logs Insights: USD 0.005 per GB scanned (GB taken as 10^9 bytes, the dearer reading) */
const USD_PER_GB = 0.005;
const DAY = 86_400_000;
const DAY_START = Date.parse('2026-11-20T00:00:00Z');
const MB = 1024 * 1024;

const tenants: Tenant[] = Array.from({ length: TENANTS }, (_, i) => ({
  tenantId: `bench-${i}`,
  entityRef: `component:default/bench-${i}`,
  accountId: BENCH_ACCOUNT,
  regions: [BENCH_REGION],
  attribution: 'identity',
  inferenceProfiles: {},
  principalArns: [tenantRole(i)],
  alarmPrefix: `bedrock-bench-${i}-`,
  budgetName: `bedrock-bench-${i}`,
}));

/** The stand-in with the synthetic day, in a child process; resolves once it listens. */
async function startSource(upstream: string, text: boolean) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'lib/identityLogsSource.ts'),
      '--upstream',
      upstream,
      '--records-per-day',
      String(PER_DAY),
      '--day-start',
      String(DAY_START),
      '--tenants',
      String(TENANTS),
      ...(text ? ['--text'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`source exited ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { endpoint } = JSON.parse(line) as { endpoint: string };
  return {
    endpoint,
    stop: () =>
      new Promise<void>(resolve => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Result {
  scenario: string;
  wallS: number;
  rssMb: number;
  rssDeltaMb: number;
  heapMb: number;
  queries: number;
  records: number;
  bytes: number;
  rows: number;
}

async function measure(
  scenario: string,
  motoEndpoint: string,
  text: boolean,
): Promise<Result> {
  const source = await startSource(motoEndpoint, text);
  try {
    const clients = AwsClientFactory.create({
      credentials: async () => async () => ({
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'x',
      }),
      endpoint: motoEndpoint,
      logsEndpoint: source.endpoint,
      maxAttempts: 1,
      requestTimeoutMs: 120_000,
    });
    const reader = IdentityLogReader.create({ clients });
    const base = process.memoryUsage();
    const peak = { rss: base.rss, heap: base.heapUsed };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed);
    }, 20);
    let rows = 0;
    const started = performance.now();
    await reader.collect({
      accountId: BENCH_ACCOUNT,
      region: BENCH_REGION,
      tenants,
      from: DAY_START,
      to: DAY_START + DAY,
      windowHours: 24,
      onWindow: async (_from, _to, r) => {
        rows += r.length;
      },
    });
    const wallS = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const s = reader.statistics;
    return {
      scenario,
      wallS,
      rssMb: peak.rss / MB,
      rssDeltaMb: (peak.rss - base.rss) / MB,
      heapMb: peak.heap / MB,
      queries: s.queries,
      records: s.recordsScanned,
      bytes: s.bytesScanned,
      rows,
    };
  } finally {
    await source.stop();
  }
}

async function main() {
  const moto = await startMoto();
  try {
    const clients = AwsClientFactory.create({
      credentials: async () => async () => ({
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'x',
      }),
      endpoint: moto.endpoint,
      maxAttempts: 1,
    });
    const { bedrock } = await clients.forTarget(BENCH_ACCOUNT, BENCH_REGION);
    await bedrock.send(
      new PutModelInvocationLoggingConfigurationCommand({
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName: 'bedrock-invocations',
            roleArn: `arn:aws:iam::${BENCH_ACCOUNT}:role/bedrock-logging`,
          },
        },
      }),
    );
    const results = [
      await measure('no text logging', moto.endpoint, false),
      await measure('text logging on', moto.endpoint, true),
    ];
    print(results);
    // a run that scanned other records than the day's, or mapped none to a tenant, is broken
    for (const r of results) {
      if (r.records !== PER_DAY || r.rows === 0 || r.queries < 1)
        throw new Error(
          `${r.scenario}: scanned ${r.records} of ${PER_DAY} records in ${r.queries} queries, ${r.rows} rows`,
        );
    }
  } finally {
    await moto.stop();
  }
}

function print(results: Result[]) {
  const n = (x: number, d = 0) =>
    x.toLocaleString('en-US', {
      minimumFractionDigits: d,
      maximumFractionDigits: d,
    });
  const header = [
    'scenario',
    'records/day',
    'bytes/record',
    'queries',
    'rows',
    'wall s',
    'peak RSS MB (+Δ)',
    'peak heap MB',
    'GB scanned/day',
    'FilterLogEvents reader held MB',
    'USD/month (account-region)',
    `USD per tenant-month (${TENANTS} tenants)`,
  ];
  const lines = results.map(r => {
    const gbPerDay = r.bytes / 1e9;
    const usdMonth = gbPerDay * SCANS_PER_HOUR * 30 * USD_PER_GB;
    return [
      r.scenario,
      n(r.records),
      n(r.bytes / Math.max(1, r.records)),
      n(r.queries),
      n(r.rows),
      n(r.wallS, 1),
      `${n(r.rssMb)} (+${n(r.rssDeltaMb)})`,
      n(r.heapMb),
      n(gbPerDay, 3),
      n(r.bytes / MB),
      n(usdMonth, 4),
      n(usdMonth / TENANTS, 5),
    ];
  });
  const table = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...table.map(l => l[i].length)));
  const row = (l: string[]) =>
    `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(row(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(row(l));
  console.log(
    `\nAssumptions: ${n(
      PER_DAY,
    )} invocation-log records a day in one account-region, ` +
      `${TENANTS} identity tenants sharing it (90 % of the calls, 10 % other callers), ` +
      `4 models, 500 sessions per role, 3 % errors. Every hour is scanned ${SCANS_PER_HOUR} ` +
      `times (fetch every ${args['fetch-every-hours']} h, refetch ${args['refetch-hours']} h), ` +
      `30 days a month, USD ${USD_PER_GB} per GB (10^9 bytes) scanned; bytes scanned = UTF-8 ` +
      `size of the records (what the stand-in counts). "FilterLogEvents reader held" is the ` +
      `size of the records the previous reader downloaded and kept for one 24 h window.`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
