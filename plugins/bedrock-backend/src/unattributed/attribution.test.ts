/**
 * The attribution arithmetic, with hand-written numbers: one account and region, one hour, where
 * a base model is called directly and through a geo profile, a tenant's application inference
 * profile and a profile of no tenant run, and an identity tenant calls the base model and Nova
 * Pro (more of Nova Pro than the series holds: clamped).
 */
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
  traffic,
  usageRow,
} from '../__testUtils__/accountUsage';
import { testTenant } from '../__testUtils__/tenants';
import type { HourValues, SeriesValues } from '../collector/metrics';
import {
  accountSeriesRows,
  attributeHours,
  overAttributedTokens,
} from './attribution';

const HOUR = '2026-12-01T10:00:00.000Z';

const profileTenant = testTenant({
  tenantId: 'team-a',
  inferenceProfiles: { aipteama: HAIKU },
});
const identityTenant = testTenant({
  tenantId: 'team-b',
  attribution: 'identity',
  principalArns: ['arn:aws:iam::111111111111:role/team-b'],
});

/** The account's series in the hour, by ModelId dimension. */
const SERIES: Record<string, HourValues> = {
  // the base model, called directly by whoever
  [HAIKU]: { invocations: 10, inputTokens: 1_000_000, outputTokens: 200_000 },
  // the same model through the US geo profile
  [`us.${HAIKU}`]: {
    invocations: 5,
    inputTokens: 500_000,
    outputTokens: 100_000,
  },
  // team-a's application inference profile
  aipteama: { invocations: 3, inputTokens: 300_000, outputTokens: 60_000 },
  // a profile no tenant is bound to
  aiporphan: { invocations: 7, inputTokens: 700_000, outputTokens: 70_000 },
  [NOVA_PRO]: { invocations: 4, inputTokens: 400_000, outputTokens: 40_000 },
};

const values: SeriesValues = new Map(
  Object.entries(SERIES).map(([d, v]) => [d, new Map([[HOUR, v]])]),
);

/** What the tenants' collection stored for the hour. */
const tenantRowsOfHour = [
  // team-a: its profile's series, resolved to the model
  usageRow({
    tenantId: 'team-a',
    modelId: HAIKU,
    hour: HOUR,
    invocations: 3,
    inputTokens: 300_000,
    outputTokens: 60_000,
  }),
  // team-b: its invocation-log tokens, by the model it called
  usageRow({
    tenantId: 'team-b',
    modelId: HAIKU,
    hour: HOUR,
    invocations: 6,
    inputTokens: 600_000,
    outputTokens: 150_000,
  }),
  usageRow({
    tenantId: 'team-b',
    modelId: NOVA_PRO,
    hour: HOUR,
    invocations: 5,
    inputTokens: 500_000,
    outputTokens: 10_000,
  }),
];

function split(accountWide = false) {
  const account = accountSeriesRows({
    accountId: ACCOUNT,
    region: REGION,
    tenants: [profileTenant, identityTenant],
    dimensions: Object.keys(SERIES),
    values,
  });
  return attributeHours({
    accountId: ACCOUNT,
    region: REGION,
    account,
    attributed: tenantRowsOfHour,
    accountWide,
  });
}

const byModel = (rows: ReturnType<typeof split>) =>
  Object.fromEntries(rows.map(r => [r.modelId, r]));

describe('accountSeriesRows', () => {
  it('sums the series per model as tenants are normalized: direct, geo and tenant profile on one model; a profile of no tenant on its own id', () => {
    const rows = accountSeriesRows({
      accountId: ACCOUNT,
      region: REGION,
      tenants: [profileTenant, identityTenant],
      dimensions: Object.keys(SERIES),
      values,
    });
    const m = Object.fromEntries(rows.map(r => [r.modelId, r]));
    expect(Object.keys(m).sort()).toEqual(
      [HAIKU, NOVA_PRO, 'aiporphan'].sort(),
    );
    expect(m[HAIKU]).toMatchObject({
      tenantId: '',
      accountId: ACCOUNT,
      region: REGION,
      hour: HOUR,
      invocations: 18,
      inputTokens: 1_800_000,
      outputTokens: 360_000,
    });
    expect(m.aiporphan).toMatchObject({
      invocations: 7,
      inputTokens: 700_000,
    });
  });
  it("resolves only profile tenants' profiles: a mapping an identity tenant carries keeps its series on the profile's id", () => {
    const rows = accountSeriesRows({
      accountId: ACCOUNT,
      region: REGION,
      tenants: [
        testTenant({
          tenantId: 'team-c',
          attribution: 'identity',
          principalArns: ['arn:aws:iam::111111111111:role/team-c'],
          inferenceProfiles: { aipteamc: NOVA_PRO },
        }),
      ],
      dimensions: ['aipteamc'],
      values: new Map([
        ['aipteamc', new Map([[HOUR, { invocations: 2, inputTokens: 20 }]])],
      ]),
    });
    expect(rows.map(r => [r.modelId, r.invocations, r.inputTokens])).toEqual([
      ['aipteamc', 2, 20],
    ]);
  });
});

describe('attributeHours', () => {
  it('leaves a base model called directly unattributed, less the profile tenant and the identity tenant share', () => {
    const r = byModel(split())[HAIKU];
    expect(r.account).toEqual(
      traffic({
        invocations: 18,
        inputTokens: 1_800_000,
        outputTokens: 360_000,
      }),
    );
    // team-a 300,000 + team-b 600,000 input; 60,000 + 150,000 output
    expect(r.attributed).toEqual(
      traffic({ invocations: 9, inputTokens: 900_000, outputTokens: 210_000 }),
    );
    expect(r.unattributed).toEqual(
      traffic({ invocations: 9, inputTokens: 900_000, outputTokens: 150_000 }),
    );
    expect(overAttributedTokens(r)).toBe(0);
  });

  it('leaves a profile no tenant is bound to wholly unattributed', () => {
    const r = byModel(split()).aiporphan;
    expect(r.attributed).toEqual(traffic());
    expect(r.unattributed).toEqual(
      traffic({ invocations: 7, inputTokens: 700_000, outputTokens: 70_000 }),
    );
  });

  it('clamps at 0 where the tenants were attributed more than the series, and says by how much', () => {
    const r = byModel(split())[NOVA_PRO];
    // input 400,000 - 500,000 < 0: clamped; output 40,000 - 10,000 = 30,000
    expect(r.unattributed).toEqual(
      traffic({ invocations: 0, inputTokens: 0, outputTokens: 30_000 }),
    );
    expect(overAttributedTokens(r)).toBe(100_000);
  });

  it('keeps a model-hour only tenants have (no account datapoint): all of it over-attributed', () => {
    const [r] = attributeHours({
      accountId: ACCOUNT,
      region: REGION,
      account: [],
      attributed: [tenantRowsOfHour[2]],
    });
    expect(r.unattributed).toEqual(traffic());
    expect(overAttributedTokens(r)).toBe(510_000);
  });

  it('attributes everything to an account tenant: nothing unattributed', () => {
    for (const r of split(true)) {
      expect(r.unattributed).toEqual(traffic());
      expect(r.attributed).toEqual(r.account);
    }
  });

  it('ignores rows of another account or region', () => {
    const rows = attributeHours({
      accountId: ACCOUNT,
      region: REGION,
      account: [
        usageRow({ modelId: HAIKU, hour: HOUR, inputTokens: 5 }),
        usageRow({
          modelId: HAIKU,
          hour: HOUR,
          region: 'eu-west-1',
          inputTokens: 7,
        }),
        usageRow({
          modelId: HAIKU,
          hour: HOUR,
          accountId: '222222222222',
          inputTokens: 11,
        }),
      ],
      attributed: [
        usageRow({
          tenantId: 'x',
          accountId: '222222222222',
          modelId: HAIKU,
          hour: HOUR,
          inputTokens: 5,
        }),
        usageRow({
          tenantId: 'y',
          region: 'eu-west-1',
          modelId: HAIKU,
          hour: HOUR,
          inputTokens: 3,
        }),
      ],
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].account.inputTokens).toBe(5);
    expect(rows[0].attributed.inputTokens).toBe(0);
    expect(rows[0].unattributed.inputTokens).toBe(5);
  });

  it("counts an identity tenant's 1-hour cache writes against the account's one cache-write series", () => {
    const [r] = attributeHours({
      accountId: ACCOUNT,
      region: REGION,
      account: [
        usageRow({ modelId: HAIKU, hour: HOUR, cacheWriteTokens: 1000 }),
      ],
      attributed: [
        usageRow({
          tenantId: 'team-b',
          modelId: HAIKU,
          hour: HOUR,
          cacheWriteTokens: 200,
          cacheWrite1hTokens: 300,
        }),
      ],
    });
    // 200 written for 5 minutes + 300 for 1 hour of the account's 1,000
    expect(r.attributed.cacheWriteTokens).toBe(500);
    expect(r.unattributed.cacheWriteTokens).toBe(500);
  });

  it('lists the rows by hour, then model', () => {
    const LATER = '2026-12-01T11:00:00.000Z';
    const rows = attributeHours({
      accountId: ACCOUNT,
      region: REGION,
      account: [
        usageRow({ modelId: HAIKU, hour: HOUR, inputTokens: 1 }),
        usageRow({ modelId: NOVA_PRO, hour: LATER, inputTokens: 2 }),
      ],
      attributed: [
        usageRow({
          tenantId: 'team-b',
          modelId: NOVA_PRO,
          hour: HOUR,
          inputTokens: 3,
        }),
      ],
    });
    // amazon.nova-pro sorts before anthropic.claude within an hour
    expect(rows.map(r => [r.hour, r.modelId])).toEqual([
      [HOUR, NOVA_PRO],
      [HOUR, HAIKU],
      [LATER, NOVA_PRO],
    ]);
  });
});
