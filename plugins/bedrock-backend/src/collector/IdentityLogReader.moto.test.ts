import { PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  LogsInsightsStandIn,
  MotoServer,
  startLogsInsightsStandIn,
  startMoto,
} from '@bedrock-tenancy/aws-emulator';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { HourlyUsageRow } from '../database/types';
import { testTenant } from '../__testUtils__/tenants';
import { IdentityLogReader } from './IdentityLogReader';

jest.setTimeout(60_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const HOUR = 3_600_000;
// CloudWatch Logs (and moto) refuse events older than 14 days: two hours that closed recently
const H0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
const H1 = H0 + HOUR;
const TO = H0 + 2 * HOUR;
const HAIKU = 'us.anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

const tenant = (tenantId: string, role: string) =>
  testTenant({
    tenantId,
    accountId: ACCOUNT,
    regions: [REGION],
    attribution: 'identity',
    principalArns: [`arn:aws:iam::${ACCOUNT}:role/${role}`],
  });
const tenants = [tenant('alpha', 'alpha-app'), tenant('beta', 'beta-app')];

/** One invocation-log record (schema ModelInvocationLog 1.0), as Bedrock writes it. */
function record(o: {
  at: number;
  role: string;
  session?: string;
  model?: string;
  errorCode?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** Converse's usage.cacheDetails: the writes by TTL, 1h first */
  cacheDetails?: Array<{ ttl: '5m' | '1h'; inputTokens: number }>;
}) {
  return {
    timestamp: o.at,
    message: JSON.stringify({
      schemaType: 'ModelInvocationLog',
      schemaVersion: '1.0',
      timestamp: new Date(o.at).toISOString(),
      accountId: ACCOUNT,
      region: REGION,
      requestId: `r-${o.at}`,
      operation: 'Converse',
      modelId: o.model ?? HAIKU,
      identity: {
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${o.role}/${
          o.session ?? 's1'
        }`,
      },
      ...(o.errorCode ? { errorCode: o.errorCode } : {}),
      input: {
        inputContentType: 'application/json',
        // text data delivery on: the prompt is in the record
        inputBodyJson: { messages: [{ content: 'secret prompt' }] },
        inputTokenCount: o.input ?? 0,
        ...(o.cacheRead ? { cacheReadInputTokenCount: o.cacheRead } : {}),
        ...(o.cacheWrite ? { cacheWriteInputTokenCount: o.cacheWrite } : {}),
      },
      output: {
        outputBodyJson: {
          output: 'secret answer',
          ...(o.cacheDetails
            ? { usage: { cacheDetails: o.cacheDetails } }
            : {}),
        },
        outputTokenCount: o.output ?? 0,
      },
    }),
  };
}

const a = 'alpha-app';
const b = 'beta-app';
const EVENTS = [
  record({ at: H0 - 1, role: a, input: 1_000 }), // before the range
  record({
    at: H0,
    role: a,
    input: 100,
    output: 10,
    cacheRead: 5,
    cacheWrite: 2,
  }),
  record({ at: H0 + 60_000, role: a, session: 's2', input: 200, output: 20 }),
  record({
    at: H0 + 61_000,
    role: a,
    errorCode: 'ThrottlingException',
    input: 30,
  }),
  record({
    at: H0 + 62_000,
    role: a,
    session: 's3',
    errorCode: 'InternalServerException',
  }),
  record({ at: H0 + 63_000, role: a, errorCode: 'ModelTimeoutException' }),
  record({ at: H0 + 64_000, role: a, errorCode: 'ValidationException' }),
  record({
    at: H0 + 65_000,
    role: a,
    session: 's2',
    model: SONNET,
    input: 50,
    output: 5,
    cacheWrite: 40,
    cacheDetails: [
      { ttl: '1h', inputTokens: 30 },
      { ttl: '5m', inputTokens: 10 },
    ],
  }),
  record({
    at: H0 + 66_000,
    role: b,
    session: 's9',
    input: 7,
    output: 1,
    cacheRead: 3,
  }),
  record({ at: H0 + 67_000, role: 'intruder', input: 5_000, output: 500 }), // no tenant's
  record({ at: H1 + 1_000, role: a, input: 11, output: 1 }),
  record({ at: H1 + 2_000, role: b, errorCode: 'ServiceUnavailableException' }),
  record({ at: H1 + 3_000, role: b, input: 9, output: 2 }),
  record({ at: TO - 1, role: a, session: 's4', input: 1, output: 1 }), // last ms of the range
  record({ at: TO, role: a, input: 3_000 }), // first ms after it
];

// by hand, from the records above
const EXPECTED = [
  {
    tenantId: 'alpha',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    hour: H0,
    invocations: 2,
    throttles: 1,
    serverErrors: 2,
    clientErrors: 1,
    inputTokens: 330,
    outputTokens: 30,
    cacheReadTokens: 5,
    cacheWriteTokens: 2,
  },
  {
    tenantId: 'alpha',
    modelId: SONNET,
    hour: H0,
    invocations: 1,
    throttles: 0,
    serverErrors: 0,
    clientErrors: 0,
    inputTokens: 50,
    outputTokens: 5,
    cacheReadTokens: 0,
    // 40 written: 30 with the 1-hour TTL, 10 with 5 minutes
    cacheWriteTokens: 10,
    cacheWrite1hTokens: 30,
  },
  {
    tenantId: 'beta',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    hour: H0,
    invocations: 1,
    throttles: 0,
    serverErrors: 0,
    clientErrors: 0,
    inputTokens: 7,
    outputTokens: 1,
    cacheReadTokens: 3,
    cacheWriteTokens: 0,
  },
  {
    tenantId: 'alpha',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    hour: H1,
    invocations: 2,
    throttles: 0,
    serverErrors: 0,
    clientErrors: 0,
    inputTokens: 12,
    outputTokens: 2,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  },
  {
    tenantId: 'beta',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    hour: H1,
    invocations: 1,
    throttles: 0,
    serverErrors: 1,
    clientErrors: 0,
    inputTokens: 9,
    outputTokens: 2,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  },
].map(r => ({
  cacheWrite1hTokens: 0,
  ...r,
  hour: new Date(r.hour).toISOString(),
}));

const counters = (r: HourlyUsageRow) => ({
  tenantId: r.tenantId,
  modelId: r.modelId,
  hour: r.hour,
  invocations: r.invocations,
  throttles: r.throttles,
  serverErrors: r.serverErrors,
  clientErrors: r.clientErrors,
  inputTokens: r.inputTokens,
  outputTokens: r.outputTokens,
  cacheReadTokens: r.cacheReadTokens,
  cacheWriteTokens: r.cacheWriteTokens,
  cacheWrite1hTokens: r.cacheWrite1hTokens,
});
const sorted = <T extends { tenantId: string; modelId: string; hour: string }>(
  rows: T[],
) =>
  [...rows].sort((x, y) =>
    `${x.hour}${x.tenantId}${x.modelId}`.localeCompare(
      `${y.hour}${y.tenantId}${y.modelId}`,
    ),
  );

/** What Logs Insights scans for StartQuery [from, to): whole seconds, the end one included. */
const bytesIn = (from: number, to: number) =>
  EVENTS.filter(e => e.timestamp >= from && e.timestamp <= to + 999).reduce(
    (n, e) => n + Buffer.byteLength(e.message),
    0,
  );

describe('IdentityLogReader against moto and the Logs Insights stand-in', () => {
  let moto: MotoServer;
  let insights: LogsInsightsStandIn;
  const commands: string[] = [];
  let clients: AwsClientFactory;

  beforeAll(async () => {
    moto = await startMoto();
    // 10 result rows for the two hours: a limit of 8 makes the reader split the window
    insights = await startLogsInsightsStandIn({
      upstream: moto.endpoint,
      maxResultRows: 8,
    });
    clients = AwsClientFactory.create({
      credentials: async () => async () => ({
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'x',
      }),
      endpoint: moto.endpoint,
      logsEndpoint: insights.endpoint,
      maxAttempts: 1,
      onCall: call => {
        if (call.service === 'logs') commands.push(call.command);
      },
    });
    const aws = await clients.forTarget(ACCOUNT, REGION);
    const logGroupName = 'bedrock-invocations';
    await aws.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await aws.logs.send(
      new CreateLogStreamCommand({
        logGroupName,
        logStreamName: 'aws/bedrock/modelinvocations',
      }),
    );
    await aws.logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 'aws/bedrock/modelinvocations',
        logEvents: EVENTS,
      }),
    );
    await aws.bedrock.send(
      new PutModelInvocationLoggingConfigurationCommand({
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName,
            roleArn: `arn:aws:iam::${ACCOUNT}:role/bedrock-logging`,
          },
          textDataDeliveryEnabled: true,
        },
      }),
    );
  });

  afterAll(async () => {
    await insights?.stop();
    await moto?.stop();
  });

  beforeEach(() => {
    commands.length = 0;
  });

  it('collects the by-hand sums per tenant, model and hour, splitting a full answer', async () => {
    const reader = IdentityLogReader.create({
      clients,
      pollMs: 20,
      maxResultRows: 8,
    });
    const windows: Array<[number, number, HourlyUsageRow[]]> = [];
    const started = insights.counters.queriesStarted;
    await reader.collect({
      accountId: ACCOUNT,
      region: REGION,
      tenants,
      from: H0,
      to: TO,
      windowHours: 24,
      onWindow: async (from, to, rows) => {
        windows.push([from, to, rows]);
      },
    });
    expect(windows.map(([from, to]) => [from, to])).toEqual([[H0, TO]]);
    const rows = windows[0][2];
    expect(sorted(rows.map(counters))).toEqual(sorted(EXPECTED));
    expect(
      rows.every(r => r.accountId === ACCOUNT && r.region === REGION),
    ).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/secret|intruder/);

    // the two hours answered 10 rows (over the limit of 8): then each hour alone
    expect(insights.counters.queriesStarted - started).toBe(3);
    expect(insights.counters.maxRunning).toBe(1);
    expect(commands.filter(c => c === 'StartQuery')).toHaveLength(3);
    expect(commands).not.toContain('FilterLogEvents');
    expect(commands).not.toContain('GetLogEvents');
    expect(new Set(commands)).toEqual(
      new Set(['StartQuery', 'GetQueryResults']),
    );
    // the bytes of the events in each query's range, the full answer's included (it is billed)
    expect(reader.statistics).toEqual({
      queries: 3,
      recordsScanned: expect.any(Number),
      recordsMatched: expect.any(Number),
      bytesScanned: bytesIn(H0, TO) + bytesIn(H0, H1) + bytesIn(H1, TO),
    });
  });

  it('gives the same rows window by window', async () => {
    const reader = IdentityLogReader.create({
      clients,
      pollMs: 20,
      maxResultRows: 8,
    });
    const all: HourlyUsageRow[] = [];
    const windows: number[] = [];
    await reader.collect({
      accountId: ACCOUNT,
      region: REGION,
      tenants,
      from: H0,
      to: TO,
      windowHours: 1,
      onWindow: async (from, _to, rows) => {
        windows.push(from);
        all.push(...rows);
      },
    });
    expect(windows).toEqual([H0, H1]);
    expect(sorted(all.map(counters))).toEqual(sorted(EXPECTED));
    expect(reader.statistics.queries).toBe(2);
    expect(reader.statistics.recordsScanned).toBe(
      EVENTS.filter(e => e.timestamp >= H0 && e.timestamp <= TO + 999).length,
    );
  });
});
