import {
  accountPolicySeries,
  guardrailPolicySeries,
  GuardrailSeries,
  pickSeries,
  totalSeries,
} from './guardrailMetrics';

const ARN = 'arn:aws:bedrock:us-east-1:123456789012:guardrail/abc';
const s = (metric: string, dimensions: Record<string, string>) => ({
  metric,
  dimensions,
});

describe('guardrail series selection', () => {
  const series: GuardrailSeries[] = [
    s('Invocations', { GuardrailArn: ARN, GuardrailVersion: '1' }),
    s('Invocations', { GuardrailArn: ARN, GuardrailVersion: '2' }),
    // the same invocations split by operation as well: a second set, not summed
    s('Invocations', {
      GuardrailArn: ARN,
      GuardrailVersion: '2',
      Operation: 'ApplyGuardrail',
    }),
    s('Invocations', { GuardrailArn: 'other', GuardrailVersion: '1' }),
    s('InvocationsIntervened', {
      GuardrailArn: ARN,
      GuardrailVersion: '1',
      GuardrailContentSource: 'INPUT',
    }),
    s('InvocationsIntervened', { GuardrailPolicyType: 'ContentPolicy' }),
    s('InvocationsIntervened', {
      GuardrailPolicyType: 'ContentPolicy',
      Operation: 'ApplyGuardrail',
    }),
    s('LegacyMetric', { GuardrailArn: ARN, GuardrailVersion: '1' }),
  ];

  it("sums one guardrail's versions in one dimension set per metric, nothing split by content source", () => {
    expect(totalSeries(series, ARN)).toEqual([series[0], series[1]]);
  });

  it('takes the account-wide policy series from one dimension set only', () => {
    expect(accountPolicySeries(series)).toEqual([series[5]]);
    expect(guardrailPolicySeries(series, ARN)).toEqual([]);
  });

  it('ignores metrics it does not read', () => {
    expect(
      pickSeries(series, ['GuardrailArn', 'GuardrailVersion'], () => true).map(
        x => x.metric,
      ),
    ).not.toContain('LegacyMetric');
  });
});
