import type { ChargebackExport } from '@bedrock-tenancy/plugin-bedrock-common';
import { CHARGEBACK_CSV_COLUMNS, chargebackCsv } from './chargebackCsv';
import { parseCsv } from '../__testUtils__/csv';

const NOVA = 'amazon.nova-pro-v1:0';
const model = (modelId: string, serviceTier: string, cost: number | null) => ({
  modelId,
  displayName: modelId,
  serviceTier,
  invocations: 1,
  inputTokens: 1000,
  outputTokens: 100,
  estimatedCostUsd: cost,
});

describe('the chargeback CSV', () => {
  it('gives each model row its service tier, and tenant and total rows none', () => {
    const e = {
      groupRef: 'group:default/team-a',
      month: '2026-11',
      range: {
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
      },
      includeChildren: false,
      groups: ['group:default/team-a'],
      currency: 'USD',
      generatedAt: '2026-12-01T00:00:00.000Z',
      totals: {
        invocations: 3,
        inputTokens: 3000,
        outputTokens: 300,
        estimatedCostUsd: 0.3,
        partial: true,
        billedCostUsd: null,
        budgetLimitUsd: null,
      },
      tenants: [
        {
          entityRef: 'component:default/alpha',
          title: 'Alpha',
          tenantId: 'alpha',
          owner: 'group:default/team-a',
          ownerParents: [],
          invocations: 3,
          inputTokens: 3000,
          outputTokens: 300,
          estimatedCostUsd: 0.3,
          costComplete: false,
          billedCostUsd: null,
          budgetLimitUsd: null,
          models: [
            model(NOVA, 'standard', 0.2),
            model(`${NOVA}+flex`, 'flex', 0.1),
            model(`${NOVA}+priority`, 'priority', null),
          ],
        },
      ],
      unreadableTenants: 0,
      unverified: [],
    } as unknown as ChargebackExport;
    const [header, ...rows] = parseCsv(chargebackCsv(e).replace(/^\uFEFF/, ''));
    expect(header).toEqual([...CHARGEBACK_CSV_COLUMNS]);
    const at = (row: string[], col: string) =>
      row[CHARGEBACK_CSV_COLUMNS.indexOf(col as any)];
    expect(
      rows.map(r => [
        at(r, 'row_type'),
        at(r, 'model_id'),
        at(r, 'service_tier'),
        at(r, 'cost_status'),
      ]),
    ).toEqual([
      ['model', NOVA, 'standard', 'estimated'],
      ['model', `${NOVA}+flex`, 'flex', 'estimated'],
      ['model', `${NOVA}+priority`, 'priority', 'unpriced'],
      ['tenant', '', '', 'partial'],
      ['total', '', '', 'partial'],
    ]);
  });
});
