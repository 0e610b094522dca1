import { DEFAULT_PRICES } from '@bedrock-tenancy/plugin-bedrock-common';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { modelsOf, seriesOf, totalsOf } from './usage';

// Expected dollars by hand from the price table (USD per 1K tokens): Claude 3 Haiku $0.00025 in,
// $0.00125 out, $0.000025 cache read, $0.0003125 cache write; Nova Pro $0.0008 in, $0.0032 out.
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const UNPRICED = 'cohere.command-r-v1:0';

const row = (
  hour: string,
  modelId: string,
  counts: Partial<HourlyUsageRow>,
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId: 't',
    accountId: '123456789012',
    region: 'us-east-1',
    modelId,
    hour,
  }),
  ...counts,
});

describe('totalsOf', () => {
  it('sums every count and prices each token kind at its own rate', () => {
    const t = totalsOf(DEFAULT_PRICES, [
      row('2026-11-20T10:00:00.000Z', HAIKU, {
        invocations: 100,
        inputTokens: 1_000_000, // $0.25
        outputTokens: 200_000, // $0.25
        cacheReadTokens: 2_000_000, // $0.05
        cacheWriteTokens: 160_000, // $0.05
        cacheWrite1hTokens: 100_000, // 1-hour TTL, 2x input: $0.05
        clientErrors: 3,
        serverErrors: 2,
        throttles: 4,
        latencyAvgMs: 1000,
        latencyMaxMs: 3000,
        latencyP99Ms: 2500,
      }),
      row('2026-11-20T11:00:00.000Z', NOVA_PRO, {
        invocations: 300,
        inputTokens: 500_000, // $0.40
        outputTokens: 250_000, // $0.80
        clientErrors: 5,
        throttles: 1,
        latencyAvgMs: 2000,
        latencyMaxMs: 2500,
        latencyP99Ms: 2600,
      }),
    ]);
    expect(t).toEqual({
      invocations: 400,
      inputTokens: 1_500_000,
      outputTokens: 450_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 160_000,
      cacheWrite1hTokens: 100_000,
      clientErrors: 8,
      serverErrors: 2,
      throttles: 5,
      // 10 errors of 410 attempts
      errorRate: 10 / 410,
      // weighted by invocations: (100 x 1000 + 300 x 2000) / 400
      latencyAvgMs: 1750,
      latencyMaxMs: 3000,
      latencyP99Ms: 2600,
      // neither hour streamed: not available
      streamingRequests: 0,
      ttftAvgMs: null,
      ttftP99Ms: null,
      estimatedCostUsd: expect.closeTo(
        0.25 + 0.25 + 0.05 + 0.05 + 0.05 + 0.4 + 0.8,
        9,
      ),
    });
  });

  it('averages time to first token over streaming requests, never over hours or models', () => {
    // by hand: 10 requests at 200 ms and 30 at 400 ms -> 14,000 / 40 = 350 ms (not 300);
    // Nova Pro's hour did not stream and adds nothing
    const rows = [
      row('2026-11-20T10:00:00.000Z', HAIKU, {
        invocations: 12,
        ttftAvgMs: 200,
        ttftRequests: 10,
        ttftP99Ms: 450,
      }),
      row('2026-11-20T11:00:00.000Z', HAIKU, {
        invocations: 35,
        ttftAvgMs: 400,
        ttftRequests: 30,
        ttftP99Ms: 900,
      }),
      row('2026-11-20T11:00:00.000Z', NOVA_PRO, { invocations: 50 }),
    ];
    const t = totalsOf(DEFAULT_PRICES, rows);
    expect([t.streamingRequests, t.ttftAvgMs, t.ttftP99Ms]).toEqual([
      40, 350, 900,
    ]);
    const byModel = Object.fromEntries(
      modelsOf(DEFAULT_PRICES, rows).map(m => [
        m.modelId,
        [m.streamingRequests, m.ttftAvgMs, m.ttftP99Ms],
      ]),
    );
    expect(byModel).toEqual({
      [HAIKU]: [40, 350, 900],
      [NOVA_PRO]: [0, null, null],
    });
    // p99 where the endpoint served none: not available, the average stays
    const noP99 = totalsOf(
      DEFAULT_PRICES,
      rows.map(r => ({ ...r, ttftP99Ms: null })),
    );
    expect([noP99.ttftAvgMs, noP99.ttftP99Ms]).toEqual([350, null]);
  });

  it('weights an hour with latency but no invocations as one call', () => {
    const t = totalsOf(DEFAULT_PRICES, [
      row('2026-11-20T10:00:00.000Z', HAIKU, { latencyAvgMs: 900 }),
      row('2026-11-20T11:00:00.000Z', HAIKU, {
        invocations: 3,
        latencyAvgMs: 100,
      }),
    ]);
    expect(t.latencyAvgMs).toBe(300);
  });

  it('has no error rate, latency or cost without traffic, and zero cost for idle priced rows', () => {
    expect(totalsOf(DEFAULT_PRICES, [])).toMatchObject({
      errorRate: null,
      latencyAvgMs: null,
      latencyMaxMs: null,
      latencyP99Ms: null,
      estimatedCostUsd: 0,
    });
    // errors alone make an error rate of 100%
    expect(
      totalsOf(DEFAULT_PRICES, [
        row('2026-11-20T10:00:00.000Z', HAIKU, { serverErrors: 2 }),
      ]).errorRate,
    ).toBe(1);
  });

  it('reports the cost as unknown, not as the priced part, when any traffic is unpriced', () => {
    const priced = row('2026-11-20T10:00:00.000Z', HAIKU, {
      invocations: 1,
      inputTokens: 1000,
    });
    for (const counts of [
      { invocations: 1 },
      { inputTokens: 10 },
      { outputTokens: 10 },
      // cache tokens are billed: the totals and the cost panel agree (one hasTraffic)
      { cacheReadTokens: 10 },
      { cacheWriteTokens: 10 },
    ]) {
      expect(
        totalsOf(DEFAULT_PRICES, [
          priced,
          row('2026-11-20T10:00:00.000Z', UNPRICED, counts),
        ]).estimatedCostUsd,
      ).toBeNull();
    }
    // an unpriced model without traffic changes nothing
    expect(
      totalsOf(DEFAULT_PRICES, [
        priced,
        row('2026-11-20T10:00:00.000Z', UNPRICED, {}),
      ]).estimatedCostUsd,
    ).toBeCloseTo(0.00025, 12);
  });
});

describe('latency figures', () => {
  it('leaves hours without latency out of the average, maximum and p99', () => {
    const t = totalsOf(DEFAULT_PRICES, [
      row('2026-11-20T09:00:00.000Z', HAIKU, {
        invocations: 1,
        latencyAvgMs: 100,
        latencyMaxMs: 300,
        latencyP99Ms: 2600,
      }),
      row('2026-11-20T10:00:00.000Z', HAIKU, {
        invocations: 1,
        latencyAvgMs: null,
        latencyMaxMs: null,
        latencyP99Ms: 2500,
      }),
    ]);
    expect(t.latencyAvgMs).toBe(100);
    expect(t.latencyMaxMs).toBe(300);
    expect(t.latencyP99Ms).toBe(2600);
    expect(
      totalsOf(DEFAULT_PRICES, [
        row('2026-11-20T10:00:00.000Z', HAIKU, { invocations: 4 }),
      ]),
    ).toMatchObject({
      latencyAvgMs: null,
      latencyMaxMs: null,
      latencyP99Ms: null,
    });
  });
});

describe('partly priced models', () => {
  // a price for us-east-1 only: the same model in us-west-2 is unpriced
  const prices = [
    {
      model: HAIKU,
      region: 'us-east-1',
      inputPer1k: 0.00025,
      outputPer1k: 0.00125,
      effectiveFrom: '2026-01-01',
      source: 'test',
    },
  ];
  const rows = [
    row('2026-11-20T10:00:00.000Z', HAIKU, {
      invocations: 1,
      inputTokens: 4000,
    }),
    {
      ...row('2026-11-20T10:00:00.000Z', HAIKU, { invocations: 1 }),
      region: 'us-west-2',
    },
  ];

  it('calls a model priced only where all of its traffic is priced', () => {
    const [m] = modelsOf(prices, rows);
    expect(m.priced).toBe(false);
    expect(m.estimatedCostUsd).toBeNull();
    expect(m.costShare).toBeNull();
  });

  it('gives a chart point no cost when any of its traffic is unpriced, in either order', () => {
    const range = {
      from: Date.parse('2026-11-20T00:00:00.000Z'),
      to: Date.parse('2026-11-20T12:00:00.000Z'),
    };
    expect(seriesOf(prices, rows, range).points[0].estimatedCostUsd).toBeNull();
    expect(
      seriesOf(prices, [...rows].reverse(), range).points[0].estimatedCostUsd,
    ).toBeNull();
    expect(
      seriesOf(prices, [rows[0]], range).points[0].estimatedCostUsd,
    ).toBeCloseTo(0.001, 12);
  });
});

describe('modelsOf', () => {
  it('lists models by cost with their share of the priced cost, unpriced last', () => {
    const models = modelsOf(DEFAULT_PRICES, [
      row('2026-11-20T10:00:00.000Z', HAIKU, { inputTokens: 1_000_000 }), // $0.25
      row('2026-11-20T11:00:00.000Z', HAIKU, { outputTokens: 200_000 }), // $0.25
      row('2026-11-20T10:00:00.000Z', NOVA_PRO, { outputTokens: 937_500 }), // $3.00
      row('2026-11-20T10:00:00.000Z', UNPRICED, {
        invocations: 5,
        inputTokens: 100,
      }),
    ]);
    expect(
      models.map(m => ({
        modelId: m.modelId,
        displayName: m.displayName,
        priced: m.priced,
        cost: m.estimatedCostUsd,
        share: m.costShare,
        invocations: m.invocations,
      })),
    ).toEqual([
      {
        modelId: NOVA_PRO,
        displayName: 'Nova Pro',
        priced: true,
        cost: expect.closeTo(3, 9),
        share: expect.closeTo(3 / 3.5, 9),
        invocations: 0,
      },
      {
        modelId: HAIKU,
        displayName: 'Claude 3 Haiku',
        priced: true,
        cost: expect.closeTo(0.5, 9),
        share: expect.closeTo(0.5 / 3.5, 9),
        invocations: 0,
      },
      {
        modelId: UNPRICED,
        displayName: UNPRICED,
        priced: false,
        cost: null,
        share: null,
        invocations: 5,
      },
    ]);
  });

  it('gives no share when nothing priced cost anything', () => {
    const [m] = modelsOf(DEFAULT_PRICES, [
      row('2026-11-20T10:00:00.000Z', HAIKU, { invocations: 1 }),
    ]);
    expect(m.estimatedCostUsd).toBe(0);
    expect(m.costShare).toBeNull();
  });
});

describe('seriesOf', () => {
  const rows = [
    row('2026-11-19T23:00:00.000Z', HAIKU, {
      invocations: 1,
      inputTokens: 4000, // $0.001
      latencyAvgMs: 100,
    }),
    row('2026-11-20T10:00:00.000Z', HAIKU, {
      invocations: 1,
      outputTokens: 800, // $0.001
      latencyAvgMs: 400,
      clientErrors: 1,
      serverErrors: 2,
      throttles: 3,
    }),
    row('2026-11-20T11:00:00.000Z', HAIKU, {
      invocations: 3,
      inputTokens: 8000, // $0.002
      latencyAvgMs: 200,
    }),
    row('2026-11-20T11:00:00.000Z', UNPRICED, { invocations: 2 }),
    row('2026-11-20T11:00:00.000Z', NOVA_PRO, { inputTokens: 1250 }), // $0.001
  ];

  it('buckets by hour up to two days, sorted by time then model', () => {
    const s = seriesOf(DEFAULT_PRICES, rows, {
      from: Date.parse('2026-11-18T12:00:00.000Z'),
      to: Date.parse('2026-11-20T12:00:00.000Z'),
    });
    expect(s.granularity).toBe('hour');
    expect(
      s.points.map(p => [
        p.timestamp,
        p.modelId,
        p.invocations,
        p.estimatedCostUsd === null
          ? null
          : Number(p.estimatedCostUsd.toFixed(9)),
      ]),
    ).toEqual([
      ['2026-11-19T23:00:00.000Z', HAIKU, 1, 0.001],
      ['2026-11-20T10:00:00.000Z', HAIKU, 1, 0.001],
      ['2026-11-20T11:00:00.000Z', NOVA_PRO, 0, 0.001],
      ['2026-11-20T11:00:00.000Z', HAIKU, 3, 0.002],
      ['2026-11-20T11:00:00.000Z', UNPRICED, 2, null],
    ]);
    expect(s.points[1]).toMatchObject({
      clientErrors: 1,
      serverErrors: 2,
      throttles: 3,
      outputTokens: 800,
      latencyAvgMs: 400,
    });
    expect(s.points).not.toContainEqual(
      expect.objectContaining({ latSum: expect.anything() }),
    );
  });

  it('buckets by UTC day beyond two days, weighting latency by invocations', () => {
    const s = seriesOf(DEFAULT_PRICES, rows, {
      from: Date.parse('2026-11-18T11:00:00.000Z'),
      to: Date.parse('2026-11-20T12:00:00.000Z'),
    });
    expect(s.granularity).toBe('day');
    const haiku = s.points.filter(p => p.modelId === HAIKU);
    expect(haiku.map(p => p.timestamp)).toEqual([
      '2026-11-19T00:00:00.000Z',
      '2026-11-20T00:00:00.000Z',
    ]);
    expect(haiku[1]).toMatchObject({
      invocations: 4,
      inputTokens: 8000,
      outputTokens: 800,
      // (1 x 400 + 3 x 200) / 4
      latencyAvgMs: 250,
      estimatedCostUsd: expect.closeTo(0.003, 12),
    });
    // an hour without latency leaves the average alone
    const novaDay = s.points.find(p => p.modelId === NOVA_PRO)!;
    expect(novaDay.latencyAvgMs).toBeNull();
  });
});
