import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { bedrockPlugin } from '../plugin';

jest.setTimeout(60_000);

/**
 * What the plugin hands the scheduler. Every collector task must be `global`: with `local`, each
 * replica would collect (and call AWS, and Cost Explorer at USD 0.01 a request) on its own.
 * CollectorTasks.replicas.test.ts runs these tasks on three instances sharing one database.
 */
describe('the collector tasks', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function scheduledTasks(bedrock: object) {
    const scheduleTask = jest.fn(
      async (_task: SchedulerServiceTaskInvocationDefinition) => {},
    );
    const knex = await databases.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        bedrockPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.database.factory({ knex }),
        mockServices.scheduler.mock({ scheduleTask }).factory,
        mockServices.rootConfig.factory({
          data: {
            aws: { accounts: [] },
            bedrock: { aws: { endpoint: 'http://127.0.0.1:9' }, ...bedrock },
          },
        }),
      ],
    });
    await backend.stop();
    const all = scheduleTask.mock.calls.map(([t]) => {
      const { fn, signal: _s, ...definition } = t;
      expect(typeof fn).toBe('function');
      return definition as { id: string; scope?: string; timeout?: object };
    });
    // the binding sync, the end of temporary budget increases (an approved increase must go
    // back) and the price list (bedrock.priceList.enabled, default on: summaries price stored
    // usage) run whether or not collection is enabled, and always globally
    const always = [
      'bedrock-binding-sync',
      'bedrock-budget-increases',
      'bedrock-price-list',
    ];
    for (const id of always)
      expect(all.filter(t => t.id === id)).toEqual([
        expect.objectContaining({ scope: 'global' }),
      ]);
    return all.filter(t => !always.includes(t.id));
  }

  it('schedules usage, status and billed cost as global tasks with their configured timeouts', async () => {
    const tasks = await scheduledTasks({
      collector: {
        shards: 2,
        // an operator cannot make a collector local: every replica would call AWS
        schedule: {
          frequency: { minutes: 20 },
          timeout: { minutes: 9 },
          scope: 'local',
        },
      },
      status: {
        schedule: { frequency: { minutes: 7 }, timeout: { minutes: 2 } },
      },
      costExplorer: {
        enabled: true,
        schedule: { frequency: { hours: 6 }, timeout: { minutes: 4 } },
      },
    });
    const shard = (id: string) =>
      expect.objectContaining({
        id,
        scope: 'global',
        frequency: { minutes: 20 },
        timeout: { minutes: 9 },
        // the default start delay survives a configured schedule
        initialDelay: { seconds: 5 },
      });
    expect(tasks).toEqual([
      shard('bedrock-usage-shard-0'),
      shard('bedrock-usage-shard-1'),
      expect.objectContaining({
        id: 'bedrock-status-collector',
        scope: 'global',
        frequency: { minutes: 7 },
        timeout: { minutes: 2 },
      }),
      expect.objectContaining({
        id: 'bedrock-billed-cost',
        scope: 'global',
        frequency: { hours: 6 },
        timeout: { minutes: 4 },
      }),
    ]);
  });

  it('schedules global tasks with default timeouts, and no Cost Explorer task unless enabled', async () => {
    const tasks = await scheduledTasks({});
    expect(tasks.map(t => [t.id, t.scope])).toEqual([
      ...Array.from({ length: 12 }, (_, k) => [
        `bedrock-usage-shard-${k}`,
        'global',
      ]),
      ['bedrock-status-collector', 'global'],
    ]);
    expect(tasks[0].timeout).toEqual({ minutes: 10 });
    for (const t of tasks) expect(t.timeout).toBeDefined();
  });

  it('schedules nothing when collection is disabled', async () => {
    expect(await scheduledTasks({ collector: { enabled: false } })).toEqual([]);
  });
});
