import type {
  EntitySummary,
  ModelUsage,
  SeriesPoint,
} from '@bedrock-tenancy/plugin-bedrock-common';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const CUSTOM = 'arn:aws:bedrock:us-east-1:123456789012:custom-model/acme-ft';

const haiku: ModelUsage = {
  modelId: HAIKU,
  displayName: 'Claude 3 Haiku',
  priced: true,
  costShare: 0.25,
  invocations: 9000,
  inputTokens: 8_000_000,
  outputTokens: 1_200_000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  clientErrors: 40,
  serverErrors: 5,
  throttles: 12,
  errorRate: 45 / 9045,
  latencyAvgMs: 640,
  latencyMaxMs: 2900,
  latencyP99Ms: 2100,
  streamingRequests: 6000,
  ttftAvgMs: 210,
  ttftP99Ms: 480,
  estimatedCostUsd: 3.5,
  prices: [
    {
      origin: 'price-list',
      source:
        'AWS Price List API (AmazonBedrockFoundationModels, us-east-1, effective 2024-03-13)',
      effectiveFrom: '2024-03-13',
      region: 'us-east-1',
    },
  ],
};

const sonnet: ModelUsage = {
  modelId: SONNET,
  displayName: 'Claude 3.5 Sonnet',
  priced: true,
  costShare: 0.75,
  invocations: 3000,
  inputTokens: 4_000_000,
  outputTokens: 400_000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  clientErrors: 10,
  serverErrors: 15,
  throttles: 30,
  errorRate: 25 / 3025,
  latencyAvgMs: 1800,
  latencyMaxMs: 7400,
  latencyP99Ms: 6200,
  streamingRequests: 1000,
  ttftAvgMs: 530,
  ttftP99Ms: 1900,
  estimatedCostUsd: 10.5,
  // the operator's price took effect in the range
  prices: [
    {
      origin: 'built-in',
      source:
        'aws.amazon.com/bedrock/pricing (us-east-1 on-demand, transcribed 2025-07-20)',
      effectiveFrom: '2025-07-20',
      region: '*',
    },
    {
      origin: 'config',
      source: 'app-config bedrock.prices',
      effectiveFrom: '2026-11-18',
      region: '*',
    },
  ],
};

const custom: ModelUsage = {
  modelId: CUSTOM,
  displayName: 'acme-ft (custom)',
  priced: false,
  costShare: null,
  invocations: 345,
  inputTokens: 123_456,
  outputTokens: 54_321,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  clientErrors: 0,
  serverErrors: 0,
  throttles: 0,
  errorRate: 0,
  latencyAvgMs: 910,
  latencyMaxMs: 1500,
  latencyP99Ms: null,
  // no streaming traffic: time to first token not available
  streamingRequests: 0,
  ttftAvgMs: null,
  ttftP99Ms: null,
  estimatedCostUsd: null,
};

function series(): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let day = 17; day <= 23; day++) {
    const timestamp = `2026-11-${day}T00:00:00.000Z`;
    points.push(
      {
        timestamp,
        modelId: HAIKU,
        invocations: 1200 + day,
        inputTokens: 1_100_000,
        outputTokens: 170_000,
        clientErrors: 5,
        serverErrors: 1,
        throttles: 2,
        latencyAvgMs: 640,
        estimatedCostUsd: 0.5,
      },
      {
        timestamp,
        modelId: SONNET,
        invocations: 420,
        inputTokens: 570_000,
        outputTokens: 57_000,
        clientErrors: 1,
        serverErrors: 2,
        throttles: 4,
        latencyAvgMs: 1800,
        estimatedCostUsd: 1.5,
      },
    );
  }
  return points;
}

/** A busy tenant, seven days, three models (one unpriced), every panel available. */
export const entitySummary: EntitySummary = {
  tenant: {
    entityRef: 'component:default/checkout-assistant',
    tenantId: 'checkout-assistant',
    accountId: '123456789012',
    regions: ['us-east-1', 'eu-west-1'],
    attribution: 'account',
  },
  range: {
    from: '2026-11-16T10:00:00.000Z',
    to: '2026-11-23T10:00:00.000Z',
    granularity: 'day',
  },
  totals: {
    invocations: 12345,
    inputTokens: 12_123_456,
    outputTokens: 1_654_321,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    clientErrors: 50,
    serverErrors: 20,
    throttles: 42,
    errorRate: 70 / 12415,
    latencyAvgMs: 934.5,
    latencyMaxMs: 7400,
    latencyP99Ms: 5432,
    // (6000 x 210 + 1000 x 530) / 7000, weighted by streaming requests
    streamingRequests: 7000,
    ttftAvgMs: 1_790_000 / 7000,
    ttftP99Ms: 1900,
    estimatedCostUsd: null,
  },
  models: [haiku, custom, sonnet],
  series: series(),
  cost: {
    status: 'ok',
    data: {
      currency: 'USD',
      rangeEstimatedUsd: 14,
      monthToDateUsd: 41.25,
      projectedMonthEndUsd: 55.8,
      dailyRunRateUsd: 2,
      unpricedModels: [CUSTOM],
      daily: [
        { date: '2026-11-20', estimatedUsd: 1.9, billedUsd: 1.95 },
        { date: '2026-11-21', estimatedUsd: 2.1, billedUsd: 2.08 },
        { date: '2026-11-22', estimatedUsd: 2.0, billedUsd: null },
        { date: '2026-11-23', estimatedUsd: 0.8, billedUsd: null },
      ],
      anomaly: null,
      billed: { monthToDateUsd: 38.9, gapUsd: 2.35, asOf: '2026-11-22' },
      includes: ['on-demand model invocations in the tenant account'],
      assumptions: [
        'prompt-cache writes priced at the 5-minute rate (1.25x input)',
      ],
      excludes: [
        'traffic through the OpenAI-compatible bedrock-mantle endpoint',
        'provisioned throughput',
        'knowledge bases and agents',
      ],
    },
  },
  budget: {
    status: 'ok',
    data: {
      name: 'bedrock-checkout-assistant',
      limitUsd: 50,
      actualSpendUsd: 41.25,
      forecastedSpendUsd: 55.8,
      usedFraction: 0.825,
      runsOutOn: '2026-11-27',
      thresholds: [
        { percent: 80, type: 'ACTUAL', crossed: true },
        { percent: 100, type: 'FORECASTED', crossed: true },
        { percent: 100, type: 'ACTUAL', crossed: false },
      ],
    },
  },
  alarms: {
    status: 'ok',
    data: [
      {
        name: 'bedrock-checkout-assistant-throttles',
        state: 'ALARM',
        reason:
          'Threshold Crossed: 1 datapoint [42.0] was greater than the threshold (10.0).',
        updatedAt: '2026-11-23T08:15:00.000Z',
        metricName: 'InvocationThrottles',
        threshold: 10,
        region: 'us-east-1',
        consoleUrl:
          'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/bedrock-checkout-assistant-throttles',
      },
      {
        name: 'bedrock-checkout-assistant-errors',
        state: 'OK',
        reason:
          'Threshold Crossed: no datapoints were greater than the threshold.',
        updatedAt: '2026-11-20T12:00:00.000Z',
        metricName: 'InvocationServerErrors',
        threshold: 50,
        region: 'eu-west-1',
        consoleUrl:
          'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/bedrock-checkout-assistant-errors',
      },
    ],
  },
  governance: {
    status: 'ok',
    data: [
      {
        region: 'us-east-1',
        loggingEnabled: true,
        cloudWatchLogGroup: '/aws/bedrock/invocations',
        s3Bucket: 'acme-bedrock-logs',
        promptsLogged: true,
        deliveryFailures: { cloudWatch: 0, s3: 0 },
      },
      {
        region: 'eu-west-1',
        loggingEnabled: false,
        cloudWatchLogGroup: null,
        s3Bucket: null,
        promptsLogged: false,
        deliveryFailures: null,
      },
    ],
  },
  guardrails: {
    status: 'ok',
    data: [
      {
        region: 'us-east-1',
        guardrailId: 'k3v9q2m7x1ab',
        guardrailArn:
          'arn:aws:bedrock:us-east-1:123456789012:guardrail/k3v9q2m7x1ab',
        name: 'bedrock-checkout-assistant',
        version: '2',
        windowDays: 7,
        until: '2026-11-23T10:00:00.000Z',
        totals: { invocations: 4200, intervened: 63, textUnits: 9100 },
        byPolicy: {
          scope: 'account',
          policies: [
            { policyType: 'ContentPolicy', intervened: 41, textUnits: 9100 },
            {
              policyType: 'SensitiveInformationPolicy',
              intervened: 22,
              textUnits: 9100,
            },
          ],
        },
        notes: [
          'Per policy type: the whole account and region (the tenant owns this account).',
        ],
      },
    ],
  },
  idle: {
    idle: false,
    lastInvocationAt: '2026-11-23T09:58:00.000Z',
    thresholdDays: 14,
  },
  suggestions: [
    {
      kind: 'throttling',
      message:
        'Claude 3.5 Sonnet was throttled 30 times: ask for a quota increase.',
    },
  ],
  freshness: {
    dataUntil: '2026-11-23T10:00:00.000Z',
    lastCollectedAt: '2026-11-23T10:05:00.000Z',
    stale: false,
  },
};

/** A tenant that exists but has not been collected yet. */
export const emptySummary: EntitySummary = {
  ...entitySummary,
  totals: {
    ...entitySummary.totals,
    invocations: 0,
    inputTokens: 0,
    outputTokens: 0,
    clientErrors: 0,
    serverErrors: 0,
    throttles: 0,
    errorRate: null,
    latencyAvgMs: null,
    latencyMaxMs: null,
    latencyP99Ms: null,
    streamingRequests: 0,
    ttftAvgMs: null,
    ttftP99Ms: null,
    estimatedCostUsd: 0,
  },
  models: [],
  series: [],
  suggestions: [],
  idle: { idle: true, lastInvocationAt: null, thresholdDays: 14 },
  freshness: { dataUntil: null, lastCollectedAt: null, stale: true },
};

/** The same tenant with the cost and alarm panels failing on their own. */
export const partialSummary: EntitySummary = {
  ...entitySummary,
  cost: { status: 'error', message: 'Cost Explorer: AccessDeniedException' },
  alarms: {
    status: 'unavailable',
    message: 'CloudWatch alarms are not configured for this account',
  },
  freshness: { ...entitySummary.freshness, stale: true },
};
