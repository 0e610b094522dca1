import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DEMO_TENANTS, demoTenantEntity } from '@bedrock-tenancy/aws-emulator';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bindEntities } from '../__testUtils__/bindings';
import { startBedrockBackend } from '../__testUtils__/startBedrockBackend';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';

jest.setTimeout(60_000);

/** Redis of the development machines and CI (127.0.0.1:6379). */
const REDIS = process.env.BEDROCK_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const checkout = DEMO_TENANTS.find(t => t.tenantId === 'checkout-assistant')!;

describe('refresh rate limit across replicas', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const aws = [
    CloudWatchClient,
    CloudWatchLogsClient,
    BudgetsClient,
    BedrockClient,
  ].map(c => mockClient(c as any));

  it('holds per tenant across two backends sharing one Redis', async () => {
    for (const m of aws) m.onAnyCommand().resolves({});
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    await bindEntities(knex, [demoTenantEntity(checkout)]);
    // a fresh key prefix per run, so an earlier run's entry cannot pass or fail this one
    const namespace = `bedrock-test-${randomUUID()}`;
    const replica = () =>
      startBedrockBackend({
        entities: [demoTenantEntity(checkout)],
        knex,
        accountId: checkout.accountId,
        config: {
          backend: {
            cache: {
              store: 'redis',
              connection: REDIS,
              redis: { client: { namespace } },
            },
          },
        },
        features: [cacheServiceFactory],
      });
    const [a, b] = [await replica(), await replica()];
    try {
      const path = `/api/bedrock/entity/component/default/${checkout.tenantId}/refresh`;
      const first = await request(a).post(path);
      expect(first.status).toBe(200);
      const second = await request(b).post(path);
      expect(second.status).toBe(429);
      expect(second.body.error.message).toContain('rate-limited per tenant');
      expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
