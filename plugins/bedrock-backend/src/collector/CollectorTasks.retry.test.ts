/**
 * A shard whose AWS reads failed runs again after 1, 2 and 4 minutes, not 15 minutes later: one
 * slow AWS answer must not leave a tenant's usage out of date for a whole cycle.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readBedrockConfig } from '../config';
import { CollectorTasks, FAILED_SHARD_RETRY_MS } from './CollectorTasks';

const TENANT = {
  tenantId: 'docs-bot',
  entityRef: 'component:default/docs-bot',
  accountId: '123456789012',
  regions: ['us-east-1'],
  attribution: 'inference-profile',
  inferenceProfiles: {},
  principalArns: [],
  alarmPrefix: 'bedrock-docs-bot-',
  budgetName: 'bedrock-docs-bot',
  source: 'provisioning',
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: 'user:default/dora',
};

describe('CollectorTasks: a failed shard', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function shardRunner(failures: number[]) {
    const outcomes = [...failures];
    const collect = jest.fn(async () => ({
      failedGroups: outcomes.shift() ?? 0,
      collected: [],
      getMetricDataCalls: 0,
      metricsRequested: 0,
      errors: [],
    }));
    const triggerTask = jest.fn(async (_id: string) => {});
    const scheduled = new Map<string, () => Promise<void>>();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async (t: any) => {
        scheduled.set(t.id, t.fn);
      },
      triggerTask,
    });
    const tasks = CollectorTasks.create({
      settings: readBedrockConfig(
        new ConfigReader({ bedrock: { collector: { shards: 1 } } }),
      ),
      store: { prune: async () => 0 } as any,
      usage: { collect } as any,
      status: { collect: async () => {} } as any,
      bindings: { list: async () => [TENANT] } as any,
      logger: mockServices.logger.mock(),
    });
    await tasks.schedule(scheduler);
    const run = scheduled.get('bedrock-usage-shard-0')!;
    return { run, collect, triggerTask };
  }

  it('runs again after each pause while it keeps failing, then waits for its schedule', async () => {
    const { run, triggerTask } = await shardRunner([1, 1, 1, 1, 1]);
    for (const pause of FAILED_SHARD_RETRY_MS) {
      await run();
      await jest.advanceTimersByTimeAsync(pause - 1);
      const before = triggerTask.mock.calls.length;
      await jest.advanceTimersByTimeAsync(1);
      expect(triggerTask.mock.calls.slice(before)).toEqual([
        ['bedrock-usage-shard-0'],
      ]);
    }
    // three retries failed too: the next run is the scheduled one
    await run();
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(triggerTask).toHaveBeenCalledTimes(FAILED_SHARD_RETRY_MS.length);
  });

  it('is not run again once it succeeds, and a later failure starts the pauses anew', async () => {
    const { run, triggerTask } = await shardRunner([1, 0, 0, 1]);
    await run();
    await jest.advanceTimersByTimeAsync(FAILED_SHARD_RETRY_MS[0]);
    expect(triggerTask).toHaveBeenCalledTimes(1);
    await run(); // succeeds
    await run(); // succeeds
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(triggerTask).toHaveBeenCalledTimes(1);
    await run(); // fails: the first pause again
    await jest.advanceTimersByTimeAsync(FAILED_SHARD_RETRY_MS[0]);
    expect(triggerTask).toHaveBeenCalledTimes(2);
  });
});
