import {
  ChargebackExport,
  splitServiceTier,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  CHARGEBACK_FOCUS_COLUMNS,
  chargebackFocusCsv,
  focusPublisher,
} from './chargebackFocus';
import { parseCsv } from '../__testUtils__/csv';

/** Every column FOCUS 1.2 defines (FOCUS_Spec, specification/columns), written out by hand. */
const FOCUS_1_2_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
];

/**
 * The columns this file has that the spec says MUST NOT be null on a "Usage" row that is not a
 * correction (ResourceType: because ResourceId is set).
 */
const NOT_NULL = [
  'BilledCost',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
];
/** The documented deviation: an unpriced row has no cost, shown empty, never 0. */
const COSTS = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'];

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const COMMAND_R = 'cohere.command-r-v1:0';
const SONNET_GLOBAL = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
const FORMULA_TITLE = '=HYPERLINK("http://evil","click")';

const model = (
  modelId: string,
  displayName: string,
  inputTokens: number,
  outputTokens: number,
  estimatedCostUsd: number | null,
) => ({
  modelId,
  displayName,
  serviceTier: splitServiceTier(modelId).tier,
  invocations: 10,
  inputTokens,
  outputTokens,
  estimatedCostUsd,
});

const tenant = (
  tenantId: string,
  title: string,
  billedCostUsd: number | null,
  models: ReturnType<typeof model>[],
) => ({
  entityRef: `component:default/${tenantId}`,
  title,
  tenantId,
  owner: 'group:default/team-a',
  ownerParents: ['group:default/dept', 'group:default/company'],
  invocations: 10 * models.length,
  inputTokens: models.reduce((s, m) => s + m.inputTokens, 0),
  outputTokens: models.reduce((s, m) => s + m.outputTokens, 0),
  estimatedCostUsd: models.reduce((s, m) => s + (m.estimatedCostUsd ?? 0), 0),
  costComplete: models.every(m => m.estimatedCostUsd !== null),
  billedCostUsd,
  budgetLimitUsd: null,
  models,
});

// February 2026 (28 days), exported on the 10th at 12:xx: the charge period ends at 13:00
const EXPORT: ChargebackExport = {
  groupRef: 'group:default/dept',
  month: '2026-02',
  range: { from: '2026-02-01T00:00:00.000Z', to: '2026-02-10T13:00:00.000Z' },
  includeChildren: true,
  groups: ['group:default/dept', 'group:default/team-a'],
  currency: 'USD',
  generatedAt: '2026-02-10T12:34:56.789Z',
  totals: {
    tenants: 3,
    invocations: 50,
    inputTokens: 3_201_000 + 500_000,
    outputTokens: 3_000_000,
    estimatedCostUsd: 6.625,
    monthToDateUsd: 0,
    projectedMonthEndUsd: 0,
    budgetLimitUsd: 0,
    alarmsInAlarm: 0,
    unpricedTenants: 1,
    partial: true,
    billedCostUsd: 8,
  },
  tenants: [
    // billed $3.00, every model priced: split 3.20 : 0.80 -> $2.40 + $0.60
    tenant('alpha', 'Alpha, the assistant', 3, [
      model(NOVA_PRO, 'Nova Pro', 0, 1_000_000, 3.2),
      model(HAIKU, 'Claude 3 Haiku', 3_200_000, 0, 0.8),
    ]),
    // billed $5.00 but partly unpriced: no split, estimates stay estimates
    tenant('beta', FORMULA_TITLE, 5, [
      model(HAIKU, 'Claude 3 Haiku', 0, 2_000_000, 2.5),
      model(COMMAND_R, 'cohere.command-r-v1:0', 1000, 0, null),
    ]),
    // no billed figure
    tenant('gamma', 'Gamma', null, [
      model(SONNET_GLOBAL, 'Claude Sonnet 4.5 (global)', 500_000, 0, 0.125),
    ]),
  ],
  unreadableTenants: 0,
  unverified: [],
};

/** The rows as objects by column id. */
function focusRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (rows.some(r => r.length !== header.length))
    throw new Error('a row has more or fewer cells than the header');
  return rows.map(r => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('chargebackFocusCsv', () => {
  const text = chargebackFocusCsv(EXPORT);
  const rows = focusRecords(text);
  const find = (tenantId: string, skuId: string) => {
    const found = rows.filter(
      r => r.ResourceId === tenantId && r.SkuId === skuId,
    );
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('names only FOCUS 1.2 columns or x_ custom ones, FOCUS ones first, no BOM', () => {
    expect(text.startsWith('BilledCost,')).toBe(true);
    const header = parseCsv(text)[0];
    expect(header).toEqual([...CHARGEBACK_FOCUS_COLUMNS]);
    for (const c of header)
      expect(FOCUS_1_2_COLUMNS.includes(c) || /^x_[A-Z]\w*$/.test(c)).toBe(
        true,
      );
    const firstCustom = header.findIndex(c => c.startsWith('x_'));
    expect(header.slice(firstCustom).every(c => c.startsWith('x_'))).toBe(true);
    // what the brief asks for at least
    for (const c of [
      'BilledCost',
      'EffectiveCost',
      'ListCost',
      'ContractedCost',
      'BillingCurrency',
      'ChargeClass',
      'ChargeDescription',
      'InvoiceIssuerName',
      'ResourceName',
      'RegionId',
      'SubAccountId',
      'Tags',
      'x_CostStatus',
      'x_EstimatedCostUsd',
    ])
      expect(header).toContain(c);
  });

  it('has one usage row per tenant and model, no tenant or total rows', () => {
    expect(rows).toHaveLength(5);
    expect(rows.map(r => `${r.ResourceId}/${r.SkuId}`)).toEqual([
      `alpha/${NOVA_PRO}`,
      `alpha/${HAIKU}`,
      `beta/${HAIKU}`,
      `beta/${COMMAND_R}`,
      `gamma/${SONNET_GLOBAL}`,
    ]);
    for (const r of rows) {
      expect(r.ChargeCategory).toBe('Usage');
      expect(r.ChargeClass).toBe('');
    }
  });

  it('splits a billed figure by estimate when every model is priced: BilledCost is billed, ListCost the estimate', () => {
    const nova = find('alpha', NOVA_PRO);
    expect(nova).toMatchObject({
      BilledCost: '2.4',
      EffectiveCost: '2.4',
      ListCost: '3.2',
      ContractedCost: '3.2',
      x_EstimatedCostUsd: '3.2',
      x_TenantBilledCostUsd: '3',
      x_CostStatus: 'billed',
      BillingCurrency: 'USD',
      ConsumedQuantity: '1000000',
      ConsumedUnit: 'Tokens',
      PricingQuantity: '1000000',
      PricingUnit: 'Tokens',
      x_InputTokens: '0',
      x_OutputTokens: '1000000',
      x_Invocations: '10',
      ProviderName: 'AWS',
      PublisherName: 'Amazon',
      InvoiceIssuerName: 'AWS',
      ServiceName: 'Amazon Bedrock',
      ServiceCategory: 'AI and Machine Learning',
      ServiceSubcategory: 'Generative AI',
      ResourceName: 'Alpha, the assistant',
      ResourceType: 'Bedrock Tenant',
      RegionId: '',
      SubAccountId: '',
    });
    const haiku = find('alpha', HAIKU);
    expect([haiku.BilledCost, haiku.ListCost, haiku.PublisherName]).toEqual([
      '0.6',
      '0.8',
      'Anthropic',
    ]);
    // the tenant's rows sum to its billed figure, to the cent
    expect(
      (Number(nova.BilledCost) + Number(haiku.BilledCost)).toFixed(2),
    ).toBe('3.00');
    expect(nova.ChargeDescription).toBe(
      'Amazon Bedrock Nova Pro: 0 input and 1000000 output tokens in 10 invocations; list-price estimate USD 3.20',
    );
  });

  it('keeps an estimate an estimate, marked, when the billed figure cannot be split', () => {
    expect(find('beta', HAIKU)).toMatchObject({
      BilledCost: '2.5',
      EffectiveCost: '2.5',
      ListCost: '2.5',
      x_CostStatus: 'estimated',
      x_TenantBilledCostUsd: '5',
    });
    expect(find('gamma', SONNET_GLOBAL)).toMatchObject({
      BilledCost: '0.125',
      x_CostStatus: 'estimated',
      x_TenantBilledCostUsd: '',
      PublisherName: 'Anthropic',
    });
  });

  it('leaves every cost of an unpriced model empty, never 0', () => {
    const r = find('beta', COMMAND_R);
    expect(r).toMatchObject({
      BilledCost: '',
      EffectiveCost: '',
      ListCost: '',
      ContractedCost: '',
      x_EstimatedCostUsd: '',
      x_CostStatus: 'unpriced',
      ConsumedQuantity: '1000',
      PricingQuantity: '1000',
      PublisherName: 'Cohere',
    });
    expect(r.ChargeDescription).toContain('no list price known');
    expect(text).toMatch(/^,USD,.*,unpriced,,5,/m);
  });

  it('writes dates as ISO 8601 UTC with Z: the month [start, end) and the hours exported [from, to)', () => {
    for (const r of rows) {
      expect(r).toMatchObject({
        BillingPeriodStart: '2026-02-01T00:00:00Z',
        BillingPeriodEnd: '2026-03-01T00:00:00Z',
        ChargePeriodStart: '2026-02-01T00:00:00Z',
        ChargePeriodEnd: '2026-02-10T13:00:00Z',
      });
    }
    const december = focusRecords(
      chargebackFocusCsv({
        ...EXPORT,
        month: '2026-12',
        range: {
          from: '2026-12-01T00:00:00.000Z',
          to: '2027-01-01T00:00:00.000Z',
        },
      }),
    )[0];
    expect(december.BillingPeriodEnd).toBe('2027-01-01T00:00:00Z');
    expect(december.ChargePeriodEnd).toBe('2027-01-01T00:00:00Z');
  });

  it('puts tenant id, owner, entity ref and group in Tags as one JSON object', () => {
    expect(JSON.parse(find('alpha', HAIKU).Tags)).toEqual({
      'bedrock-tenancy.io/tenant-id': 'alpha',
      'bedrock-tenancy.io/entity-ref': 'component:default/alpha',
      'bedrock-tenancy.io/owner': 'group:default/team-a',
      'bedrock-tenancy.io/owner-parents':
        'group:default/dept;group:default/company',
      'bedrock-tenancy.io/group': 'group:default/dept',
    });
  });

  it('never lets a title run as a formula', () => {
    expect(find('beta', HAIKU).ResourceName).toBe(`'${FORMULA_TITLE}`);
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"",""click"")",`);
    for (const r of rows)
      for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t]/);
  });

  it('fills every column the spec requires non-null, but the costs of an unpriced row', () => {
    for (const r of rows)
      for (const c of NOT_NULL) {
        const deviation = r.x_CostStatus === 'unpriced' && COSTS.includes(c);
        expect([c, r[c] === '']).toEqual([c, deviation]);
      }
  });

  it('names the model vendor as publisher', () => {
    expect(focusPublisher('meta.llama3-1-70b-instruct-v1:0')).toBe('Meta');
    expect(focusPublisher('mistral.mistral-large-2402-v1:0')).toBe(
      'Mistral AI',
    );
    expect(focusPublisher('acme.model-v1')).toBe('acme');
  });
});
