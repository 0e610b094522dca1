/*
 * The notifier against the real notifications backend: who receives a tenant's notification is
 * decided there, at send time, from the catalog (entity -> owner -> the Group's members), and
 * muting a tenant's topic is a setting of that backend.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsBackend from '@backstage/plugin-notifications-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import request from 'supertest';
import type { Tenant } from '../tenant';
import { testTenant } from '../__testUtils__/tenants';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { NotificationLedger } from './NotificationLedger';
import { TenantNotifier, tenantTopic } from './TenantNotifier';

jest.setTimeout(60_000);

const group = (name: string, members: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: members.map(m => ({
    type: 'hasMember',
    targetRef: `user:default/${m}`,
  })),
});
const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const tenant = (name: string) =>
  testTenant({
    tenantId: name,
    accountId: '123456789012',
    alarmPrefix: `bedrock-tenancy-${name}-`,
    budgetName: `bedrock-tenancy-${name}`,
  });

/** A tenant whose budget is `spent` of USD 100 this month; nothing else to tell. */
const summary = (t: Tenant, spent: number) =>
  ({
    tenant: { entityRef: t.entityRef, tenantId: t.tenantId },
    budget: {
      status: 'ok',
      data: {
        name: t.budgetName,
        limitUsd: 100,
        actualSpendUsd: spent,
        forecastedSpendUsd: null,
        usedFraction: spent / 100,
        runsOutOn: null,
        thresholds: [],
      },
    },
    alarms: { status: 'ok', data: [] },
    cost: { status: 'ok', data: { anomaly: null } },
    idle: { idle: false, lastInvocationAt: null, thresholdDays: 7 },
    freshness: { lastCollectedAt: null },
  } as unknown as EntitySummary);

async function start(spent: Map<string, number>) {
  // the catalog as the notifications backend reads it: mutable, to change an owner mid-test
  const catalog = new Map<string, Entity>();
  const put = (e: Entity) => catalog.set(stringifyEntityRef(e), e);
  [
    group('team-docs', ['alice', 'bob']),
    group('team-search', ['carol']),
    component('docs-summarizer', 'team-docs'),
    component('search-rag', 'team-docs'),
  ].forEach(put);

  let notifier: TenantNotifier | undefined;
  const probe = createBackendPlugin({
    pluginId: 'bedrock',
    register(env) {
      env.registerInit({
        deps: {
          notifications: notificationService,
          database: coreServices.database,
          logger: coreServices.logger,
        },
        async init({ notifications, database, logger }) {
          const db = await database.getClient();
          await DatabaseUsageStore.migrate(db);
          notifier = new TenantNotifier({
            settings: {
              enabled: true,
              events: {
                budgetThreshold: true,
                alarm: true,
                anomaly: true,
                idle: true,
                suspension: true,
              },
              budgetThresholds: [50, 80, 100],
              signals: false,
            },
            ledger: new NotificationLedger(db),
            notifications,
            summarize: async t => summary(t, spent.get(t.tenantId) ?? 0),
            logger,
            now: Date.now,
          });
        },
      });
    },
  });

  const { server } = await startTestBackend({
    features: [
      notificationsBackend,
      probe,
      catalogServiceMock.mock({
        getEntitiesByRefs: async ({ entityRefs }) => ({
          items: entityRefs.map(r => catalog.get(r)),
        }),
      }).factory,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
    ],
  });
  const inbox = async (user: string) => {
    const res = await request(server)
      .get('/api/notifications/notifications')
      .set(
        'Authorization',
        mockCredentials.user.header(`user:default/${user}`),
      );
    expect(res.status).toBe(200);
    return (res.body.notifications as any[]).map(n => n.payload.title);
  };
  return { server, put, inbox, notifier: () => notifier! };
}

describe('owner notifications through the notifications backend', () => {
  it("reaches the members of the tenant's owner, and the new owner after a change", async () => {
    const spent = new Map([['docs-summarizer', 85]]);
    const { put, inbox, notifier } = await start(spent);
    const docs = tenant('docs-summarizer');

    expect(await notifier().check([docs])).toBe(1);
    const told = [
      'component:default/docs-summarizer: 80% of the Bedrock budget spent',
    ];
    expect(await inbox('alice')).toEqual(told);
    expect(await inbox('bob')).toEqual(told);
    expect(await inbox('carol')).toEqual([]);

    // the tenant changes hands: the next event goes to the new owner, resolved at send time
    put(component('docs-summarizer', 'team-search'));
    spent.set('docs-summarizer', 100);
    expect(await notifier().check([docs])).toBe(1);
    expect(await inbox('carol')).toEqual([
      'component:default/docs-summarizer: 100% of the Bedrock budget spent',
    ]);
    expect(await inbox('alice')).toEqual(told);
  });

  it('lets a user mute one tenant by its topic', async () => {
    const spent = new Map([
      ['docs-summarizer', 60],
      ['search-rag', 60],
    ]);
    const { server, inbox, notifier } = await start(spent);

    // alice turns off the topic of docs-summarizer in her notification settings
    const settings = await request(server)
      .post('/api/notifications/settings')
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send({
        channels: [
          {
            id: 'Web',
            origins: [
              {
                id: 'plugin:bedrock',
                enabled: true,
                topics: [
                  {
                    id: tenantTopic('component:default/docs-summarizer'),
                    enabled: false,
                  },
                ],
              },
            ],
          },
        ],
      });
    expect(settings.status).toBe(200);

    await notifier().check([tenant('docs-summarizer'), tenant('search-rag')]);
    expect(await inbox('alice')).toEqual([
      'component:default/search-rag: 50% of the Bedrock budget spent',
    ]);
    expect((await inbox('bob')).sort()).toEqual([
      'component:default/docs-summarizer: 50% of the Bedrock budget spent',
      'component:default/search-rag: 50% of the Bedrock budget spent',
    ]);
  });
});
