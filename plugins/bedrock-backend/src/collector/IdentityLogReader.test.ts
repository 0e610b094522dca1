import { aggregateLogRecords, roleArnOf } from './IdentityLogReader';
import { Tenant } from '../tenant';

const tenant: Tenant = {
  tenantId: 'labels',
  entityRef: 'component:default/labels',
  accountId: '123456789012',
  regions: ['us-east-1'],
  attribution: 'identity',
  inferenceProfiles: {},
  principalArns: ['arn:aws:iam::123456789012:role/workers'],
  alarmPrefix: 'bedrock-labels-',
  budgetName: 'bedrock-labels',
};

const record = (extra: Record<string, unknown>) =>
  JSON.stringify({
    schemaType: 'ModelInvocationLog',
    timestamp: '2026-11-20T10:15:00Z',
    modelId: 'us.anthropic.claude-3-haiku-20240307-v1:0',
    identity: {
      arn: 'arn:aws:sts::123456789012:assumed-role/workers/session-1',
    },
    input: {
      inputTokenCount: 100,
      cacheReadInputTokenCount: 50,
      inputBodyJson: { prompt: 'secret' },
    },
    output: { outputTokenCount: 20 },
    ...extra,
  });

describe('invocation log aggregation', () => {
  it('maps assumed-role session ARNs to their role', () => {
    expect(roleArnOf('arn:aws:sts::123456789012:assumed-role/workers/s1')).toBe(
      'arn:aws:iam::123456789012:role/workers',
    );
    expect(roleArnOf('arn:aws:iam::123456789012:role/workers')).toBe(
      'arn:aws:iam::123456789012:role/workers',
    );
  });

  it('sums tokens and classifies errors per tenant, model and hour, ignoring other callers', () => {
    const rows = aggregateLogRecords({
      accountId: '123456789012',
      region: 'us-east-1',
      tenants: [tenant],
      messages: [
        record({}),
        record({ timestamp: '2026-11-20T10:59:59Z' }),
        record({ errorCode: 'ThrottlingException' }),
        record({ errorCode: 'ValidationException' }),
        record({ errorCode: 'InternalServerException' }),
        record({
          identity: { arn: 'arn:aws:iam::123456789012:role/someone-else' },
        }),
        record({ timestamp: '2026-11-20T11:00:00Z' }),
        'not json',
      ],
    });
    expect(rows).toEqual([
      expect.objectContaining({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        hour: '2026-11-20T10:00:00.000Z',
        invocations: 2,
        throttles: 1,
        clientErrors: 1,
        serverErrors: 1,
        inputTokens: 500,
        cacheReadTokens: 250,
        outputTokens: 100,
      }),
      expect.objectContaining({
        hour: '2026-11-20T11:00:00.000Z',
        invocations: 1,
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('secret');
  });
});
