/*
 * Synthetic Bedrock invocation logs for bench/identityLogs.ts, and the process that serves them
 * through the Logs Insights stand-in of @bedrock-tenancy/aws-emulator. Seeding a million records
 * into moto is too slow, so the events are generated (deterministically, from their index) as
 * the stand-in scans them; nothing is stored, and this runs in its own process so that the
 * benchmark's memory figures are the backend's alone.
 *
 *   node --import tsx bench/lib/identityLogsSource.ts --upstream URL --records-per-day N
 *        --day-start MS --tenants T [--text]
 * prints one JSON line { endpoint } on stdout once it listens, and serves until killed.
 */
import { parseArgs } from 'node:util';
import {
  InsightsEvent,
  LogEventSource,
  startLogsInsightsStandIn,
} from '@bedrock-tenancy/aws-emulator';

export const BENCH_ACCOUNT = '123456789012';
export const BENCH_REGION = 'us-east-1';
const DAY = 86_400_000;
const MODELS = [
  'us.anthropic.claude-3-haiku-20240307-v1:0',
  'us.anthropic.claude-sonnet-4-20250514-v1:0',
  'amazon.nova-lite-v1:0',
  'meta.llama3-1-8b-instruct-v1:0',
];
/** a prompt and an answer of a few KB, what text data delivery puts in every record */
const PROMPT =
  'Summarise the following support ticket for the on-call engineer. '.repeat(
    40,
  );
const ANSWER =
  'The customer reports intermittent timeouts on checkout; '.repeat(16);

/** per mille: 2 % throttled, 0.5 % server errors, 0.5 % client errors */
const ERRORS = [
  ...Array<string>(20).fill('ThrottlingException'),
  ...Array<string>(5).fill('InternalServerException'),
  ...Array<string>(5).fill('ValidationException'),
];

/** The role of tenant `i`: one role per tenant. */
export const tenantRole = (i: number) =>
  `arn:aws:iam::${BENCH_ACCOUNT}:role/bench-tenant-${i}`;

/** 32-bit mix of an index: the same record on every run. */
function mix(i: number): number {
  let x = (i + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Record `i` of the day starting at `dayStart`: 90 % tenants' calls, 10 % other callers. */
export function syntheticRecord(
  i: number,
  o: { dayStart: number; perDay: number; tenants: number; text: boolean },
): InsightsEvent {
  const h = mix(i);
  const at = o.dayStart + Math.floor((i * DAY) / o.perDay);
  const tenant = h % 10 === 9 ? undefined : (h >>> 4) % o.tenants;
  const role =
    tenant === undefined ? `other-app-${h % 7}` : `bench-tenant-${tenant}`;
  const r = (h >>> 8) % 1000;
  const errorCode: string | undefined = ERRORS[r];
  const input = 200 + (h % 1800);
  const message = JSON.stringify({
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: new Date(at).toISOString(),
    accountId: BENCH_ACCOUNT,
    region: BENCH_REGION,
    requestId: `6f1c${h.toString(16).padStart(8, '0')}-7a2b-4c9d-8e0f-${i
      .toString(16)
      .padStart(12, '0')}`,
    operation: 'Converse',
    modelId: MODELS[(h >>> 12) % MODELS.length],
    identity: {
      arn: `arn:aws:sts::${BENCH_ACCOUNT}:assumed-role/${role}/session-${
        (h >>> 16) % 500
      }`,
    },
    ...(errorCode ? { errorCode } : {}),
    input: {
      inputContentType: 'application/json',
      ...(o.text
        ? {
            inputBodyJson: {
              messages: [{ role: 'user', content: [{ text: PROMPT }] }],
            },
          }
        : {}),
      inputTokenCount: errorCode ? 0 : input,
      ...(h % 4 === 0 ? { cacheReadInputTokenCount: input * 2 } : {}),
      ...(h % 16 === 1 ? { cacheWriteInputTokenCount: input } : {}),
    },
    output: {
      outputContentType: 'application/json',
      ...(o.text
        ? {
            outputBodyJson: {
              output: { message: { content: [{ text: ANSWER }] } },
            },
          }
        : {}),
      outputTokenCount: errorCode ? 0 : 50 + (h % 450),
    },
  });
  return { timestamp: at, message };
}

/** Every synthetic record in [startMs, endMs], generated one at a time. */
export function syntheticSource(o: {
  dayStart: number;
  perDay: number;
  tenants: number;
  text: boolean;
}): LogEventSource {
  return async function* events({ startMs, endMs }) {
    const first = Math.max(
      0,
      Math.ceil(((startMs - o.dayStart) * o.perDay) / DAY),
    );
    for (let i = first; i < o.perDay; i++) {
      const e = syntheticRecord(i, o);
      if (e.timestamp > endMs) return;
      if (e.timestamp >= startMs) yield e;
    }
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      upstream: { type: 'string' },
      'records-per-day': { type: 'string' },
      'day-start': { type: 'string' },
      tenants: { type: 'string' },
      text: { type: 'boolean', default: false },
    },
  });
  const standIn = await startLogsInsightsStandIn({
    upstream: values.upstream!,
    source: syntheticSource({
      dayStart: Number(values['day-start']),
      perDay: Number(values['records-per-day']),
      tenants: Number(values.tenants),
      text: Boolean(values.text),
    }),
  });
  process.stdout.write(`${JSON.stringify({ endpoint: standIn.endpoint })}\n`);
}

if (process.argv[1]?.endsWith('identityLogsSource.ts')) {
  main().catch(e => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  });
}
