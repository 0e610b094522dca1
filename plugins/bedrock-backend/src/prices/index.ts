import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { PriceRow } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import type { Knex } from 'knex';
import type { BindingStore } from '../bindings/types';
import type { BedrockBackendConfig } from '../config';
import { PriceListReader } from './PriceListReader';
import { PriceListStore } from './PriceListStore';
import { PriceListSync } from './PriceListSync';
import { PriceTable, priceListNote } from './PriceTable';

export { PriceTable, priceListNote } from './PriceTable';

/** The prices of the plugin: the table summaries read, and the task that reads the AWS price list. */
export interface Pricing {
  table: PriceTable;
  /** absent when bedrock.priceList.enabled is false */
  sync?: PriceListSync;
  /** the cost panel's line on where prices come from */
  note(): string;
  /** schedules the price list task (nothing when it is off) */
  schedule(scheduler: SchedulerService): Promise<void>;
}

/**
 * Builds the price table (built-in rows, stored price-list rows, `bedrock.prices`) and the
 * price-list task. The stored rows are read once here, from the database, never from AWS.
 */
export async function createPricing(options: {
  settings: Pick<BedrockBackendConfig, 'prices' | 'priceList'>;
  db: Knex;
  clients: AwsClientFactory;
  bindings: BindingStore;
  logger: LoggerService;
}): Promise<Pricing> {
  const { settings, db, clients, bindings, logger } = options;
  const builtIn: PriceRow[] = settings.prices.filter(
    p => p.origin !== 'config',
  );
  const overrides = settings.prices.filter(p => p.origin === 'config');
  const list = settings.priceList;
  if (!list.enabled) {
    logger.info(
      'The AWS price list is not read (bedrock.priceList.enabled: false): built-in prices and bedrock.prices only',
    );
    const table = PriceTable.create({ builtIn, overrides, logger });
    return {
      table,
      note: () => priceListNote(table.status()),
      schedule: async () => {},
    };
  }
  const store = PriceListStore.fromKnex(db);
  const table = PriceTable.create({ builtIn, overrides, store, logger });
  await table.refresh();
  const reader = PriceListReader.create({
    regions: list.regions,
    client: async () => {
      const accountId = list.accountId ?? (await bindings.list())[0]?.accountId;
      if (!accountId)
        throw new NotFoundError(
          'no account to read the AWS price list with: set bedrock.priceList.accountId',
        );
      return (await clients.forTarget(accountId, list.endpointRegion)).pricing;
    },
  });
  const sync = PriceListSync.create({
    reader,
    store,
    table,
    logger,
    schedule: list.schedule,
  });
  return {
    table,
    sync,
    note: () => priceListNote(table.status()),
    schedule: scheduler => sync.schedule(scheduler),
  };
}
