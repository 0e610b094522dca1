import {
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type GroupDefinition,
} from '@aws-sdk/client-cost-explorer';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { TAG_TENANT } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  GLOBAL_REGION,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { BilledSnapshot, SNAPSHOT } from '../database/snapshots';
import type { UsageStore } from '../database/types';
import { DAY_MS, iso } from '../lib/time';
import type { Tenant } from '../tenant';
import type { BilledCostReader, BilledRun } from '../collector/StatusCollector';
import { BILLING_SOURCE, LAG_HOURS } from '../service/reconciliation';

/** Snapshot kind of the Cost Explorer requests made per UTC day (key `YYYY-MM-DD`). */
export const CE_REQUESTS_SNAPSHOT = 'cost-explorer-requests';

/** The IAM-principal cost allocation tag of the suite's tenant tag (principal tags appear so). */
export const IAM_PRINCIPAL_TENANT_TAG = `iamPrincipal/${TAG_TENANT}`;

/**
 * Bedrock's charges in Cost Explorer: `Amazon Bedrock`, and third-party models sold through AWS
 * Marketplace as `<model> (Amazon Bedrock Edition)` (e.g. Claude). Every other service carrying
 * the tenant tag (the tenant's CloudWatch alarms, log groups) is left out of the billed figure.
 */
export const isBedrockService = (service: string) => /bedrock/i.test(service);

const error = (e: unknown) =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Thrown when the day's cap is reached: the account's figures stay as they were. */
class CapReached extends Error {
  constructor() {
    super('the daily Cost Explorer request cap is reached');
    this.name = 'CapReached';
  }
}

/**
 * Billed cost per tenant from Cost Explorer, read per AWS account (the tenants' own account's
 * credentials, as every other read), never per tenant and never on a page view:
 *
 * - one GetCostAndUsage grouped by SERVICE and the tenant tag (`bedrock-tenancy:tenant`) answers
 *   every inference-profile tenant of the account (its cost allocation tag) and every account
 *   tenant (the account's Bedrock services, whatever the tag);
 * - one more, grouped by SERVICE and `iamPrincipal/bedrock-tenancy:tenant`, only when the account
 *   has identity tenants (IAM-principal cost allocation);
 * - each paged with NextPageToken, DAILY over the previous and the current month (so a month's
 *   export still has its bill in the first days of the next).
 *
 * Requests per run = Σ over accounts of (1 + 1 if it has identity tenants) × pages; every request
 * is counted per UTC day in the store and none is sent past `maxRequestsPerDay` (the accounts not
 * reached keep their last figures, and say when they were fetched).
 */
export class CostExplorerBilling implements BilledCostReader {
  readonly #clients: AwsClientFactory;
  readonly #store: UsageStore;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #maxPerDay: number;

  static create(o: {
    clients: AwsClientFactory;
    store: UsageStore;
    logger: LoggerService;
    /** bedrock.costExplorer.maxRequestsPerDay */
    maxRequestsPerDay?: number;
    now?: () => number;
  }) {
    return new CostExplorerBilling(o);
  }

  private constructor(o: {
    clients: AwsClientFactory;
    store: UsageStore;
    logger: LoggerService;
    maxRequestsPerDay?: number;
    now?: () => number;
  }) {
    this.#clients = o.clients;
    this.#store = o.store;
    this.#logger = o.logger;
    this.#maxPerDay = o.maxRequestsPerDay ?? Infinity;
    this.#now = o.now ?? Date.now;
  }

  /** The period read: the previous month's first day to tomorrow (End is exclusive). */
  period(): { Start: string; End: string } {
    const now = new Date(this.#now());
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth();
    return {
      Start: day(Date.UTC(y, m - 1, 1)),
      End: day(Date.UTC(y, m, now.getUTCDate()) + DAY_MS),
    };
  }

  /** Reads and stores the billed figures of every tenant, one account after the other. */
  async collect(tenants: Tenant[]): Promise<BilledRun> {
    const run: BilledRun = { requests: 0, stored: 0, failed: 0, skipped: 0 };
    const byAccount = new Map<string, Tenant[]>();
    for (const t of tenants)
      byAccount.set(t.accountId, [...(byAccount.get(t.accountId) ?? []), t]);
    const today = day(this.#now());
    const counter = { today, used: await this.#requestsOn(today) };
    let capped = false;
    for (const [accountId, own] of [...byAccount].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (capped) {
        run.skipped += own.length;
        continue;
      }
      try {
        const figures = await this.#readAccount(
          accountId,
          own,
          this.#sender(accountId, counter, run),
        );
        for (const t of own) {
          const f = figures.get(t.tenantId)!;
          await this.#put(t, f.payload, f.error);
          if (f.payload) run.stored++;
          else run.failed++;
        }
      } catch (e) {
        if (e instanceof CapReached) {
          capped = true;
          run.skipped += own.length;
          this.#logger.warn(
            'Cost Explorer request cap reached: billed figures not read',
            { accountId, maxRequestsPerDay: this.#maxPerDay, day: today },
          );
          continue;
        }
        this.#logger.warn('Cost Explorer read failed', {
          accountId,
          error: error(e),
        });
        for (const t of own) await this.#put(t, null, error(e));
        run.failed += own.length;
      }
    }
    return run;
  }

  /**
   * Sends one request for the account, counted first (a request that fails still costs); none
   * past the day's cap.
   */
  #sender(
    accountId: string,
    counter: { today: string; used: number },
    run: BilledRun,
  ) {
    return async (input: GetCostAndUsageCommandInput) => {
      if (counter.used >= this.#maxPerDay) throw new CapReached();
      counter.used++;
      run.requests++;
      await this.#countRequest(counter.today, counter.used);
      const ce = (await this.#clients.forTarget(accountId, GLOBAL_REGION))
        .costExplorer;
      return ce.send(new GetCostAndUsageCommand(input));
    };
  }

  /** Every page of one grouped request; each page is one request. */
  async #pages(
    send: (i: GetCostAndUsageCommandInput) => Promise<any>,
    tagKey: string | null,
  ) {
    const GroupBy: GroupDefinition[] = [{ Type: 'DIMENSION', Key: 'SERVICE' }];
    if (tagKey) GroupBy.push({ Type: 'TAG', Key: tagKey });
    const out: Array<{
      date: string;
      service: string;
      tag: string;
      usd: number;
    }> = [];
    const days = new Set<string>();
    let NextPageToken: string | undefined;
    do {
      const res = await send({
        TimePeriod: this.period(),
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy,
        NextPageToken,
      });
      for (const r of res?.ResultsByTime ?? []) {
        const date = r.TimePeriod?.Start;
        if (!date) continue;
        days.add(date);
        for (const g of r.Groups ?? []) {
          const [service = '', tagged = ''] = g.Keys ?? [];
          if (!isBedrockService(service)) continue;
          out.push({
            date,
            service,
            // `<key>$<value>`; `<key>$` for untagged cost
            tag: tagged.slice(tagged.indexOf('$') + 1),
            usd: Number(g.Metrics?.UnblendedCost?.Amount ?? 0),
          });
        }
      }
      NextPageToken = res?.NextPageToken || undefined;
    } while (NextPageToken);
    return { rows: out, days };
  }

  /** The account's tenants' figures (or why one has none) from at most two grouped requests. */
  async #readAccount(
    accountId: string,
    tenants: Tenant[],
    send: (i: GetCostAndUsageCommandInput) => Promise<any>,
  ): Promise<
    Map<string, { payload: BilledSnapshot | null; error: string | null }>
  > {
    const mode = (m: Tenant['attribution']) =>
      tenants.filter(t => t.attribution === m);
    const profiles = mode('inference-profile');
    const accounts = mode('account');
    const identities = mode('identity');
    const daily = new Map<string, Map<string, number>>(
      tenants.map(t => [t.tenantId, new Map()]),
    );
    const add = (tenantId: string, date: string, usd: number) => {
      const d = daily.get(tenantId)!;
      d.set(date, (d.get(date) ?? 0) + usd);
    };
    const touch = (ids: string[], days: Set<string>) => {
      for (const id of ids) for (const d of days) add(id, d, 0);
    };
    if (profiles.length || accounts.length) {
      const { rows, days } = await this.#pages(
        send,
        profiles.length ? TAG_TENANT : null,
      );
      const ids = new Set(profiles.map(t => t.tenantId));
      touch(
        [...profiles, ...accounts].map(t => t.tenantId),
        days,
      );
      for (const r of rows) {
        if (ids.has(r.tag)) add(r.tag, r.date, r.usd);
        for (const a of accounts) add(a.tenantId, r.date, r.usd);
      }
    }
    if (identities.length) {
      const { rows, days } = await this.#pages(send, IAM_PRINCIPAL_TENANT_TAG);
      const ids = new Set(identities.map(t => t.tenantId));
      touch([...ids], days);
      for (const r of rows) if (ids.has(r.tag)) add(r.tag, r.date, r.usd);
    }
    const month = day(this.#now()).slice(0, 7);
    const out = new Map<
      string,
      { payload: BilledSnapshot | null; error: string | null }
    >();
    for (const t of tenants) {
      if (t.attribution === 'account' && accounts.length > 1) {
        out.set(t.tenantId, {
          payload: null,
          error: `${accounts.length} account-attributed tenants share account ${accountId}: its Bedrock bill cannot be split between them`,
        });
        continue;
      }
      const source = BILLING_SOURCE[t.attribution];
      const days = [...daily.get(t.tenantId)!]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, usd]) => ({ date, usd }));
      out.set(t.tenantId, {
        payload: {
          monthToDateUsd: days
            .filter(d => d.date.startsWith(`${month}-`))
            .reduce((s, d) => s + d.usd, 0),
          daily: days,
          source,
          lagHours: LAG_HOURS[source],
        },
        error: null,
      });
    }
    return out;
  }

  async #put(t: Tenant, payload: BilledSnapshot | null, err: string | null) {
    await this.#store.putSnapshot({
      kind: SNAPSHOT.billed,
      key: t.tenantId,
      payload,
      error: err,
      fetchedAt: iso(this.#now()),
    });
  }

  async #requestsOn(today: string): Promise<number> {
    const snap = (
      await this.#store.getSnapshots<{ requests: number }>(
        CE_REQUESTS_SNAPSHOT,
        [today],
      )
    )[today];
    return snap?.payload?.requests ?? 0;
  }

  /**
   * Counted before the request is sent (a request that fails still costs). The billed-cost task
   * is global, so one replica counts at a time.
   */
  async #countRequest(today: string, requests: number) {
    await this.#store.putSnapshot({
      kind: CE_REQUESTS_SNAPSHOT,
      key: today,
      payload: { requests },
      error: null,
      fetchedAt: iso(this.#now()),
    });
  }
}
