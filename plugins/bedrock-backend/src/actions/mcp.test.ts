/**
 * End to end as an assistant sees it: the MCP actions backend (@backstage/plugin-mcp-actions-backend)
 * beside the bedrock plugin on one test backend, driven by an MCP client over Streamable HTTP with
 * a person's token. The MCP backend lists and calls the actions through the actions service,
 * which forwards the person's credentials to the bedrock plugin: what a member may not see on
 * the tab, the assistant may not see either.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { AddressInfo } from 'node:net';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ADMIN,
  ALICE,
  ALPHA_REF,
  asUser,
  BETA_REF,
  startActionsBackend,
} from '../__testUtils__/actionsFixture';

jest.setTimeout(60_000);

describe('Bedrock actions over MCP', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let url: URL;
  const clients: Client[] = [];

  beforeAll(async () => {
    const server = await startActionsBackend({
      knex: await databases.init('SQLITE_3'),
      features: [mcpActionsPlugin],
      config: { backend: { actions: { pluginSources: ['bedrock'] } } },
    });
    const { port } = server.address() as AddressInfo;
    url = new URL(`http://localhost:${port}/api/mcp-actions/v1`);
  });
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
  });

  /** An MCP client connected as `user`. */
  async function connect(user: string) {
    const client = new Client({ name: 'bedrock-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { Authorization: asUser(user) } },
      }),
    );
    clients.push(client);
    return client;
  }
  const text = (r: any) => (r.content as Array<{ text: string }>)[0].text;

  describe('as a member of team-a', () => {
    let client: Client;
    beforeAll(async () => {
      client = await connect(ALICE);
    });

    it('lists the read-only tools, not the writes', async () => {
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'bedrock.get-tenant-usage',
          'bedrock.get-tenant-budget',
          'bedrock.list-tenants-near-budget',
          'bedrock.get-group-chargeback',
          'bedrock.explain-tenant-cost-change',
        ]),
      );
      expect(names).not.toContain('bedrock.suspend-tenant');
      expect(names).not.toContain('bedrock.resume-tenant');
      // the one write a member sees: asking for more budget, which an admin decides
      const ask = tools.find(t => t.name === 'bedrock.request-budget-increase');
      expect(ask?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
      });
      const usage = tools.find(t => t.name === 'bedrock.get-tenant-usage')!;
      expect(usage.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      });
    });

    it("answers the usage of the member's own tenant", async () => {
      const r: any = await client.callTool({
        name: 'bedrock.get-tenant-usage',
        arguments: { entityRef: ALPHA_REF, range: 'mtd' },
      });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({
        tenant: { tenantId: 'alpha' },
        totals: { inputTokens: 1_000_000, estimatedCostUsd: 0.25 },
      });
    });

    it("refuses another team's tenant", async () => {
      const r: any = await client.callTool({
        name: 'bedrock.get-tenant-usage',
        arguments: { entityRef: BETA_REF },
      });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^NotAllowedError: .*bedrock\.usage\.read/);
    });

    it('cannot call a write it does not see', async () => {
      const r: any = await client.callTool({
        name: 'bedrock.suspend-tenant',
        arguments: { entityRef: ALPHA_REF, dryRun: true },
      });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^NotFoundError/);
    });
  });

  describe('as a Bedrock admin', () => {
    let client: Client;
    beforeAll(async () => {
      client = await connect(ADMIN);
    });

    it('lists suspend and resume, marked destructive', async () => {
      const { tools } = await client.listTools();
      const suspend = tools.find(t => t.name === 'bedrock.suspend-tenant');
      expect(suspend?.annotations).toMatchObject({
        destructiveHint: true,
        readOnlyHint: false,
      });
      expect(tools.map(t => t.name)).toContain('bedrock.resume-tenant');
    });

    it("previews the suspension of another team's tenant without changing it", async () => {
      const r: any = await client.callTool({
        name: 'bedrock.suspend-tenant',
        arguments: { entityRef: BETA_REF, dryRun: true },
      });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({
        dryRun: true,
        change: 'suspend',
        tenantId: 'beta',
        done: [],
        suspendedBy: `admin:${ADMIN}`,
      });
    });
  });
});
