import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { PriceListReader } from './PriceListReader';
import type { PriceListRun, PriceListStore } from './PriceListStore';
import type { PriceTable } from './PriceTable';

export const PRICE_LIST_TASK_ID = 'bedrock-price-list';
/** Unmapped model names a run's log line lists at most. */
const UNMAPPED_LOGGED = 20;

export interface PriceListSyncOptions {
  reader: PriceListReader;
  store: PriceListStore;
  table: PriceTable;
  logger: LoggerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  now?: () => number;
}

/**
 * Reads the AWS Price List into the database on a schedule (a global task: one replica reads it
 * per run) and refreshes the price table after each run. A run that cannot read the list keeps
 * the prices stored before (or the built-in table), is recorded as failed and logged: nothing is
 * thrown to a page, which never waits for AWS.
 */
export class PriceListSync {
  readonly #o: Required<PriceListSyncOptions>;

  static create(o: PriceListSyncOptions) {
    return new PriceListSync({ ...o, now: o.now ?? Date.now });
  }

  private constructor(o: Required<PriceListSyncOptions>) {
    this.#o = o;
  }

  /** One read of the list; never throws. */
  async run(): Promise<PriceListRun> {
    const { reader, store, table, logger, now } = this.#o;
    const startedAt = new Date(now()).toISOString();
    let run: PriceListRun;
    try {
      const read = await reader.read();
      const finishedAt = new Date(now()).toISOString();
      await store.save(read.facts, finishedAt);
      const unmapped = [...read.unmapped.values()].reduce((s, n) => s + n, 0);
      run = {
        startedAt,
        finishedAt,
        ok: true,
        error: null,
        products: read.products,
        prices: read.facts.length,
        unmapped,
      };
      logger.info('Read the AWS price list', {
        products: read.products,
        prices: read.facts.length,
        unmapped,
        unmappedModels: [...read.unmapped.keys()]
          .sort()
          .slice(0, UNMAPPED_LOGGED)
          .join(', '),
        skipped: read.skipped,
        malformed: read.malformed,
        getProductsCalls: read.calls,
      });
    } catch (e) {
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      run = {
        startedAt,
        finishedAt: new Date(now()).toISOString(),
        ok: false,
        error: error.slice(0, 1000),
        products: 0,
        prices: 0,
        unmapped: 0,
      };
      logger.warn(
        `Could not read the AWS price list; the prices read before (or the built-in table) stay in use: ${error}`,
      );
    }
    await store
      .recordRun(run)
      .catch(e => logger.warn(`Could not record the price list run: ${e}`));
    await table.refresh();
    return run;
  }

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: PRICE_LIST_TASK_ID,
      ...this.#o.schedule,
      scope: 'global',
      fn: async () => {
        await this.run();
      },
    });
  }
}
