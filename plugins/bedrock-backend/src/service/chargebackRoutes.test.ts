import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ACCOUNT_ID,
  bedrockUsageReadPermission,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  ChargebackExport,
  GroupRollup,
} from '@bedrock-tenancy/plugin-bedrock-common';
import request from 'supertest';
import { bindEntities } from '../__testUtils__/bindings';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { CHARGEBACK_CSV_COLUMNS, csvText } from './chargebackCsv';
import { CHARGEBACK_FOCUS_COLUMNS } from './chargebackFocus';
import { completeThrough } from './reconciliation';

jest.setTimeout(60_000);

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const COMMAND_R = 'cohere.command-r-v1:0'; // no price

// last month (UTC), whole; and a day of this month, which the export of last month leaves out
const now = new Date();
const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
const MONTH = new Date(monthStart).toISOString().slice(0, 7);
const FROM = new Date(monthStart).toISOString();
const TO = new Date(
  Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
).toISOString();
/** the last day of MONTH the bill is complete for now (24 h lag): its last day, but on the 1st */
const THROUGH = [
  completeThrough(now.toISOString(), 24),
  new Date(Date.parse(TO) - 86_400_000).toISOString().slice(0, 10),
].sort()[0];
const day = (d: number, h = 10) =>
  new Date(monthStart + (d - 1) * 86_400_000 + h * 3_600_000).toISOString();

const account = (i: number) => `11112222333${i}`;
const tenant = (name: string, owner: string, i: number, title?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    title,
    annotations: {
      [ANNOTATION_TENANT_ID]: name,
      [ANNOTATION_ACCOUNT_ID]: account(i),
      [ANNOTATION_REGIONS]: 'us-east-1',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const group = (name: string, children: string[], parent?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children, ...(parent ? { parent } : {}) },
});

/** An entity whose annotations claim `tenantId` (anyone can write a catalog-info.yaml). */
const copyOf = (name: string, owner: string, tenantId: string, i: number) => {
  const e = tenant(name, owner, i, `${tenantId} (copy)`);
  e.metadata.annotations[ANNOTATION_TENANT_ID] = tenantId;
  return e;
};

const FORMULA_TITLE = '=HYPERLINK("http://evil","click")';
const entities = [
  group('company', ['dept']),
  group('dept', ['team-a', 'team-b'], 'company'),
  group('team-a', [], 'dept'),
  group('team-b', [], 'dept'),
  tenant('alpha', 'team-a', 1, 'Alpha, the assistant'),
  tenant('beta', 'team-b', 2, FORMULA_TITLE),
  tenant('gamma', 'team-b', 3),
  // team-b's copy of team-a's tenant (same tenant id and account): no binding confirms it
  copyOf('alpha-copy', 'team-b', 'alpha', 1),
  // owned, not a tenant kind: never "lacking annotations"
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'storefront', namespace: 'default' },
    spec: { owner: 'team-a' },
  },
];

const row = (
  tenantId: string,
  i: number,
  modelId: string,
  hour: string,
  t: Partial<HourlyUsageRow>,
): HourlyUsageRow => ({
  ...emptyUsageRow({
    tenantId,
    accountId: account(i),
    region: 'us-east-1',
    modelId,
    hour,
  }),
  invocations: 10,
  ...t,
});

describe('chargeback export', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let server: any;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    await bindEntities(knex, entities.slice(4, 7)); // alpha, beta, gamma
    const usage: Record<string, [number, HourlyUsageRow[]]> = {
      alpha: [
        1,
        [
          // $0.25 + $3.20, by hand from the price table (USD per 1K: Haiku in 0.00025, Nova Pro out 0.0032)
          row('alpha', 1, HAIKU, day(2), { inputTokens: 1_000_000 }),
          row('alpha', 1, NOVA_PRO, day(20), { outputTokens: 1_000_000 }),
          // the first hour of this month: not last month's
          row('alpha', 1, HAIKU, TO, { inputTokens: 4_000_000 }),
        ],
      ],
      beta: [
        2,
        [
          // $2.50 (Haiku out 0.00125), and unpriced traffic
          row('beta', 2, HAIKU, day(28, 23), { outputTokens: 2_000_000 }),
          row('beta', 2, COMMAND_R, day(5), { inputTokens: 1000 }),
        ],
      ],
      gamma: [3, [row('gamma', 3, HAIKU, day(3), { inputTokens: 9e6 })]],
    };
    for (const [tenantId, [i, rows]] of Object.entries(usage)) {
      await store.replaceWindow({
        tenantId,
        accountId: account(i),
        region: 'us-east-1',
        from: '2000-01-01T00:00:00.000Z',
        to: '2100-01-01T00:00:00.000Z',
        rows,
      });
      await store.markCollected({
        tenantId,
        watermark: now.toISOString(),
        at: now.toISOString(),
      });
    }
    const snapshot = (kind: string, key: string, payload: unknown) =>
      store.putSnapshot({
        kind,
        key,
        payload,
        error: null,
        fetchedAt: now.toISOString(),
      });
    await snapshot('budget', 'alpha', {
      name: 'bedrock-alpha',
      limitUsd: 10,
      actualSpendUsd: 3,
      forecastedSpendUsd: null,
      notifications: [],
    });
    await snapshot('billed', 'alpha', {
      monthToDateUsd: 9,
      daily: [
        { date: FROM.slice(0, 10), usd: 1.5 },
        { date: TO.slice(0, 10), usd: 9 },
      ],
    });
    // gamma's bill: the caller may not read gamma, so it must reach no export or roll-up
    await snapshot('billed', 'gamma', {
      monthToDateUsd: 0,
      daily: [{ date: FROM.slice(0, 10), usd: 777.77 }],
    });
    server = await startBedrockBackend({
      entities,
      knex,
      accountId: account(1),
      config: {
        bedrock: {
          aws: { endpoint: 'http://127.0.0.1:9' },
          collector: { enabled: false },
          costExplorer: { enabled: true },
        },
      },
      features: [
        mockServices.permissions.mock({
          // gamma is in the catalog, but its usage is not for this caller
          authorize: async reqs =>
            reqs.map(r => ({
              result:
                r.permission.name === bedrockUsageReadPermission.name &&
                (r as any).resourceRef === 'component:default/gamma'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })) as any,
        }).factory,
      ],
    });
  });

  const get = (path: string) => request(server).get(`/api/bedrock${path}`);

  it('equals the roll-up of the same month and caller, per model, with billed cost, budget and parents', async () => {
    const rollup = (
      await get(
        `/group/default/dept/rollup?from=${FROM}&to=${TO}&includeChildren=true`,
      )
    ).body as GroupRollup;
    const res = await get(`/group/default/dept/chargeback?month=${MONTH}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="bedrock-chargeback-default-dept-${MONTH}.json"`,
    );
    const e = res.body as ChargebackExport;
    expect(e.range).toEqual({ from: FROM, to: TO });
    expect(e.groups).toEqual([
      'group:default/dept',
      'group:default/team-a',
      'group:default/team-b',
    ]);
    // by hand: 0.25 + 3.20 + 2.50, the unpriced Command R traffic marked, not priced at $0
    expect(e.totals.estimatedCostUsd).toBeCloseTo(5.95, 10);
    expect(e.totals.partial).toBe(true);
    const { billedCostUsd, ...totals } = e.totals;
    expect(totals).toEqual(rollup.totals);
    expect(billedCostUsd).toBe(1.5);
    expect(e.unreadableTenants).toBe(1);
    expect(e.tenants.map(t => t.tenantId)).toEqual(['alpha', 'beta']);
    const [alpha, beta] = e.tenants;
    expect(alpha).toMatchObject({
      owner: 'group:default/team-a',
      ownerParents: ['group:default/dept', 'group:default/company'],
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      costComplete: true,
      billedCostUsd: 1.5,
      budgetLimitUsd: 10,
    });
    expect(alpha.estimatedCostUsd).toBeCloseTo(3.45, 10);
    expect(
      alpha.models.map(m => [m.modelId, m.estimatedCostUsd?.toFixed(6)]),
    ).toEqual([
      [NOVA_PRO, '3.200000'],
      [HAIKU, '0.250000'],
    ]);
    expect(beta).toMatchObject({
      costComplete: false,
      billedCostUsd: null,
      budgetLimitUsd: null,
    });
    expect(beta.estimatedCostUsd).toBeCloseTo(2.5, 10);
    expect(beta.models.find(m => m.modelId === COMMAND_R)).toMatchObject({
      estimatedCostUsd: null,
      inputTokens: 1000,
    });
  });

  it('compares estimate and bill per tenant for the month, with the lag stated, only for tenants the caller may read', async () => {
    const res = await get(`/group/default/dept/chargeback?month=${MONTH}`);
    const e = res.body as ChargebackExport;
    const [alpha, beta] = e.tenants;
    // alpha: billed USD 1.50 against USD 0.25 + 3.20 estimated
    expect(alpha.reconciliation).toMatchObject({
      month: MONTH,
      source: 'cost-allocation-tag',
      lagHours: 24,
      comparedThrough: THROUGH,
      billedUsd: 1.5,
      estimateComplete: true,
      lagNote: `billed figures lag up to 24 h; last complete day ${THROUGH}`,
    });
    expect(alpha.reconciliation!.estimatedUsd).toBeCloseTo(3.45, 10);
    expect(alpha.reconciliation!.varianceUsd).toBeCloseTo(-1.95, 10);
    expect(alpha.reconciliation!.variancePercent).toBeCloseTo(-130, 10);
    // no bill for beta: nothing to compare, never a variance against $0
    expect(beta.reconciliation).toBe(null);
    expect(e.totals.reconciliation).toMatchObject({
      tenants: 1,
      billedUsd: 1.5,
    });
    // gamma's USD 777.77 reaches no figure of this caller
    expect(res.text).not.toContain('777.77');
    const csv = (
      await get(`/group/default/dept/chargeback?month=${MONTH}&format=csv`)
    ).text;
    const focus = (
      await get(`/group/default/dept/chargeback?month=${MONTH}&format=focus`)
    ).text;
    const rollup = (
      await get(`/group/default/dept/rollup?from=${FROM}&to=${TO}`)
    ).text;
    for (const text of [csv, focus, rollup])
      expect(text).not.toContain('777.77');
    expect(
      (JSON.parse(rollup) as GroupRollup).totals.reconciliation?.billedUsd,
    ).toBe(1.5);
  });

  it("gives a copy of another team's tenant no figures: listed as unverified, never in rows or totals", async () => {
    const e = (await get(`/group/default/team-b/chargeback?month=${MONTH}`))
      .body as ChargebackExport;
    expect(e.tenants.map(t => t.entityRef)).toEqual(['component:default/beta']);
    expect(e.unverified.map(u => u.entityRef)).toEqual([
      'component:default/alpha-copy',
    ]);
    // beta's $2.50 only: alpha's $3.45 does not reach team-b through the copy
    expect(e.totals.estimatedCostUsd).toBeCloseTo(2.5, 10);
    const csv = (
      await get(`/group/default/team-b/chargeback?month=${MONTH}&format=csv`)
    ).text;
    expect(csv).not.toContain('alpha-copy');
    expect(csv).not.toContain('3.45');
  });

  it('writes CSV a spreadsheet opens: header, ISO month, bare numbers, quoting, no formulas', async () => {
    const res = await get(
      `/group/default/dept/chargeback?month=${MONTH}&format=csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = res.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CHARGEBACK_CSV_COLUMNS.join(','));
    const col = (name: string) => CHARGEBACK_CSV_COLUMNS.indexOf(name as any);
    const byType = (type: string) =>
      lines.filter(l => l.split(',')[col('row_type')] === type);
    expect(byType('model')).toHaveLength(4);
    expect(byType('tenant')).toHaveLength(2);
    const [total] = byType('total');
    // the total row is the roll-up's; numbers without $ or thousands separators
    // then estimate vs bill over the days the bill is complete for: 1.50 billed, 3.45 estimated
    expect(total).toBe(
      `${MONTH},total,group:default/dept,,,,,,,,,40,1001000,3000000,5.95,partial,1.5,10,,${THROUGH},1.5,3.45,-1.95,-130,billed figures lag up to 24 h; last complete day ${THROUGH}`,
    );
    // a comma is quoted; a title that is a formula is neutralised and quoted
    expect(text).toContain(',"Alpha, the assistant",alpha,');
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"",""click"")",beta,`);
    expect(text).toContain(
      'group:default/team-a,group:default/dept;group:default/company,',
    );
    expect(text).toContain(`,${COMMAND_R},`);
    expect(text).toMatch(/,1000,0,,unpriced,,,{7}\r\n/);
  });

  it('writes the FOCUS CSV: usage rows only, billed split where known, estimates marked, unpriced empty', async () => {
    const res = await get(
      `/group/default/dept/chargeback?month=${MONTH}&format=focus`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="bedrock-chargeback-default-dept-${MONTH}-focus.csv"`,
    );
    const [header, ...lines] = res.text.trimEnd().split('\r\n');
    expect(header).toBe(CHARGEBACK_FOCUS_COLUMNS.join(','));
    // alpha's and beta's two models each; no tenant or total rows; gamma not readable
    expect(lines).toHaveLength(4);
    const start = `${FROM.slice(0, 19)}Z`;
    const end = `${TO.slice(0, 19)}Z`;
    const line = (sku: string, tenantId: string) => {
      const found = lines.filter(
        l => l.includes(`,${tenantId},`) && l.includes(`,${sku},`),
      );
      expect(found).toHaveLength(1);
      return found[0];
    };
    // alpha: billed $1.50, every model priced: split 3.20 : 0.25 (1.5 * 3.2 / 3.45, 1.5 * 0.25 / 3.45)
    expect(line(NOVA_PRO, 'alpha')).toMatch(
      new RegExp(
        `^1\\.391304,USD,${end},${start},Usage,,Amazon Bedrock Nova Pro: 0 input and 1000000 output tokens in 10 invocations; list-price estimate USD 3\\.20,Usage-Based,${end},${start},1000000,Tokens,3\\.2,1\\.391304,AWS,3\\.2,`,
      ),
    );
    expect(line(NOVA_PRO, 'alpha')).toContain(',billed,3.2,1.5,');
    expect(line(HAIKU, 'alpha')).toMatch(
      /^0\.108696,USD,.*,billed,0\.25,1\.5,/,
    );
    // beta: no billed figure: the estimate, marked; Command R unpriced: costs empty, never 0
    expect(line(HAIKU, 'beta')).toMatch(/^2\.5,USD,.*,estimated,2\.5,,/);
    expect(line(COMMAND_R, 'beta')).toMatch(
      /^,USD,.*,1000,Tokens,,,AWS,,1000,Tokens,AWS,Cohere,.*,unpriced,,,/,
    );
    // the formula title is neutralised in ResourceName
    expect(line(HAIKU, 'beta')).toContain(
      `,beta,"'=HYPERLINK(""http://evil"",""click"")",Bedrock Tenant,`,
    );
    expect(res.text).not.toContain('alpha-copy');
  });

  it('includes child groups by default in the roll-up, and only the group when asked', async () => {
    const all = (await get('/group/default/dept/rollup?range=30d')).body;
    expect(all.includeChildren).toBe(true);
    expect(all.groups).toHaveLength(3);
    const own = (
      await get('/group/default/team-a/rollup?range=30d&includeChildren=false')
    ).body as GroupRollup;
    expect(own.groups).toEqual(['group:default/team-a']);
    // the System team-a owns is not a tenant kind: not listed as lacking annotations
    expect(own.unannotated).toEqual([]);
  });

  it.each([
    ['month=2026-13', 400],
    ['month=nov', 400],
    ['month=2999-01', 400],
    ['format=xlsx', 400],
    ['includeChildren=maybe', 400],
    ['other=1', 400],
  ])('answers %s with %s', async (query, status) => {
    const res = await get(`/group/default/dept/chargeback?${query}`);
    expect(res.status).toBe(status);
    expect(res.body.error.name).toBe('InputError');
  });

  it('names the formats it knows when asked for another one', async () => {
    const res = await get(`/group/default/dept/chargeback?format=focus2`);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(
      /^invalid chargeback query: format: /,
    );
    expect(res.body.error.message).toContain('format=csv|json|focus,');
  });

  it('answers 404 for a group the catalog does not show', async () => {
    const res = await get('/group/default/nobody/chargeback');
    expect(res.status).toBe(404);
  });
});

describe('csvText', () => {
  it.each([
    ['plain', 'plain'],
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['a "b"', '"a ""b"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['a,b', '"a,b"'],
  ])('%j -> %j', (input, output) => expect(csvText(input)).toBe(output));
});
