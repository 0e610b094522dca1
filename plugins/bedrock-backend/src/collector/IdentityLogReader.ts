import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { HourlyUsageRow } from '../database/types';
import { floorHour, HOUR_MS, iso, windows } from '../lib/time';
import type { Tenant } from '../tenant';
import {
  addResultRows,
  callerArns,
  identityQuery,
  MAX_RESULT_ROWS,
} from './IdentityLogReaderQuery';

export { roleArnOf } from './IdentityLogReaderQuery';

/** What Logs Insights reports of the queries it ran: it bills the bytes scanned. */
export interface LogQueryStatistics {
  queries: number;
  recordsScanned: number;
  recordsMatched: number;
  bytesScanned: number;
}

/** One finished query, for logs and cost reports. */
export interface LogQueryInfo extends LogQueryStatistics {
  accountId: string;
  region: string;
  logGroupName: string;
  from: number;
  to: number;
  resultRows: number;
}

/** A window is not split below this: more rows than the limit in one minute is an error. */
const MIN_SPLIT_MS = 60_000;

const sleepMs = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/**
 * Reads an account's invocation logs for identity-attributed tenants through CloudWatch Logs
 * Insights: the logs are aggregated where they live (calls and token sums per caller role,
 * model, error code and hour), so no prompt or response is ever read here, and what is held
 * grows with tenants x models x hours, not with the number of log records.
 */
export class IdentityLogReader {
  readonly #clients: AwsClientFactory;
  readonly #pollMs: number;
  readonly #maxPollMs: number;
  readonly #maxWaitMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onQuery?: (info: LogQueryInfo) => void;
  readonly #maxRows: number;
  readonly #totals: LogQueryStatistics = {
    queries: 0,
    recordsScanned: 0,
    recordsMatched: 0,
    bytesScanned: 0,
  };

  static create(options: {
    clients: AwsClientFactory;
    /** first wait between GetQueryResults polls, doubled up to `maxPollMs`; default 250 ms */
    pollMs?: number;
    /** default 5 s */
    maxPollMs?: number;
    /** a query still running after this is stopped and fails the window; default 15 min */
    maxWaitMs?: number;
    /** tests replace the timer */
    sleep?: (ms: number) => Promise<void>;
    /** called after every query with what it scanned */
    onQuery?: (info: LogQueryInfo) => void;
    /** the most rows a query answers (AWS: 10,000); a stand-in for tests may answer fewer */
    maxResultRows?: number;
  }) {
    return new IdentityLogReader(options);
  }

  private constructor(o: Parameters<typeof IdentityLogReader.create>[0]) {
    this.#clients = o.clients;
    this.#pollMs = o.pollMs ?? 250;
    this.#maxPollMs = o.maxPollMs ?? 5_000;
    this.#maxWaitMs = o.maxWaitMs ?? 15 * 60_000;
    this.#sleep = o.sleep ?? sleepMs;
    this.#onQuery = o.onQuery;
    this.#maxRows = o.maxResultRows ?? MAX_RESULT_ROWS;
  }

  /** Totals of every query this reader ran (bytesScanned is what Logs Insights bills). */
  get statistics(): LogQueryStatistics {
    return { ...this.#totals };
  }

  async logGroupName(accountId: string, region: string): Promise<string> {
    const bedrock = (await this.#clients.forTarget(accountId, region)).bedrock;
    const res = await bedrock.send(
      new GetModelInvocationLoggingConfigurationCommand({}),
    );
    const name = res?.loggingConfig?.cloudWatchConfig?.logGroupName;
    if (!name) {
      throw new Error(
        `model invocation logging to CloudWatch Logs is not enabled in ${accountId}/${region}: identity attribution needs it`,
      );
    }
    return name;
  }

  /**
   * Collects `[from, to)` window by window, one window at a time (Logs Insights runs at most 30
   * queries at once per account). A window whose answer reaches the 10,000-row limit is split
   * in halves and queried again, never truncated; `onWindow` gets each whole window's rows.
   */
  async collect(options: {
    accountId: string;
    region: string;
    tenants: Tenant[];
    from: number;
    to: number;
    windowHours: number;
    onWindow: (
      from: number,
      to: number,
      rows: HourlyUsageRow[],
    ) => Promise<void>;
  }): Promise<void> {
    const { accountId, region, tenants } = options;
    const spans = windows(options.from, options.to, options.windowHours);
    if (!callerArns(tenants).length) {
      // no principal to attribute: nothing to scan (and pay for)
      for (const [from, to] of spans) await options.onWindow(from, to, []);
      return;
    }
    const logGroupName = await this.logGroupName(accountId, region);
    const logs = (await this.#clients.forTarget(accountId, region)).logs;
    for (const [from, to] of spans) {
      const rows = new Map<string, HourlyUsageRow>();
      const pending: Array<[number, number]> = [[from, to]];
      while (pending.length) {
        const [start, end] = pending.shift()!;
        const results = await this.#query(logs, {
          accountId,
          region,
          logGroupName,
          tenants,
          from: start,
          to: end,
        });
        if (results.length >= this.#maxRows) {
          pending.unshift(...this.#halves(start, end, logGroupName));
          continue;
        }
        addResultRows({
          results,
          tenants,
          accountId,
          region,
          from: start,
          to: end,
          rows,
        });
      }
      await options.onWindow(from, to, [...rows.values()]);
    }
  }

  /** Two halves of `[from, to)`, cut on an hour when the range spans two or more. */
  #halves(from: number, to: number, logGroupName: string) {
    if (to - from <= MIN_SPLIT_MS) {
      throw new Error(
        `Logs Insights answered ${
          this.#maxRows
        } rows or more for ${logGroupName} over [${iso(from)}, ${iso(
          to,
        )}): too many callers, models and error codes to split further`,
      );
    }
    const mid = from + (to - from) / 2;
    const cut =
      to - from >= 2 * HOUR_MS
        ? floorHour(mid)
        : from + Math.max(1_000, Math.floor((mid - from) / 1_000) * 1_000);
    return [
      [from, cut],
      [cut, to],
    ] as Array<[number, number]>;
  }

  async #query(
    logs: CloudWatchLogsClient,
    q: {
      accountId: string;
      region: string;
      logGroupName: string;
      tenants: Tenant[];
      from: number;
      to: number;
    },
  ) {
    const where = `${q.logGroupName} in ${q.accountId}/${q.region} over [${iso(
      q.from,
    )}, ${iso(q.to)})`;
    const started = await logs.send(
      new StartQueryCommand({
        logGroupName: q.logGroupName,
        // whole seconds, both inclusive; the query itself keeps to [from, to)
        startTime: Math.floor(q.from / 1000),
        endTime: Math.ceil(q.to / 1000),
        queryString: identityQuery(q),
        limit: this.#maxRows,
      }),
    );
    const queryId = started?.queryId;
    if (!queryId) throw new Error(`Logs Insights started no query on ${where}`);
    let waited = 0;
    let wait = this.#pollMs;
    for (;;) {
      const res = await logs.send(new GetQueryResultsCommand({ queryId }));
      const status = res?.status ?? 'Unknown';
      if (status === 'Complete') {
        const stats = res.statistics ?? {};
        const info: LogQueryInfo = {
          accountId: q.accountId,
          region: q.region,
          logGroupName: q.logGroupName,
          from: q.from,
          to: q.to,
          queries: 1,
          recordsScanned: stats.recordsScanned ?? 0,
          recordsMatched: stats.recordsMatched ?? 0,
          bytesScanned: stats.bytesScanned ?? 0,
          resultRows: res.results?.length ?? 0,
        };
        this.#totals.queries++;
        this.#totals.recordsScanned += info.recordsScanned;
        this.#totals.recordsMatched += info.recordsMatched;
        this.#totals.bytesScanned += info.bytesScanned;
        this.#onQuery?.(info);
        return res.results ?? [];
      }
      if (status !== 'Scheduled' && status !== 'Running') {
        throw new Error(
          `Logs Insights query ${queryId} on ${where} ended ${status}`,
        );
      }
      if (waited >= this.#maxWaitMs) {
        await logs.send(new StopQueryCommand({ queryId })).catch(() => {});
        throw new Error(
          `Logs Insights query ${queryId} on ${where} still ${status} after ${waited} ms: stopped`,
        );
      }
      await this.#sleep(wait);
      waited += wait;
      wait = Math.min(wait * 2, this.#maxPollMs);
    }
  }
}
