/*
 * TEST-ONLY stand-in for CloudWatch Logs Insights (StartQuery, GetQueryResults, StopQuery), which
 * moto 5.2.1 accepts but answers without applying `stats` or `filter`. Put it in front of the
 * logs endpoint: it evaluates the query subset of logsInsightsQuery.ts over the log events of
 * the queried groups and forwards every other request (CreateLogGroup, PutLogEvents, ...) to the
 * upstream endpoint (moto) unchanged.
 * By default the events are read from moto with FilterLogEvents (the caller's signature is
 * reused, so moto serves the caller's account and region); a benchmark can give a synthetic
 * `source` instead. Statistics are counted honestly: every event of the time range is scanned,
 * bytesScanned is the UTF-8 size of the scanned messages. Like AWS, at most `maxResultRows`
 * (10,000) rows are answered, and at most `maxRunningQueries` (30) run at once.
 * It is not an emulator of CloudWatch Logs: just enough to run the real SDK calls of the
 * identity-attributed usage collection locally.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { forwardRequest } from './forward';
import {
  compileInsightsQuery,
  InsightsEvent,
  InsightsRow,
  InsightsStatistics,
  MalformedQueryError,
} from './logsInsightsQuery';

/** Where the stand-in reads the events of a query from. */
export type LogEventSource = (query: {
  logGroupNames: string[];
  /** inclusive, epoch ms */
  startMs: number;
  /** inclusive, epoch ms */
  endMs: number;
  /** the StartQuery request's headers (authorization names the account and region) */
  headers: http.IncomingHttpHeaders;
}) => AsyncIterable<InsightsEvent>;

export interface LogsInsightsStandIn {
  endpoint: string;
  /** what the stand-in has answered so far */
  counters: {
    queriesStarted: number;
    /** the most queries that were running at the same time */
    maxRunning: number;
    /** events read from the source, over all queries */
    recordsScanned: number;
    bytesScanned: number;
  };
  stop(): Promise<void>;
}

interface QueryState {
  status: 'Running' | 'Complete' | 'Failed' | 'Cancelled';
  polls: number;
  rows: InsightsRow[];
  statistics: InsightsStatistics;
  error?: string;
}

const TARGET = 'Logs_20140328.';

/** Reads the events of the groups from moto (or any CloudWatch Logs endpoint) page by page. */
export function motoLogEventSource(upstream: string): LogEventSource {
  return async function* read({ logGroupNames, startMs, endMs, headers }) {
    for (const logGroupName of logGroupNames) {
      let nextToken: string | undefined;
      do {
        const res = await fetch(upstream, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `${TARGET}FilterLogEvents`,
            authorization: String(headers.authorization ?? ''),
            'x-amz-date': String(headers['x-amz-date'] ?? ''),
          },
          body: JSON.stringify({
            logGroupName,
            startTime: startMs,
            endTime: endMs,
            nextToken,
          }),
        });
        const page = (await res.json()) as {
          events?: Array<{ timestamp: number; message: string }>;
          nextToken?: string;
          __type?: string;
          message?: string;
        };
        if (!res.ok) {
          const e = new Error(page.message ?? `HTTP ${res.status}`);
          e.name = String(page.__type ?? 'ServiceUnavailableException')
            .split('#')
            .pop()!;
          throw e;
        }
        for (const e of page.events ?? []) yield e;
        nextToken = page.nextToken;
      } while (nextToken);
    }
  };
}

export async function startLogsInsightsStandIn(options: {
  /** where every other request goes (moto) */
  upstream: string;
  /** default: the upstream's log events, read with FilterLogEvents */
  source?: LogEventSource;
  /** rows a query answers at most; AWS: 10,000 */
  maxResultRows?: number;
  /** queries running at once at most (LimitExceededException past it); AWS: 30 per account */
  maxRunningQueries?: number;
  /** GetQueryResults answers Running this many times before Complete, so callers poll; default 1 */
  runningPolls?: number;
  /** default: a free port */
  port?: number;
}): Promise<LogsInsightsStandIn> {
  const source = options.source ?? motoLogEventSource(options.upstream);
  const maxRows = options.maxResultRows ?? 10_000;
  const maxRunning = options.maxRunningQueries ?? 30;
  const runningPolls = options.runningPolls ?? 1;
  const upstream = new URL(options.upstream);
  const queries = new Map<string, QueryState>();
  const counters = {
    queriesStarted: 0,
    maxRunning: 0,
    recordsScanned: 0,
    bytesScanned: 0,
  };
  const running = () =>
    [...queries.values()].filter(q => q.status === 'Running').length;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: http.ServerResponse, type: string, message: string) =>
    send(res, 400, { __type: type, message });

  async function run(
    state: QueryState,
    queryString: string,
    input: Parameters<LogEventSource>[0],
  ) {
    try {
      const query = compileInsightsQuery(queryString);
      let n = 0;
      for await (const event of source(input)) {
        if (state.status !== 'Running') return;
        // a long scan must not starve the server: polls are answered (Running) meanwhile
        if (++n % 2_000 === 0) await new Promise(r => setImmediate(r));
        if (event.timestamp < input.startMs || event.timestamp > input.endMs)
          continue;
        query.add(event);
      }
      const { rows, statistics } = query.results(maxRows);
      state.rows = rows;
      state.statistics = statistics;
      counters.recordsScanned += statistics.recordsScanned;
      counters.bytesScanned += statistics.bytesScanned;
      if (state.status === 'Running') state.status = 'Complete';
    } catch (e) {
      state.status = 'Failed';
      state.error = String(e);
    }
  }

  function startQuery(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: any,
  ) {
    const logGroupNames: string[] = [
      ...(body.logGroupName ? [body.logGroupName] : []),
      ...(body.logGroupNames ?? []),
      ...(body.logGroupIdentifiers ?? []),
    ];
    if (!logGroupNames.length || typeof body.queryString !== 'string') {
      fail(res, 'InvalidParameterException', 'log group and query needed');
      return;
    }
    try {
      compileInsightsQuery(body.queryString);
    } catch (e) {
      if (!(e instanceof MalformedQueryError)) throw e;
      fail(res, 'MalformedQueryException', e.message);
      return;
    }
    if (body.queryString.length > 10_000) {
      fail(res, 'InvalidParameterException', 'queryString over 10000 chars');
      return;
    }
    if (running() >= maxRunning) {
      fail(res, 'LimitExceededException', 'too many concurrent queries');
      return;
    }
    const queryId = randomUUID();
    const state: QueryState = {
      status: 'Running',
      polls: 0,
      rows: [],
      statistics: { recordsScanned: 0, recordsMatched: 0, bytesScanned: 0 },
    };
    queries.set(queryId, state);
    counters.queriesStarted++;
    counters.maxRunning = Math.max(counters.maxRunning, running());
    // StartQuery times are epoch seconds, both ends inclusive (the whole end second)
    void run(state, body.queryString, {
      logGroupNames,
      startMs: Number(body.startTime) * 1000,
      endMs: Number(body.endTime) * 1000 + 999,
      headers: req.headers,
    });
    send(res, 200, { queryId });
  }

  function getQueryResults(res: http.ServerResponse, body: any) {
    const q = queries.get(body.queryId);
    if (!q) {
      fail(res, 'ResourceNotFoundException', `no query ${body.queryId}`);
      return;
    }
    q.polls++;
    const status =
      q.status === 'Complete' && q.polls <= runningPolls ? 'Running' : q.status;
    send(res, 200, {
      status,
      results: status === 'Complete' ? q.rows : [],
      statistics: q.statistics,
    });
    if (status !== 'Running') queries.delete(body.queryId);
  }

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: Buffer,
  ) => forwardRequest(req, res, raw, upstream);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.startsWith(TARGET) ? target.slice(TARGET.length) : '';
      if (!['StartQuery', 'GetQueryResults', 'StopQuery'].includes(op)) {
        forward(req, res, raw);
        return;
      }
      let body: any;
      try {
        body = JSON.parse(raw.toString() || '{}');
      } catch {
        fail(res, 'SerializationException', 'body is not JSON');
        return;
      }
      try {
        if (op === 'StartQuery') startQuery(req, res, body);
        else if (op === 'GetQueryResults') getQueryResults(res, body);
        else {
          const q = queries.get(body.queryId);
          if (q?.status === 'Running') q.status = 'Cancelled';
          send(res, 200, { success: Boolean(q) });
        }
      } catch (e) {
        send(res, 500, {
          __type: 'ServiceUnavailableException',
          message: String(e),
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counters,
    stop: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
