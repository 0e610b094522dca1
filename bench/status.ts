/*
 * Status collector benchmark: one status run over the demo tenants in the seeded emulator (moto
 * behind the inference-profile stand-in, as `scripts/start.sh` runs it), with the default run
 * budget (`bedrock.status.*`). Prints the run time, AWS calls and the run's state.
 *
 *   node --import tsx bench/status.ts
 *   BENCH_COPIES=10 node --import tsx bench/status.ts   # each demo tenant 10 times
 */
import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DEMO_ACCOUNTS,
  DEMO_AWS_CONFIG,
  DEMO_TENANTS,
  demoTenantEntity,
  seedDemo,
  startBedrockStandIn,
  startMoto,
} from '@bedrock-tenancy/demo';
import knexFactory from 'knex';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { StatusCollector } from '../plugins/bedrock-backend/src/collector/StatusCollector';
import { tenantOf } from '../plugins/bedrock-backend/src/tenant';
import { readBedrockConfig } from '../plugins/bedrock-backend/src/config';
import { DatabaseUsageStore } from '../plugins/bedrock-backend/src/database/DatabaseUsageStore';

const COPIES = Number(process.env.BENCH_COPIES ?? 1);

const logger: LoggerService = {
  error: (m, meta) => console.error(m, meta ?? ''),
  warn: (m, meta) => console.warn(m, meta ?? ''),
  info: (m, meta) => console.log(m, meta ?? ''),
  debug() {},
  child: () => logger,
};

async function main() {
  const moto = await startMoto();
  const standIn = await startBedrockStandIn({
    motoEndpoint: moto.endpoint,
    accountId: DEMO_ACCOUNTS.platform,
  });
  try {
    await seedDemo({
      endpoint: moto.endpoint,
      bedrockEndpoint: standIn.endpoint,
    });
    // the second demo account is reached by assuming a role through STS, as in the portal
    process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await DatabaseUsageStore.migrate(knex);
    const config = new ConfigReader({ aws: DEMO_AWS_CONFIG });
    const settings = readBedrockConfig(new ConfigReader({}));
    const clients = AwsClientFactory.fromConfig(config, {
      endpoint: standIn.endpoint,
    });
    const base = DEMO_TENANTS.map(t => tenantOf(demoTenantEntity(t) as any)!);
    const tenants = Array.from({ length: COPIES }, (_, i) =>
      base.map(t => (i ? { ...t, tenantId: `${t.tenantId}-${i}` } : t)),
    ).flat();
    const status = StatusCollector.create({
      store: DatabaseUsageStore.fromKnex(knex),
      clients,
      logger,
      budget: settings.status.budget,
    });
    const started = Date.now();
    const run = await status.collect(tenants);
    console.log(
      JSON.stringify({
        tenants: tenants.length,
        budget: settings.status.budget,
        state: run.state,
        fetched: run.fetched,
        pending: run.pending.length,
        awsCalls: clients.calls,
        durationMs: Date.now() - started,
      }),
    );
    await knex.destroy();
  } finally {
    await standIn.stop();
    await moto.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
