import type { GroupRollup } from '@bedrock-tenancy/plugin-bedrock-common';

/** The payments team: three tenants (one unpriced), one unannotated component. */
export const groupRollup: GroupRollup = {
  groupRef: 'group:default/payments',
  includeChildren: false,
  range: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-23T10:00:00.000Z' },
  totals: {
    tenants: 3,
    invocations: 20345,
    inputTokens: 20_000_000,
    outputTokens: 3_000_000,
    estimatedCostUsd: 70.25,
    monthToDateUsd: 70.25,
    projectedMonthEndUsd: 95.5,
    budgetLimitUsd: 150,
    alarmsInAlarm: 2,
    unpricedTenants: 1,
  },
  tenants: [
    {
      entityRef: 'component:default/fraud-scorer',
      title: 'Fraud scorer',
      tenantId: 'fraud-scorer',
      owner: 'group:default/payments',
      invocations: 5000,
      inputTokens: 5_000_000,
      outputTokens: 800_000,
      estimatedCostUsd: 29,
      monthToDateUsd: 29,
      projectedMonthEndUsd: 39.7,
      budgetLimitUsd: 100,
      budgetUsedFraction: 0.29,
      alarmsInAlarm: 1,
    },
    {
      entityRef: 'component:default/receipt-ocr',
      title: 'Receipt OCR',
      tenantId: 'receipt-ocr',
      owner: 'group:default/payments',
      invocations: 3000,
      inputTokens: 2_876_544,
      outputTokens: 545_679,
      estimatedCostUsd: null,
      monthToDateUsd: null,
      projectedMonthEndUsd: null,
      budgetLimitUsd: null,
      budgetUsedFraction: null,
      alarmsInAlarm: 0,
    },
    {
      entityRef: 'component:default/checkout-assistant',
      title: 'Checkout assistant',
      tenantId: 'checkout-assistant',
      owner: 'group:default/payments',
      invocations: 12345,
      inputTokens: 12_123_456,
      outputTokens: 1_654_321,
      estimatedCostUsd: 41.25,
      monthToDateUsd: 41.25,
      projectedMonthEndUsd: 55.8,
      budgetLimitUsd: 50,
      budgetUsedFraction: 0.825,
      alarmsInAlarm: 1,
    },
  ],
  unannotated: [
    {
      entityRef: 'component:default/legacy-billing',
      title: 'legacy-billing',
      kind: 'Component',
    },
  ],
  unverified: [
    {
      entityRef: 'component:default/checkout-copy',
      title: 'Checkout copy',
      kind: 'Component',
      reason:
        'Tenant checkout-assistant is bound to another entity, not to component:default/checkout-copy.',
    },
  ],
};

/** With the child groups: one more tenant from the payments-risk team. */
export const groupRollupWithChildren: GroupRollup = {
  ...groupRollup,
  includeChildren: true,
  totals: {
    ...groupRollup.totals,
    tenants: 4,
    invocations: 21345,
    estimatedCostUsd: 80.25,
    monthToDateUsd: 80.25,
  },
  tenants: [
    ...groupRollup.tenants,
    {
      entityRef: 'component:default/risk-explainer',
      title: 'Risk explainer',
      tenantId: 'risk-explainer',
      owner: 'group:default/payments-risk',
      invocations: 1000,
      inputTokens: 100_000,
      outputTokens: 10_000,
      estimatedCostUsd: 10,
      monthToDateUsd: 10,
      projectedMonthEndUsd: 13,
      budgetLimitUsd: null,
      budgetUsedFraction: null,
      alarmsInAlarm: 0,
    },
  ],
};

export const emptyRollup: GroupRollup = {
  ...groupRollup,
  totals: {
    tenants: 0,
    invocations: 0,
    inputTokens: 0,
    outputTokens: 0,
    estimatedCostUsd: 0,
    monthToDateUsd: 0,
    projectedMonthEndUsd: 0,
    budgetLimitUsd: 0,
    alarmsInAlarm: 0,
    unpricedTenants: 0,
  },
  tenants: [],
  unannotated: [],
  unverified: [],
};
