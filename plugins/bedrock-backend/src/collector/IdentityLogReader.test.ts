import {
  BedrockClient,
  GetModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  GetQueryResultsCommand,
  ResultField,
  StartQueryCommand,
  StartQueryCommandInput,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import {
  DEFAULT_PRICES,
  findPrice,
  priceTokens,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { mockClient } from 'aws-sdk-client-mock';
import { HourlyUsageRow } from '../database/types';
import { testTenant } from '../__testUtils__/tenants';
import { IdentityLogReader, roleArnOf } from './IdentityLogReader';
import {
  addResultRows,
  cacheWritesByTtl,
  identityQuery,
} from './IdentityLogReaderQuery';

const ACCOUNT = '123456789012';
const HOUR = 3_600_000;
const FROM = Date.parse('2026-11-20T10:00:00Z');

const tenant = testTenant({
  tenantId: 'labels',
  accountId: ACCOUNT,
  attribution: 'identity',
  principalArns: [`arn:aws:iam::${ACCOUNT}:role/team/workers`],
});

const row = (f: Record<string, string | number>): ResultField[] =>
  Object.entries(f).map(([field, value]) => ({ field, value: String(value) }));

const haiku = 'us.anthropic.claude-3-haiku-20240307-v1:0';
const session = (name: string) =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/workers/${name}`;

describe('identity attribution query', () => {
  it('maps assumed-role ARNs, with or without the session, to their role', () => {
    expect(roleArnOf(session('s1'))).toBe(
      `arn:aws:iam::${ACCOUNT}:role/workers`,
    );
    expect(roleArnOf(`arn:aws:sts::${ACCOUNT}:assumed-role/workers`)).toBe(
      `arn:aws:iam::${ACCOUNT}:role/workers`,
    );
    expect(roleArnOf(`arn:aws:iam::${ACCOUNT}:user/alice`)).toBe(
      `arn:aws:iam::${ACCOUNT}:user/alice`,
    );
  });

  it('aggregates in Logs Insights by role, model, error code and hour, for the tenants only', () => {
    expect(identityQuery({ tenants: [tenant], from: FROM, to: FROM + HOUR }))
      .toBe(`filter toMillis(@timestamp) >= ${FROM} and toMillis(@timestamp) < ${
      FROM + HOUR
    }
| parse identity.arn /^(?<assumedRole>arn:[^:]+:sts::\\d{12}:assumed-role\\/[^\\/]+)\\//
| fields @timestamp, modelId, errorCode, input.inputTokenCount, output.outputTokenCount, input.cacheReadInputTokenCount, input.cacheWriteInputTokenCount, coalesce(assumedRole, identity.arn) as principal, coalesce(output.outputBodyJson.usage.cacheDetails.0.ttl, "-") as ttl0, coalesce(output.outputBodyJson.usage.cacheDetails.1.ttl, "-") as ttl1
| filter principal in ["arn:aws:iam::${ACCOUNT}:role/team/workers", "arn:aws:sts::${ACCOUNT}:assumed-role/workers"]
| stats count(*) as calls, sum(input.inputTokenCount) as inputTokens, sum(output.outputTokenCount) as outputTokens, sum(input.cacheReadInputTokenCount) as cacheReadTokens, sum(input.cacheWriteInputTokenCount) as cacheWriteTokens, sum(output.outputBodyJson.usage.cacheDetails.0.inputTokens) as ttlTokens0, sum(output.outputBodyJson.usage.cacheDetails.1.inputTokens) as ttlTokens1, sum(output.outputBodyJson.usage.cache_creation.ephemeral_1h_input_tokens) as messagesTokens1h by principal, modelId, errorCode, ttl0, ttl1, bin(1h)`);
  });

  it('leaves the caller filter out when the tenants name too many principals', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      ...tenant,
      tenantId: `t${i}`,
      principalArns: [`arn:aws:iam::${ACCOUNT}:role/tenant-role-${i}`],
    }));
    const q = identityQuery({ tenants: many, from: FROM, to: FROM + HOUR });
    expect(q).not.toContain(' in [');
    expect(q.length).toBeLessThan(10_000);
  });

  it('turns result rows into hourly rows: errors split, sessions merged, other callers dropped', () => {
    const rows = new Map<string, HourlyUsageRow>();
    const bin = '2026-11-20 10:00:00.000';
    const principal = `arn:aws:sts::${ACCOUNT}:assumed-role/workers`;
    const common = { principal, modelId: haiku, 'bin(1h)': bin };
    addResultRows({
      accountId: ACCOUNT,
      region: 'us-east-1',
      tenants: [tenant],
      from: FROM,
      to: FROM + 2 * HOUR,
      rows,
      results: [
        row({ ...common, calls: 2, inputTokens: 200, outputTokens: 40 }),
        row({ ...common, calls: 1, cacheReadTokens: 7, cacheWriteTokens: 3 }),
        row({ ...common, errorCode: 'ThrottlingException', calls: 3 }),
        row({ ...common, errorCode: 'ModelTimeoutException', calls: 4 }),
        row({ ...common, errorCode: 'ValidationException', calls: 5 }),
        row({
          ...common,
          principal: session('x').replace('workers', 'other'),
          calls: 9,
        }),
        row({ ...common, 'bin(1h)': '2026-11-20 11:00:00.000', calls: 6 }),
        row({ ...common, 'bin(1h)': '2026-11-20 12:00:00.000', calls: 8 }),
      ],
    });
    expect([...rows.values()]).toEqual([
      expect.objectContaining({
        tenantId: 'labels',
        accountId: ACCOUNT,
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        hour: '2026-11-20T10:00:00.000Z',
        invocations: 3,
        throttles: 3,
        serverErrors: 4,
        clientErrors: 5,
        inputTokens: 200,
        outputTokens: 40,
        cacheReadTokens: 7,
        cacheWriteTokens: 3,
      }),
      expect.objectContaining({
        hour: '2026-11-20T11:00:00.000Z',
        invocations: 6,
        inputTokens: 0,
      }),
    ]);
  });
});

describe('cache writes by TTL', () => {
  it('splits the writes each group names by TTL, the rest at 5 minutes, and prices each at its rate', () => {
    const rows = new Map<string, HourlyUsageRow>();
    const common = {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/workers`,
      modelId: haiku,
      'bin(1h)': '2026-11-20 10:00:00.000',
    };
    addResultRows({
      accountId: ACCOUNT,
      region: 'us-east-1',
      tenants: [tenant],
      from: FROM,
      to: FROM + HOUR,
      rows,
      results: [
        // Converse records with both TTLs (1h listed first): 600K 1-hour, 400K 5-minute
        row({
          ...common,
          calls: 2,
          cacheWriteTokens: 1_000_000,
          ttl0: '1h',
          ttlTokens0: 600_000,
          ttl1: '5m',
          ttlTokens1: 400_000,
        }),
        // a 5-minute write only
        row({
          ...common,
          calls: 1,
          cacheWriteTokens: 200_000,
          ttl0: '5m',
          ttlTokens0: 200_000,
          ttl1: '-',
        }),
        // InvokeModel (Anthropic Messages API): 300K 1-hour of 500K written
        row({
          ...common,
          calls: 1,
          cacheWriteTokens: 500_000,
          ttl0: '-',
          ttl1: '-',
          messagesTokens1h: 300_000,
        }),
        // a record that says nothing of its TTL: 5 minutes, as CloudWatch is priced
        row({ ...common, calls: 1, cacheWriteTokens: 100_000 }),
      ],
    });
    const [r] = [...rows.values()];
    expect([r.cacheWriteTokens, r.cacheWrite1hTokens]).toEqual([
      400_000 + 200_000 + 200_000 + 100_000,
      600_000 + 300_000,
    ]);
    // Claude 3 Haiku, input USD 0.25/M: 900K x 0.3125/M + 900K x 0.50/M = 0.28125 + 0.45
    const price = findPrice(
      DEFAULT_PRICES,
      r.modelId,
      'us-east-1',
      '2026-11-20',
    )!;
    expect(priceTokens(price, r)).toBeCloseTo(0.73125, 9);
  });

  it('never counts more 1-hour writes than the record counts writes, and counts named ones the count missed', () => {
    expect(
      cacheWritesByTtl({
        cacheWriteTokens: '100',
        ttl0: '1h',
        ttlTokens0: '100',
      }),
    ).toEqual({ fiveMinute: 0, oneHour: 100 });
    expect(
      cacheWritesByTtl({
        ttl0: '1h',
        ttlTokens0: '70',
        ttl1: '5m',
        ttlTokens1: '30',
      }),
    ).toEqual({ fiveMinute: 0, oneHour: 70 });
    expect(
      cacheWritesByTtl({
        cacheWriteTokens: '50',
        ttl0: 'forever',
        ttlTokens0: '50',
      }),
    ).toEqual({ fiveMinute: 50, oneHour: 0 });
  });
});

describe('IdentityLogReader (mocked CloudWatch Logs)', () => {
  const logs = mockClient(CloudWatchLogsClient);
  const bedrock = mockClient(BedrockClient);
  const clients = AwsClientFactory.create({
    credentials: async () => async () => ({
      accessKeyId: 'AKIA',
      secretAccessKey: 'x',
    }),
  });
  const sleeps: number[] = [];
  const reader = () =>
    IdentityLogReader.create({
      clients,
      pollMs: 100,
      maxPollMs: 400,
      maxWaitMs: 2_000,
      sleep: async ms => {
        sleeps.push(ms);
      },
    });

  beforeEach(() => {
    logs.reset();
    bedrock.reset();
    sleeps.length = 0;
    bedrock.on(GetModelInvocationLoggingConfigurationCommand).resolves({
      loggingConfig: {
        cloudWatchConfig: {
          logGroupName: 'invocations',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/logging`,
        },
      },
    });
  });

  const collect = async (r: IdentityLogReader, hours: number) => {
    const windows: Array<[number, number, HourlyUsageRow[]]> = [];
    await r.collect({
      accountId: ACCOUNT,
      region: 'us-east-1',
      tenants: [tenant],
      from: FROM,
      to: FROM + hours * HOUR,
      windowHours: 24,
      onWindow: async (from, to, rows) => {
        windows.push([from, to, rows]);
      },
    });
    return windows;
  };

  it('polls until Complete, records the statistics and never reads log events', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Scheduled' })
      .resolvesOnce({ status: 'Running' })
      .resolves({
        status: 'Complete',
        statistics: {
          recordsScanned: 50,
          recordsMatched: 5,
          bytesScanned: 9e3,
        },
        results: [
          row({
            principal: session('a'),
            modelId: haiku,
            'bin(1h)': '2026-11-20 10:00:00.000',
            calls: 5,
            inputTokens: 10,
          }),
        ],
      });
    const r = reader();
    const windows = await collect(r, 3);
    expect(windows).toHaveLength(1);
    expect(windows[0][2]).toEqual([
      expect.objectContaining({ invocations: 5, inputTokens: 10 }),
    ]);
    expect(sleeps).toEqual([100, 200]);
    const start = logs.commandCalls(StartQueryCommand)[0].args[0].input;
    expect(start).toMatchObject({
      logGroupName: 'invocations',
      startTime: FROM / 1000,
      endTime: (FROM + 3 * HOUR) / 1000,
      limit: 10_000,
    });
    expect(r.statistics).toEqual({
      queries: 1,
      recordsScanned: 50,
      recordsMatched: 5,
      bytesScanned: 9e3,
    });
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
    expect(logs.commandCalls(GetLogEventsCommand)).toHaveLength(0);
  });

  it('splits a window whose answer reaches 10,000 rows and merges the halves exactly', async () => {
    const ranges: Array<[number, number]> = [];
    let n = 0;
    logs.on(StartQueryCommand).callsFake((input: StartQueryCommandInput) => {
      ranges.push([input.startTime! * 1000, input.endTime! * 1000]);
      return { queryId: `q${n++}` };
    });
    // the whole day and its first half are "full"; every other range answers 1 call per hour
    logs.on(GetQueryResultsCommand).callsFake(({ queryId }) => {
      const [from, to] = ranges[Number(queryId.slice(1))];
      const full = to - from > 6 * HOUR;
      const hours = (to - from) / HOUR;
      const results = Array.from({ length: full ? 10_000 : hours }, (_, i) =>
        row({
          principal: session(`s${i}`),
          modelId: haiku,
          'bin(1h)': new Date(from + (i % hours) * HOUR)
            .toISOString()
            .replace('T', ' ')
            .replace('Z', ''),
          calls: 1,
        }),
      );
      return { status: 'Complete', results };
    });
    const windows = await collect(reader(), 24);
    // 24 h full -> 12 h full -> 6 h + 6 h, then the second 12 h full -> 6 h + 6 h
    expect(
      ranges.map(([a, b]) => [(a - FROM) / HOUR, (b - FROM) / HOUR]),
    ).toEqual([
      [0, 24],
      [0, 12],
      [0, 6],
      [6, 12],
      [12, 24],
      [12, 18],
      [18, 24],
    ]);
    expect(windows).toHaveLength(1);
    expect(windows[0][2]).toHaveLength(24);
    expect(windows[0][2].every(r => r.invocations === 1)).toBe(true);
  });

  it('fails the window with a clear error when the query fails or never completes', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q1' });
    logs.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    await expect(collect(reader(), 1)).rejects.toThrow(
      /Logs Insights query q1 on invocations in 123456789012\/us-east-1 over \[2026-11-20T10:00:00.000Z, 2026-11-20T11:00:00.000Z\) ended Failed/,
    );

    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).resolves({ success: true });
    await expect(collect(reader(), 1)).rejects.toThrow(
      /still Running .*stopped/,
    );
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(1);
    // bounded: 100 + 200 + 400 + 400 + 400 + 400 + 400 ms waited, then stopped
    expect(sleeps.slice(-7)).toEqual([100, 200, 400, 400, 400, 400, 400]);
  });

  it('scans nothing when no tenant names a principal, and still closes the windows', async () => {
    const windows: number[] = [];
    await reader().collect({
      accountId: ACCOUNT,
      region: 'us-east-1',
      tenants: [{ ...tenant, principalArns: [] }],
      from: FROM,
      to: FROM + 48 * HOUR,
      windowHours: 24,
      onWindow: async (from, _to, rows) => {
        expect(rows).toEqual([]);
        windows.push(from);
      },
    });
    expect(windows).toEqual([FROM, FROM + 24 * HOUR]);
    expect(logs.calls()).toHaveLength(0);
    expect(bedrock.calls()).toHaveLength(0);
  });

  it('refuses rows without the stats, as an endpoint ignoring them answers', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({
      status: 'Complete',
      results: [row({ '@ptr': 'abc' })],
    });
    await expect(collect(reader(), 1)).rejects.toThrow(
      /does not evaluate stats/,
    );
  });

  it('refuses to split below a minute', async () => {
    logs.on(StartQueryCommand).resolves({ queryId: 'q' });
    logs.on(GetQueryResultsCommand).resolves({
      status: 'Complete',
      results: Array.from({ length: 10_000 }, () => row({ calls: 1 })),
    });
    await expect(collect(reader(), 1)).rejects.toThrow(
      /10000 rows or more .* too many callers/,
    );
  });
});
