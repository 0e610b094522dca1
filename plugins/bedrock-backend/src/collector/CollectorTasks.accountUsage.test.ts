/**
 * The batch inference jobs and the account usage (spend no tenant owns) run in the usage shard,
 * after the tenants of the same account-regions; the account usage is pruned with them; neither
 * fails the shard.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readBedrockConfig } from '../config';
import { testTenant } from '../__testUtils__/tenants';
import { CollectorTasks } from './CollectorTasks';
import { shardOf } from './shards';

const TENANT = testTenant({ tenantId: 'docs-bot' });

function tasks(
  accountCollect: jest.Mock,
  batchCollect: jest.Mock = jest.fn(async () => ({})),
) {
  const order: string[] = [];
  const usage = {
    collect: jest.fn(async () => {
      order.push('tenants');
      return {
        failedGroups: 0,
        collected: [],
        getMetricDataCalls: 0,
        metricsRequested: 0,
        errors: [],
      };
    }),
  };
  const prune = jest.fn(async () => 0);
  const accountPrune = jest.fn(async () => 0);
  const t = CollectorTasks.create({
    settings: readBedrockConfig(
      new ConfigReader({ bedrock: { collector: { shards: 2 } } }),
    ),
    store: { prune } as any,
    usage: usage as any,
    status: { collect: async () => {} } as any,
    bindings: {
      list: async () => [
        {
          ...TENANT,
          source: 'provisioning',
          updatedAt: '2026-12-01T00:00:00.000Z',
          updatedBy: 'user:default/dora',
        },
      ],
    } as any,
    logger: mockServices.logger.mock(),
    batchUsage: {
      collect: async (tenants, options) => {
        order.push('batch');
        return batchCollect(tenants, options);
      },
    },
    accountUsage: {
      collect: async (tenants, options) => {
        order.push('accounts');
        return accountCollect(tenants, options);
      },
      prune: accountPrune,
    },
  });
  return { t, order, prune, accountPrune };
}

describe('CollectorTasks: account usage', () => {
  it("collects the shard's account-regions after its tenants, and prunes with them on shard 0", async () => {
    const collect = jest.fn(async () => ({}));
    const { t, order, prune, accountPrune } = tasks(collect);
    const mine = shardOf(TENANT.accountId, 'us-east-1', 2);
    await t.collectShard(mine);
    expect(order).toEqual(['tenants', 'batch', 'accounts']);
    const [tenants, options] = collect.mock.calls[0] as any[];
    expect(tenants.map((x: any) => x.tenantId)).toEqual(['docs-bot']);
    expect(options.accountRegion(TENANT.accountId, 'us-east-1')).toBe(true);
    expect(options.accountRegion(TENANT.accountId, 'eu-west-1')).toBe(
      shardOf(TENANT.accountId, 'eu-west-1', 2) === mine,
    );
    await t.collectShard(0);
    expect((accountPrune.mock.calls[0] as any[])[0]).toBe(
      (prune.mock.calls[0] as any[])[0],
    );
  });

  it("runs the batch jobs of the shard's account-regions only, and a batch failure fails neither the shard nor the account usage", async () => {
    const accounts = jest.fn(async () => ({}));
    const batch = jest.fn(async () => {
      throw new Error('AccessDenied');
    });
    const { t, order } = tasks(accounts, batch);
    const mine = shardOf(TENANT.accountId, 'us-east-1', 2);
    await expect(t.collectShard(mine)).resolves.toEqual({ failedGroups: 0 });
    expect(order).toEqual(['tenants', 'batch', 'accounts']);
    const [, options] = batch.mock.calls[0] as any[];
    expect(options.accountRegion(TENANT.accountId, 'us-east-1')).toBe(true);
    expect(options.accountRegion(TENANT.accountId, 'eu-west-1')).toBe(
      shardOf(TENANT.accountId, 'eu-west-1', 2) === mine,
    );
  });

  it('does not fail the shard when the account usage fails', async () => {
    const { t } = tasks(
      jest.fn(async () => {
        throw new Error('boom');
      }),
    );
    await expect(t.collectShard(0)).resolves.toEqual({ failedGroups: 0 });
  });
});
