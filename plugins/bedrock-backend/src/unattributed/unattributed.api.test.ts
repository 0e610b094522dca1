/**
 * Spend no tenant owns through the plugin's HTTP API: the admin view and the chargeback export's
 * `unattributed` rows are for Bedrock admins (bedrock.binding.manage) only, and the tenants' sum
 * plus the unattributed rows equals the account's usage, in tokens and in dollars written by hand
 * (USD per 1K tokens: Claude 3 Haiku input 0.00025, Nova Pro output 0.0032).
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  bedrockBindingManagePermission,
  ChargebackExport,
  UnattributedReport,
} from '@bedrock-tenancy/plugin-bedrock-common';
import request from 'supertest';
import {
  ACCOUNT,
  accountUsageRow,
  HAIKU,
  NOVA_PRO,
  REGION,
  usageRow,
} from '../__testUtils__/accountUsage';
import { bindEntities } from '../__testUtils__/bindings';
import { csvRecords, parseCsv } from '../__testUtils__/csv';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { CHARGEBACK_CSV_COLUMNS } from '../service/chargebackCsv';
import { CHARGEBACK_FOCUS_COLUMNS } from '../service/chargebackFocus';
import { AccountUsageStore } from './AccountUsageStore';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
const MEMBER = 'user:default/member';

// last month (UTC), whole
const now = new Date();
const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
const MONTH = new Date(monthStart).toISOString().slice(0, 7);
const day = (d: number, h = 10) =>
  new Date(monthStart + (d - 1) * 86_400_000 + h * 3_600_000).toISOString();

/** A profile tenant: its own application inference profile `<name>profile1` of `model`. */
const tenant = (name: string, model: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      [ANNOTATION_TENANT_ID]: name,
      [ANNOTATION_ACCOUNT_ID]: ACCOUNT,
      [ANNOTATION_REGIONS]: REGION,
      [ANNOTATION_ATTRIBUTION]: 'inference-profile',
      [ANNOTATION_INFERENCE_PROFILES]: `${name}profile1=${model}`,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
});
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  tenant('alpha', HAIKU),
  tenant('beta', NOVA_PRO),
];

describe('spend no tenant owns, over HTTP', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let server: any;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    await bindEntities(knex, entities.slice(1));
    const usage = DatabaseUsageStore.fromKnex(knex);
    const window = {
      accountId: ACCOUNT,
      region: REGION,
      from: '2000-01-01T00:00:00.000Z',
      to: '2100-01-01T00:00:00.000Z',
    };
    // alpha: 1,000,000 Haiku input tokens, USD 0.25; beta: 1,000,000 Nova Pro output, USD 3.20
    await usage.replaceWindow({
      ...window,
      tenantId: 'alpha',
      rows: [
        usageRow({
          tenantId: 'alpha',
          modelId: HAIKU,
          hour: day(2),
          invocations: 10,
          inputTokens: 1_000_000,
        }),
      ],
    });
    await usage.replaceWindow({
      ...window,
      tenantId: 'beta',
      rows: [
        usageRow({
          tenantId: 'beta',
          modelId: NOVA_PRO,
          hour: day(3),
          invocations: 4,
          outputTokens: 1_000_000,
        }),
      ],
    });
    // the account: 3,000,000 Haiku input (2,000,000 of them called directly by no tenant, USD
    // 0.50), beta's Nova Pro, and 5,000 input tokens through a profile of no tenant (unpriced)
    const accounts = AccountUsageStore.fromKnex(knex);
    await accounts.replaceWindow({
      ...window,
      rows: [
        accountUsageRow({
          modelId: HAIKU,
          hour: day(2),
          account: { invocations: 30, inputTokens: 3_000_000 },
          attributed: { invocations: 10, inputTokens: 1_000_000 },
          unattributed: { invocations: 20, inputTokens: 2_000_000 },
        }),
        accountUsageRow({
          modelId: NOVA_PRO,
          hour: day(3),
          account: { invocations: 4, outputTokens: 1_000_000 },
          attributed: { invocations: 4, outputTokens: 1_000_000 },
        }),
        accountUsageRow({
          modelId: 'aiporphan',
          hour: day(4),
          account: { invocations: 1, inputTokens: 5_000 },
          unattributed: { invocations: 1, inputTokens: 5_000 },
        }),
      ],
    });
    await accounts.markCollected({
      accountId: ACCOUNT,
      region: REGION,
      watermark: now.toISOString(),
      at: now.toISOString(),
    });
    server = await startBedrockBackend({
      entities,
      knex,
      accountId: ACCOUNT,
      features: [
        mockServices.permissions.mock({
          authorize: async (reqs, options) =>
            reqs.map(r => ({
              result:
                r.permission.name !== bedrockBindingManagePermission.name ||
                (options?.credentials.principal as any)?.userEntityRef === ADMIN
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })) as any,
        }).factory,
      ],
    });
  });

  const get = (path: string, user: string) =>
    request(server)
      .get(`/api/bedrock${path}`)
      .set('Authorization', mockCredentials.user.header(user));
  const chargeback = (user: string, format = 'json') =>
    get(`/group/default/team/chargeback?month=${MONTH}&format=${format}`, user);

  describe('the chargeback export', () => {
    it("a member's export has no unattributed rows, in any format", async () => {
      const json = await chargeback(MEMBER);
      expect(json.status).toBe(200);
      expect(json.body.tenants).toHaveLength(2);
      expect(json.body).not.toHaveProperty('unattributed');
      const csv = await chargeback(MEMBER, 'csv');
      expect(csv.text).not.toMatch(/unattributed/);
      const focus = await chargeback(MEMBER, 'focus');
      expect(focus.text).not.toMatch(/unattributed/);
    });

    it("an admin's JSON adds one row per account-region: tenants + unattributed = the account", async () => {
      const e = (await chargeback(ADMIN)).body as ChargebackExport;
      expect(e.unattributed).toHaveLength(1);
      const [u] = e.unattributed!;
      expect(u).toMatchObject({
        accountId: ACCOUNT,
        region: REGION,
        invocations: 21,
        inputTokens: 2_005_000,
        outputTokens: 0,
        costComplete: false,
        overAttributedTokens: 0,
        account: { invocations: 35, inputTokens: 3_005_000 },
      });
      // 2,000 x 0.00025: the orphan profile's 5,000 tokens have no price
      expect(u.estimatedCostUsd).toBeCloseTo(0.5, 10);
      // account: 3,000 x 0.00025 + 1,000 x 0.0032 = 0.75 + 3.20
      expect(u.account.estimatedCostUsd).toBeCloseTo(3.95, 10);
      const tenants = e.tenants.reduce(
        (s, t) => ({
          inputTokens: s.inputTokens + t.inputTokens,
          outputTokens: s.outputTokens + t.outputTokens,
          usd: s.usd + t.estimatedCostUsd,
        }),
        { inputTokens: 0, outputTokens: 0, usd: 0 },
      );
      expect(tenants.inputTokens + u.inputTokens).toBe(u.account.inputTokens);
      expect(tenants.outputTokens + u.outputTokens).toBe(
        u.account.outputTokens,
      );
      // 0.25 + 3.20 + 0.50 = 3.95
      expect(tenants.usd + u.estimatedCostUsd).toBeCloseTo(3.95, 10);
      expect(u.models).toEqual([
        expect.objectContaining({ modelId: HAIKU, estimatedCostUsd: 0.5 }),
        expect.objectContaining({
          modelId: 'aiporphan',
          inputTokens: 5_000,
          estimatedCostUsd: null,
        }),
      ]);
    });

    it("an admin's CSV has an unattributed row before the total", async () => {
      const res = await chargeback(ADMIN, 'csv');
      expect(parseCsv(res.text)[0]).toEqual([...CHARGEBACK_CSV_COLUMNS]);
      const rows = csvRecords(res.text);
      const unattributed = rows.filter(r => r.row_type === 'unattributed');
      expect(unattributed).toEqual([
        expect.objectContaining({
          tenant_title: `unattributed ${ACCOUNT}/${REGION}`,
          tenant_id: '',
          input_tokens: '2005000',
          estimated_cost_usd: '0.5',
          cost_status: 'partial',
        }),
      ]);
      expect(rows[rows.length - 1].row_type).toBe('total');
    });

    it("an admin's FOCUS file has a row per unattributed model, in the account and region", async () => {
      const res = await chargeback(ADMIN, 'focus');
      expect(parseCsv(res.text)[0]).toEqual([...CHARGEBACK_FOCUS_COLUMNS]);
      const rows = csvRecords(res.text).filter(
        r => r.ResourceId === 'unattributed',
      );
      expect(rows.map(r => r.SkuId)).toEqual([HAIKU, 'aiporphan']);
      expect(rows[0]).toMatchObject({
        BilledCost: '0.5',
        EffectiveCost: '0.5',
        ListCost: '0.5',
        SubAccountId: ACCOUNT,
        RegionId: REGION,
        x_CostStatus: 'estimated',
      });
      expect(rows[1]).toMatchObject({
        BilledCost: '',
        x_CostStatus: 'unpriced',
        x_InputTokens: '5000',
      });
    });
  });

  describe('GET /admin/unattributed', () => {
    it('refuses a member with 403', async () => {
      const res = await get(`/admin/unattributed?month=${MONTH}`, MEMBER);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/bedrock\.binding\.manage/);
    });

    it("answers an admin the month's account, attributed and unattributed usage", async () => {
      const res = await get(`/admin/unattributed?month=${MONTH}`, ADMIN);
      expect(res.status).toBe(200);
      const r = res.body as UnattributedReport;
      expect(r.accountRegions).toHaveLength(1);
      const [p] = r.accountRegions;
      expect(p).toMatchObject({
        accountId: ACCOUNT,
        region: REGION,
        partial: true,
        unpricedModels: ['aiporphan'],
        account: { inputTokens: 3_005_000, outputTokens: 1_000_000 },
        attributed: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
        unattributed: { inputTokens: 2_005_000, outputTokens: 0 },
      });
      expect(p.account.estimatedCostUsd).toBeCloseTo(3.95, 10);
      expect(p.attributed.estimatedCostUsd).toBeCloseTo(3.45, 10);
      expect(p.unattributed.estimatedCostUsd).toBeCloseTo(0.5, 10);
    });

    it('bounds the range', async () => {
      const res = await get(
        '/admin/unattributed?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z',
        ADMIN,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/at most 93 days/);
      const bad = await get('/admin/unattributed?month=2026-13', ADMIN);
      expect(bad.status).toBe(400);
    });
  });
});
