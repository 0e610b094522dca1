import {
  createServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { MotoServer, startMoto } from '@bedrock-tenancy/demo';
import { bindEntities } from '../__testUtils__/bindings';
import {
  costAndUsage,
  daysFrom,
  HAIKU,
  usageRow,
} from '../__testUtils__/billing';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { bedrockPlugin } from '../plugin';

jest.setTimeout(120_000);

/** The account moto attributes unknown access keys to. */
const ACCOUNT = '123456789012';
const ADMINS = ['group:default/bedrock-admins'];

const tenantEntity = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      [ANNOTATION_TENANT_ID]: name,
      [ANNOTATION_ACCOUNT_ID]: ACCOUNT,
      [ANNOTATION_REGIONS]: 'us-east-1',
      // profiles in a shared account: billed by the cost allocation tag on them
      [ANNOTATION_ATTRIBUTION]: 'inference-profile',
      [ANNOTATION_INFERENCE_PROFILES]: `${name}profile1=${HAIKU}`,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

/**
 * The whole path as the plugin wires it, on the real clock: the billed-cost task reads Cost
 * Explorer (the emulator answers what is queued), stores the bill, and the admins are told of a
 * variance past the configured threshold, once.
 */
describe('estimate vs bill in the plugin (moto)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => moto?.stop());

  it("tells the admins once of last month's variance past the threshold, and nobody of one below it", async () => {
    // last month's days 1-20 (complete whatever today is): USD 1.00 a day estimated for both
    // tenants (2,000,000 input + 400,000 output Haiku tokens); billed USD 2.00 a day for `over`
    // (USD 40.00 vs 20.00: 50%), 1.02 for `near` (USD 20.40 vs 20.00: 1.96%, USD 0.40)
    const now = new Date();
    const first = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1),
    );
    const month = first.toISOString().slice(0, 7);
    const days = daysFrom(`${month}-01`, `${month}-20`);
    const tag = (id: string) => `${TAG_TENANT}$${id}`;
    const res = await fetch(
      `${moto.endpoint}/moto-api/static/ce/cost-and-usage-results`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          account_id: ACCOUNT,
          results: [
            costAndUsage(
              days.map(date => ({
                date,
                groups: [
                  { service: 'Amazon Bedrock', tag: tag('over'), usd: 2 },
                  { service: 'Amazon Bedrock', tag: tag('near'), usd: 1.02 },
                ],
              })),
            ),
          ],
        }),
      },
    );
    expect(res.ok).toBe(true);

    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const entities = [tenantEntity('over'), tenantEntity('near')];
    await bindEntities(knex, entities);
    const store = DatabaseUsageStore.fromKnex(knex);
    for (const tenantId of ['over', 'near']) {
      await store.replaceWindow({
        tenantId,
        accountId: ACCOUNT,
        region: 'us-east-1',
        from: `${month}-01T00:00:00.000Z`,
        to: `${month}-21T00:00:00.000Z`,
        rows: days.map(d => ({
          ...usageRow({
            tenantId,
            hour: `${d}T10:00:00.000Z`,
            inputTokens: 2_000_000,
            outputTokens: 400_000,
          }),
          accountId: ACCOUNT,
        })),
      });
    }

    const tasks = new Map<string, () => Promise<void>>();
    const sent: NotificationSendOptions[] = [];
    const backend = await startTestBackend({
      features: [
        bedrockPlugin,
        catalogServiceMock.factory({ entities: entities as any }),
        mockServices.database.factory({ knex }),
        mockServices.scheduler.mock({
          scheduleTask: async (t: SchedulerServiceTaskInvocationDefinition) => {
            tasks.set(t.id, async () => {
              await t.fn(new AbortController().signal);
            });
          },
        }).factory,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (n: NotificationSendOptions) => {
              sent.push(n);
            },
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            aws: {
              accounts: [
                {
                  accountId: ACCOUNT,
                  accessKeyId: 'AKIATESTRECONCILE',
                  secretAccessKey: 'x',
                },
              ],
            },
            bedrock: {
              aws: { endpoint: moto.endpoint, maxAttempts: 1 },
              costExplorer: { enabled: true, maxRequestsPerDay: 5 },
              reconciliation: {
                varianceThresholdPercent: 10,
                minVarianceUsd: 5,
                adminRecipients: ADMINS,
              },
            },
          },
        }),
      ],
    });
    try {
      const billed = tasks.get('bedrock-billed-cost');
      expect(billed).toBeDefined();
      await billed!();
      await billed!();
      const variance = sent.filter(
        n => n.payload.topic === 'bedrock-cost-variance',
      );
      expect(variance).toHaveLength(1);
      expect(variance[0].recipients).toEqual({
        type: 'entity',
        entityRef: ADMINS,
      });
      expect(variance[0].payload.title).toBe(
        `Bedrock tenant over: billed cost 50.0% above the estimate in ${month}`,
      );
      expect(variance[0].payload.description).toContain(
        `billed USD 40.00, estimated USD 20.00 for ${month}`,
      );
      // two runs, one grouped request for the one account each
      const counted = await store.getSnapshots<{ requests: number }>(
        'cost-explorer-requests',
        [now.toISOString().slice(0, 10)],
      );
      expect(
        Object.values(counted).reduce(
          (s, c) => s + (c.payload?.requests ?? 0),
          0,
        ),
      ).toBe(2);
    } finally {
      await backend.stop();
    }
  });
});
