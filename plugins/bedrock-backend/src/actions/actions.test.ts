/**
 * The Bedrock actions through the real actions registry of a test backend, as the MCP actions
 * backend calls them (POST /.backstage/actions/v1/actions/:id/invoke with the person's token):
 * each answers a member for the team's own tenant, refuses another team's, and answers an admin
 * everything; the writes are hidden from members and preview for admins.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ADMIN,
  ALICE,
  ALPHA_REF,
  asUser,
  BETA_REF,
  BOB,
  COPY_REF,
  startActionsBackend,
} from '../__testUtils__/actionsFixture';

jest.setTimeout(60_000);

describe('bedrock actions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const createEvent = jest.fn(async (_o: any) => ({
    success: jest.fn(async () => {}),
    fail: jest.fn(async () => {}),
  }));
  let server: any;

  beforeAll(async () => {
    server = await startActionsBackend({
      knex: await databases.init('SQLITE_3'),
      features: [mockServices.auditor.mock({ createEvent }).factory],
    });
  });
  beforeEach(() => createEvent.mockClear());

  const invoke = (user: string, name: string, input: object) =>
    request(server)
      .post(`/api/bedrock/.backstage/actions/v1/actions/bedrock:${name}/invoke`)
      .set('Authorization', asUser(user))
      .send(input);
  const list = async (user: string) =>
    (
      await request(server)
        .get('/api/bedrock/.backstage/actions/v1/actions')
        .set('Authorization', asUser(user))
    ).body.actions.map((a: any) => a.name);

  describe("an entity copying another team's tenant", () => {
    it("gets none of that tenant's figures from any read action, and no admin write acts on it", async () => {
      for (const [name, input] of [
        ['get-tenant-usage', { entityRef: COPY_REF }],
        ['get-tenant-budget', { entityRef: COPY_REF }],
        ['explain-tenant-cost-change', { entityRef: COPY_REF }],
      ] as const) {
        const res = await invoke(BOB, name, input);
        expect([name, res.status, res.body.error?.name]).toEqual([
          name,
          409,
          'UnverifiedTenantError',
        ]);
        expect(JSON.stringify(res.body)).not.toContain('1000000');
      }
      const write = await invoke(ADMIN, 'suspend-tenant', {
        entityRef: COPY_REF,
      });
      expect(write.status).toBe(409);
      // the attempt is audited, as failed
      const event = await createEvent.mock.results[0].value;
      expect(event.fail).toHaveBeenCalled();
      expect(event.success).not.toHaveBeenCalled();
    });
  });

  describe('get-tenant-usage', () => {
    it("answers a member of the owning team their tenant's usage and cost", async () => {
      const res = await invoke(ALICE, 'get-tenant-usage', {
        entityRef: ALPHA_REF,
        range: 'mtd',
      });
      expect(res.status).toBe(200);
      const out = res.body.output;
      expect(out.tenant.tenantId).toBe('alpha');
      expect(out.totals).toMatchObject({
        invocations: 10,
        inputTokens: 1_000_000,
        estimatedCostUsd: 0.25,
      });
      expect(out.models.map((m: any) => m.modelId)).toEqual([
        'anthropic.claude-3-haiku-20240307-v1:0',
      ]);
      expect(out.budget).toMatchObject({ limitUsd: 10, usedFraction: 0.9 });
    });

    it("refuses another team's tenant, naming the permission", async () => {
      const res = await invoke(BOB, 'get-tenant-usage', {
        entityRef: ALPHA_REF,
      });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toContain('bedrock.usage.read');
    });

    it("answers an admin every team's tenant", async () => {
      for (const ref of [ALPHA_REF, BETA_REF]) {
        const res = await invoke(ADMIN, 'get-tenant-usage', { entityRef: ref });
        expect(res.status).toBe(200);
        expect(res.body.output.tenant.entityRef).toBe(ref);
      }
    });

    it('checks the range as the summary route does', async () => {
      const res = await invoke(ALICE, 'get-tenant-usage', {
        entityRef: ALPHA_REF,
        range: '30d',
        from: '2026-01-01T00:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('either range or from/to');
    });
  });

  describe('get-tenant-budget', () => {
    it('answers a member their tenant budget and enforcement', async () => {
      const res = await invoke(ALICE, 'get-tenant-budget', {
        entityRef: 'alpha',
      });
      expect(res.status).toBe(200);
      expect(res.body.output).toMatchObject({
        tenant: { entityRef: ALPHA_REF },
        budget: { limitUsd: 10, actualSpendUsd: 9 },
        // alpha has not opted in to budget enforcement
        enforcement: null,
      });
    });

    it("refuses another team's tenant; answers an admin", async () => {
      const refused = await invoke(ALICE, 'get-tenant-budget', {
        entityRef: BETA_REF,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.name).toBe('NotAllowedError');
      const admin = await invoke(ADMIN, 'get-tenant-budget', {
        entityRef: BETA_REF,
      });
      expect(admin.status).toBe(200);
      expect(admin.body.output.budget.limitUsd).toBe(20);
    });
  });

  describe('list-tenants-near-budget', () => {
    it("lists the member's own tenants from the threshold (default 0.8)", async () => {
      const res = await invoke(ALICE, 'list-tenants-near-budget', {
        groupRef: 'group:default/team-a',
      });
      expect(res.status).toBe(200);
      expect(res.body.output).toMatchObject({
        threshold: 0.8,
        tenantsCounted: 1,
        unreadableTenants: 0,
      });
      expect(res.body.output.tenants).toEqual([
        expect.objectContaining({ tenantId: 'alpha', budgetUsedFraction: 0.9 }),
      ]);
    });

    it("leaves another team's tenants out; an admin sees them", async () => {
      const member = await invoke(ALICE, 'list-tenants-near-budget', {
        groupRef: 'group:default/team-b',
        threshold: 0.1,
      });
      expect(member.status).toBe(200);
      // the demo policy hides another team's entities from the catalog read too: not counted
      expect(member.body.output).toMatchObject({
        tenants: [],
        tenantsCounted: 0,
        unreadableTenants: 0,
      });
      const admin = await invoke(ADMIN, 'list-tenants-near-budget', {
        groupRef: 'group:default/team-b',
        threshold: 0.1,
      });
      expect(admin.body.output.tenants.map((t: any) => t.tenantId)).toEqual([
        'beta',
      ]);
      expect(admin.body.output.unreadableTenants).toBe(0);
    });

    it('refuses a ref that is no Group', async () => {
      const res = await invoke(ADMIN, 'list-tenants-near-budget', {
        groupRef: ALPHA_REF,
      });
      expect(res.status).toBe(400);
    });
  });

  describe('get-group-chargeback', () => {
    const month = new Date().toISOString().slice(0, 7);

    it("answers the member's group rows, audited as an export by the person", async () => {
      const res = await invoke(ALICE, 'get-group-chargeback', {
        groupRef: 'group:default/team-a',
        month,
      });
      expect(res.status).toBe(200);
      expect(res.body.output.month).toBe(month);
      expect(res.body.output.tenants).toEqual([
        expect.objectContaining({ tenantId: 'alpha', estimatedCostUsd: 0.25 }),
      ]);
      expect(createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'chargeback-export',
          meta: expect.objectContaining({
            actor: ALICE,
            groupRef: 'group:default/team-a',
            month,
            format: 'action',
          }),
        }),
      );
    });

    it("leaves another team's tenants out; an admin gets them", async () => {
      const member = await invoke(ALICE, 'get-group-chargeback', {
        groupRef: 'group:default/team-b',
      });
      expect(member.body.output).toMatchObject({
        tenants: [],
        totals: expect.objectContaining({ tenants: 0, estimatedCostUsd: 0 }),
      });
      const admin = await invoke(ADMIN, 'get-group-chargeback', {
        groupRef: 'group:default/team-b',
      });
      expect(admin.body.output.tenants.map((t: any) => t.tenantId)).toEqual([
        'beta',
      ]);
    });
  });

  describe('suspend-tenant and resume-tenant', () => {
    it('are hidden from members and listed for admins', async () => {
      const member = await list(ALICE);
      expect(member).toEqual(
        expect.arrayContaining([
          'get-tenant-usage',
          'get-tenant-budget',
          'list-tenants-near-budget',
          'get-group-chargeback',
        ]),
      );
      expect(member).not.toContain('suspend-tenant');
      expect(member).not.toContain('resume-tenant');
      expect(await list(ADMIN)).toEqual(
        expect.arrayContaining(['suspend-tenant', 'resume-tenant']),
      );
    });

    it("refuse a member, even for the member's own tenant", async () => {
      const res = await invoke(ALICE, 'suspend-tenant', {
        entityRef: ALPHA_REF,
      });
      // the registry answers a hidden action as absent
      expect(res.status).toBe(404);
    });

    it('preview for an admin by default, change nothing, and are audited with the person', async () => {
      const res = await invoke(ADMIN, 'suspend-tenant', {
        entityRef: BETA_REF,
      });
      expect(res.status).toBe(200);
      expect(res.body.output).toMatchObject({
        dryRun: true,
        change: 'suspend',
        tenantId: 'beta',
        roleName: expect.stringContaining('beta'),
        done: [],
        suspendedBy: `admin:${ADMIN}`,
      });
      expect(res.body.output.plan.join(' ')).toContain(
        'every Bedrock action denied',
      );
      expect(createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'tenant-suspension',
          meta: expect.objectContaining({
            actor: ADMIN,
            action: 'suspend',
            dryRun: true,
          }),
        }),
      );
      const resume = await invoke(ADMIN, 'resume-tenant', {
        entityRef: BETA_REF,
        dryRun: true,
      });
      expect(resume.body.output).toMatchObject({
        change: 'resume',
        done: [],
      });
    });
  });
});
