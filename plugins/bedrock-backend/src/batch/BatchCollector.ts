import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { HourlyUsageRow, UsageStore } from '../database/types';
import { Limiter } from '../lib/limiter';
import { DAY_MS, floorHour, HOUR_MS, iso } from '../lib/time';
import { groupByAccountRegion, Tenant } from '../tenant';
import { BatchJobReader } from './BatchJobReader';
import { addBatchRow, batchRow, tenantOfJob } from './batchUsage';

export interface BatchRunSummary {
  /** ended jobs listed in the window */
  jobs: number;
  /** of those, a tenant's, with a manifest */
  attributed: number;
  /** `account/region` whose jobs could not be read (their rows are kept as they were) */
  failed: string[];
}

/**
 * Batch inference usage: per account-region, the jobs that ended in the collection window,
 * attributed to the bound tenants (batchUsage.ts) and stored as `<model>+batch` rows at the
 * hour each ended, so usage, cost, budgets, enforcement and the export count them at the batch
 * price. Each run replaces the window's batch rows (scope `batch`): a job is never counted
 * twice, and the CloudWatch rows are never touched.
 */
export class BatchCollector {
  readonly #reader: BatchJobReader;
  readonly #store: UsageStore;
  readonly #logger: LoggerService;
  readonly #windowDays: number;
  readonly #limiter: Limiter;
  readonly #now: () => number;

  static create(o: {
    clients: AwsClientFactory;
    store: UsageStore;
    logger: LoggerService;
    /** how far back ended jobs are counted (the usage backfill) */
    windowDays: number;
    concurrency?: number;
    now?: () => number;
  }) {
    return new BatchCollector(o);
  }

  private constructor(o: Parameters<typeof BatchCollector.create>[0]) {
    this.#reader = new BatchJobReader(o.clients);
    this.#store = o.store;
    this.#logger = o.logger;
    this.#windowDays = o.windowDays;
    this.#limiter = new Limiter(o.concurrency ?? 4);
    this.#now = o.now ?? Date.now;
  }

  async collect(
    tenants: Tenant[],
    options: {
      accountRegion?: (accountId: string, region: string) => boolean;
    } = {},
  ): Promise<BatchRunSummary> {
    const now = this.#now();
    const to = floorHour(now) + HOUR_MS;
    const from = floorHour(now - this.#windowDays * DAY_MS);
    const summary: BatchRunSummary = { jobs: 0, attributed: 0, failed: [] };
    const groups = groupByAccountRegion(tenants).filter(
      g => options.accountRegion?.(g.accountId, g.region) ?? true,
    );
    await Promise.all(
      groups.map(g =>
        this.#limiter.run(async () => {
          try {
            const rows = await this.#group(g, { from, to }, summary);
            await this.#store.replaceWindows({
              tenantIds: g.tenants.map(t => t.tenantId),
              accountId: g.accountId,
              region: g.region,
              from: iso(from),
              to: iso(to),
              rows,
              scope: 'batch',
            });
          } catch (e) {
            summary.failed.push(`${g.accountId}/${g.region}`);
            this.#logger.warn(
              `Could not read the batch inference jobs of ${g.accountId}/${g.region}: ${e}`,
            );
          }
        }),
      ),
    );
    return summary;
  }

  async #group(
    g: { accountId: string; region: string; tenants: Tenant[] },
    window: { from: number; to: number },
    summary: BatchRunSummary,
  ): Promise<HourlyUsageRow[]> {
    const { accountId, region } = g;
    const jobs = await this.#reader.endedJobs(accountId, region, window);
    summary.jobs += jobs.length;
    const rows = new Map<string, HourlyUsageRow>();
    for (const job of jobs) {
      const tenant = await tenantOfJob(job, g.tenants, () =>
        this.#reader.tags(accountId, region, job.jobArn),
      );
      if (!tenant) continue;
      const manifest = await this.#reader.manifest(accountId, region, job);
      if (!manifest) continue;
      summary.attributed++;
      addBatchRow(rows, batchRow({ job, tenant, manifest, accountId, region }));
    }
    return [...rows.values()];
  }
}
