import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { mockClient } from 'aws-sdk-client-mock';
import { StatusCollector } from '../collector/StatusCollector';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { BilledSnapshot, SNAPSHOT } from '../database/snapshots';
import type { Tenant } from '../tenant';
import { costAndUsage, type CostGroup } from '../__testUtils__/billing';
import { testTenant } from '../__testUtils__/tenants';
import {
  CE_REQUESTS_SNAPSHOT,
  CostExplorerBilling,
  IAM_PRINCIPAL_TENANT_TAG,
} from './CostExplorerBilling';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const ACCOUNT_C = '333333333333';
const TAG = 'bedrock-tenancy:tenant';

const profileTenant = (id: string, accountId = ACCOUNT_A) =>
  testTenant({ tenantId: id, accountId });
const identityTenant = (id: string, accountId = ACCOUNT_A) =>
  testTenant({
    tenantId: id,
    accountId,
    attribution: 'identity',
    principalArns: [`arn:aws:iam::${accountId}:role/${id}`],
  });
const accountTenant = (id: string, accountId: string) =>
  testTenant({ tenantId: id, accountId, attribution: 'account' });

describe('CostExplorerBilling (mocked Cost Explorer)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const ce = mockClient(CostExplorerClient);
  afterEach(() => ce.reset());
  afterAll(() => ce.restore());

  /** The account a mocked call was sent for: the client's credentials are `AKIA<account>`. */
  const accountOf = async (client: any): Promise<string> =>
    (await client.config.credentials()).accessKeyId.slice(4);

  /** A store, and a factory whose clients' credentials name their account. */
  async function setup() {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async (accountId: string) => async () => ({
        accessKeyId: `AKIA${accountId}`,
        secretAccessKey: 'x',
      }),
      maxAttempts: 1,
    });
    const billing = (maxRequestsPerDay?: number) =>
      CostExplorerBilling.create({
        clients,
        store,
        logger: mockServices.logger.mock(),
        maxRequestsPerDay,
        now: () => NOW,
      });
    const billedOf = async (tenants: Tenant[]) =>
      store.getSnapshots<BilledSnapshot>(
        SNAPSHOT.billed,
        tenants.map(t => t.tenantId),
      );
    return { store, clients, billing, billedOf };
  }

  const calls = () => ce.commandCalls(GetCostAndUsageCommand);

  it('asks once per account, grouped by service and the tenant tag, over last month and this one', async () => {
    ce.on(GetCostAndUsageCommand).resolves(costAndUsage([]));
    const { billing } = await setup();
    await billing().collect([profileTenant('alpha'), profileTenant('beta')]);
    expect(calls()).toHaveLength(1);
    expect(calls()[0].args[0].input).toEqual({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-21' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'TAG', Key: TAG },
      ],
      NextPageToken: undefined,
    });
  });

  it('asks by the IAM-principal tag for identity tenants, and by service only for an account tenant', async () => {
    ce.on(GetCostAndUsageCommand).resolves(costAndUsage([]));
    const { billing } = await setup();
    await billing().collect([
      identityTenant('ident'),
      accountTenant('whole', ACCOUNT_B),
    ]);
    const groupBys = calls().map(c => c.args[0].input.GroupBy);
    expect(groupBys).toEqual([
      [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'TAG', Key: `iamPrincipal/${TAG}` },
      ],
      [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    ]);
    expect(IAM_PRINCIPAL_TENANT_TAG).toBe(`iamPrincipal/${TAG}`);
  });

  it('makes (1 + 1 with identity tenants) × pages requests per account, whatever the number of tenants', async () => {
    // 3 accounts × 10 profile tenants, plus 2 identity tenants in account A: 3 + 1 requests,
    // and account B answers in two pages: 5 in all, never one per tenant (32)
    const accounts: string[] = [];
    ce.on(GetCostAndUsageCommand).callsFake(async (input, getClient) => {
      const account = await accountOf(getClient());
      accounts.push(account);
      return input.NextPageToken === undefined &&
        input.GroupBy?.[1]?.Key === TAG &&
        account === ACCOUNT_B
        ? costAndUsage([], 'page-2')
        : costAndUsage([]);
    });
    const { billing } = await setup();
    const tenants = [ACCOUNT_A, ACCOUNT_B, ACCOUNT_C].flatMap(a =>
      Array.from({ length: 10 }, (_, i) => profileTenant(`t${a[0]}-${i}`, a)),
    );
    tenants.push(identityTenant('ident-1'), identityTenant('ident-2'));
    const run = await billing().collect(tenants);
    expect(calls()).toHaveLength(5);
    expect(accounts).toEqual([
      ACCOUNT_A,
      ACCOUNT_A,
      ACCOUNT_B,
      ACCOUNT_B,
      ACCOUNT_C,
    ]);
    expect(calls()[3].args[0].input.NextPageToken).toBe('page-2');
    expect(run).toEqual({ requests: 5, stored: 32, failed: 0, skipped: 0 });
  });

  it('counts the requests of the day across runs and sends none past the cap', async () => {
    ce.on(GetCostAndUsageCommand).resolves(costAndUsage([]));
    const { billing, billedOf, store } = await setup();
    const tenants = [
      profileTenant('alpha', ACCOUNT_A),
      profileTenant('beta', ACCOUNT_B),
      profileTenant('gamma', ACCOUNT_C),
    ];
    const first = await billing(2).collect(tenants);
    expect(first).toEqual({ requests: 2, stored: 2, failed: 0, skipped: 1 });
    expect(calls()).toHaveLength(2);
    expect(Object.keys(await billedOf(tenants)).sort()).toEqual([
      'alpha',
      'beta',
    ]);
    // a second run the same day (any replica: the count is in the database) sends nothing
    const second = await billing(2).collect(tenants);
    expect(second.requests).toBe(0);
    expect(calls()).toHaveLength(2);
    const counted = await store.getSnapshots<{ requests: number }>(
      CE_REQUESTS_SNAPSHOT,
      ['2026-11-20'],
    );
    expect(counted['2026-11-20'].payload).toEqual({ requests: 2 });
  });

  it("sums a tenant's Bedrock services by its tag value, and an account tenant's whole Bedrock bill", async () => {
    const day = (date: string, groups: CostGroup[]) => ({ date, groups });
    ce.on(GetCostAndUsageCommand).callsFake(input => {
      if (input.GroupBy?.[1]?.Key === TAG)
        return costAndUsage([
          day('2026-10-31', [
            { service: 'Amazon Bedrock', tag: `${TAG}$alpha`, usd: 3 },
          ]),
          day('2026-11-01', [
            { service: 'Amazon Bedrock', tag: `${TAG}$alpha`, usd: 1.25 },
            {
              service: 'Claude 3 Haiku (Amazon Bedrock Edition)',
              tag: `${TAG}$alpha`,
              usd: 0.75,
            },
            // the tenant's alarms carry the tag too: not Bedrock, left out
            { service: 'AmazonCloudWatch', tag: `${TAG}$alpha`, usd: 0.3 },
            { service: 'Amazon Bedrock', tag: `${TAG}$beta`, usd: 0.5 },
            // untagged: no profile tenant's
            { service: 'Amazon Bedrock', tag: `${TAG}$`, usd: 4 },
          ]),
          day('2026-11-02', []),
        ]);
      if (input.GroupBy?.[1]?.Key === IAM_PRINCIPAL_TENANT_TAG)
        return costAndUsage([
          day('2026-11-01', [
            {
              service: 'Amazon Bedrock',
              tag: `${IAM_PRINCIPAL_TENANT_TAG}$ident`,
              usd: 6.5,
            },
            {
              service: 'Amazon Bedrock',
              tag: `${IAM_PRINCIPAL_TENANT_TAG}$someone-else`,
              usd: 9,
            },
          ]),
        ]);
      // account B, by service only
      return costAndUsage([
        day('2026-11-01', [
          { service: 'Amazon Bedrock', usd: 10 },
          { service: 'Llama 3 (Amazon Bedrock Edition)', usd: 2.5 },
          { service: 'Amazon Elastic Compute Cloud - Compute', usd: 100 },
        ]),
      ]);
    });
    const { billing, billedOf } = await setup();
    const tenants = [
      profileTenant('alpha'),
      profileTenant('beta'),
      identityTenant('ident'),
      accountTenant('whole', ACCOUNT_B),
    ];
    await billing().collect(tenants);
    const billed = await billedOf(tenants);
    expect(billed.alpha.payload).toEqual({
      monthToDateUsd: 2,
      daily: [
        { date: '2026-10-31', usd: 3 },
        { date: '2026-11-01', usd: 2 },
        { date: '2026-11-02', usd: 0 },
      ],
      source: 'cost-allocation-tag',
      lagHours: 24,
    });
    expect(billed.beta.payload?.monthToDateUsd).toBe(0.5);
    expect(billed.ident.payload).toEqual({
      monthToDateUsd: 6.5,
      daily: [{ date: '2026-11-01', usd: 6.5 }],
      source: 'iam-principal-tag',
      lagHours: 48,
    });
    expect(billed.whole.payload).toMatchObject({
      monthToDateUsd: 12.5,
      source: 'linked-account',
    });
    expect(billed.alpha.fetchedAt).toBe('2026-11-20T12:00:00.000Z');
  });

  it("never gives two account tenants of one account the account's bill", async () => {
    ce.on(GetCostAndUsageCommand).resolves(
      costAndUsage([
        { date: '2026-11-01', groups: [{ service: 'Amazon Bedrock', usd: 7 }] },
      ]),
    );
    const { billing, billedOf } = await setup();
    const tenants = [
      accountTenant('one', ACCOUNT_B),
      accountTenant('two', ACCOUNT_B),
    ];
    const run = await billing().collect(tenants);
    expect(run.failed).toBe(2);
    const billed = await billedOf(tenants);
    expect(billed.one.payload).toBe(null);
    expect(billed.one.error).toMatch(/2 account-attributed tenants share/);
  });

  it('records a failed account as an error on its tenants, and goes on with the next', async () => {
    ce.on(GetCostAndUsageCommand)
      .rejectsOnce(
        Object.assign(new Error('not enabled'), {
          name: 'AccessDeniedException',
        }),
      )
      .resolves(costAndUsage([]));
    const { billing, billedOf } = await setup();
    const tenants = [
      profileTenant('alpha', ACCOUNT_A),
      profileTenant('beta', ACCOUNT_B),
    ];
    const run = await billing().collect(tenants);
    expect(run).toEqual({ requests: 2, stored: 1, failed: 1, skipped: 0 });
    const billed = await billedOf(tenants);
    expect(billed.alpha.error).toBe('AccessDeniedException: not enabled');
    expect(billed.beta.payload?.source).toBe('cost-allocation-tag');
  });

  it('is what the billed-cost task of the status collector runs', async () => {
    ce.on(GetCostAndUsageCommand).resolves(costAndUsage([]));
    const { store, clients } = await setup();
    const logger = mockServices.logger.mock();
    const status = StatusCollector.create({
      store,
      clients,
      logger,
      billing: CostExplorerBilling.create({
        clients,
        store,
        logger,
        maxRequestsPerDay: 1,
        now: () => NOW,
      }),
      now: () => NOW,
    });
    const tenants = Array.from({ length: 25 }, (_, i) =>
      profileTenant(`t-${i}`),
    );
    tenants.push(profileTenant('other', ACCOUNT_B));
    const run = await status.collectBilled(tenants);
    // 26 tenants in 2 accounts, capped at 1 request a day
    expect(calls()).toHaveLength(1);
    expect(run).toEqual({ requests: 1, stored: 25, failed: 0, skipped: 1 });
  });
});
