/* TEST-ONLY: two teams, their tenants and a Bedrock admin, for the actions' permission tests. */
import { ServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { Knex } from 'knex';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { emptyUsageRow } from '../database/types';
import { bindEntities } from './bindings';
import { startBedrockBackend } from './startBedrockBackend';
import { teamPolicy } from './teamPolicy';

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const ADMIN = 'user:default/admin';
/** team-a: owns alpha */
export const ALICE = 'user:default/alice';
/** team-b: owns beta */
export const BOB = 'user:default/bob';
export const ACTION_GROUPS: Record<string, string[]> = {
  [ADMIN]: ['group:default/platform'],
  [ALICE]: ['group:default/team-a'],
  [BOB]: ['group:default/team-b'],
};

const account = (i: number) => `44445555666${i}`;
const tenant = (name: string, owner: string, i: number) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    annotations: {
      [ANNOTATION_TENANT_ID]: name,
      [ANNOTATION_ACCOUNT_ID]: account(i),
      [ANNOTATION_REGIONS]: 'us-east-1',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});
const group = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { type: 'team', children: [] },
});

export const ALPHA_REF = 'component:default/alpha';
export const BETA_REF = 'component:default/beta';
/** team-b's own entity copying alpha's annotations: no binding names it */
export const COPY_REF = 'component:default/alpha-copy';
const copy = tenant('alpha-copy', 'team-b', 1);
copy.metadata.annotations[ANNOTATION_TENANT_ID] = 'alpha';
export const actionEntities = [
  group('team-a'),
  group('team-b'),
  tenant('alpha', 'team-a', 1),
  tenant('beta', 'team-b', 2),
  copy,
];

/**
 * Usage of both tenants this month (alpha 1M Haiku input tokens = USD 0.25; beta 2M = USD 0.50)
 * and a budget each: alpha at 90% of USD 10, beta at 50% of USD 20.
 */
async function seed(knex: Knex) {
  await DatabaseUsageStore.migrate(knex);
  const store = DatabaseUsageStore.fromKnex(knex);
  await bindEntities(knex, actionEntities.slice(2, 4));
  const now = new Date();
  const hour = new Date(
    Math.max(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
      now.getTime() - 3_600_000,
    ),
  );
  hour.setUTCMinutes(0, 0, 0);
  for (const [tenantId, i, tokens, limit, spent] of [
    ['alpha', 1, 1_000_000, 10, 9],
    ['beta', 2, 2_000_000, 20, 10],
  ] as const) {
    await store.replaceWindow({
      tenantId,
      accountId: account(i),
      region: 'us-east-1',
      from: '2000-01-01T00:00:00.000Z',
      to: '2100-01-01T00:00:00.000Z',
      rows: [
        {
          ...emptyUsageRow({
            tenantId,
            accountId: account(i),
            region: 'us-east-1',
            modelId: HAIKU,
            hour: hour.toISOString(),
          }),
          invocations: 10,
          inputTokens: tokens,
        },
      ],
    });
    await store.markCollected({
      tenantId,
      watermark: now.toISOString(),
      at: now.toISOString(),
    });
    await store.putSnapshot({
      kind: 'budget',
      key: tenantId,
      payload: {
        name: `bedrock-${tenantId}`,
        limitUsd: limit,
        actualSpendUsd: spent,
        forecastedSpendUsd: null,
        notifications: [],
      },
      error: null,
      fetchedAt: now.toISOString(),
    });
  }
}

/**
 * The bedrock plugin with its actions on a test backend, over a seeded SQLite database, under the
 * demo policy (admins may everything, owners their entities). `features`: more plugins or
 * services, e.g. the MCP actions backend or an auditor mock.
 */
export async function startActionsBackend(options: {
  /** an empty database: `TestDatabases.create` in the test's describe, `init('SQLITE_3')` */
  knex: Knex;
  features?: any[];
  config?: Record<string, unknown>;
}) {
  const { knex } = options;
  await seed(knex);
  const policy = teamPolicy(ACTION_GROUPS, ADMIN);
  return startBedrockBackend({
    entities: actionEntities,
    knex,
    accountId: account(1),
    config: {
      bedrock: {
        aws: { endpoint: 'http://127.0.0.1:9' },
        collector: { enabled: false },
        permissions: { decisionCacheSeconds: 0 },
      },
      ...options.config,
    },
    features: [
      policy.userInfo.factory,
      policy.permissions.factory,
      ...((options.features ?? []) as ServiceFactory[]),
    ],
  });
}

/** The Authorization header of a person. */
export const asUser = (user: string) => mockCredentials.user.header(user);
