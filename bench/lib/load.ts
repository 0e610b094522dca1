/* Load phases and reads of the API benchmark (bench/api.ts). */
import autocannon from 'autocannon';

export interface Route {
  name: string;
  path: (i: number) => string;
}

export interface Phase {
  requests: number;
  seconds: number;
  latencies: number[];
  failures: number;
  /** why: `HTTP <status>`, `timeouts` (no answer in autocannon's 10 s), `errors` (connection) */
  failed: Record<string, number>;
  /** answers of SLOW_MS or more, by the wall-clock second (UTC) they arrived in */
  slow: Record<string, number>;
}

/** An answer this slow is counted by when it arrived: a burst shows a stall of every client. */
export const SLOW_MS = 1000;

export const tally = (into: Record<string, number>, why: string, n = 1) => {
  if (n > 0) into[why] = (into[why] ?? 0) + n;
};

/** One fixed-duration phase: every request for the next tenant, round robin. */
export async function phase(o: {
  baseUrl: string;
  token: string;
  route: Route;
  seconds: number;
  connections: number;
  /** the route's paths are route.path(0 .. tenants - 1), in turn */
  tenants: number;
}): Promise<Phase> {
  const { baseUrl, token, route, seconds } = o;
  let next = 0;
  const latencies: number[] = [];
  const failed: Record<string, number> = {};
  const slow: Record<string, number> = {};
  const instance = autocannon({
    url: baseUrl,
    connections: o.connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: any) => ({
          ...req,
          path: route.path(next++ % o.tenants),
        }),
      },
    ],
  });
  instance.on(
    'response',
    (_c: unknown, status: number, _b: number, ms: number) => {
      latencies.push(ms);
      if (status !== 200) tally(failed, `HTTP ${status}`);
      if (ms >= SLOW_MS) tally(slow, new Date().toISOString().slice(11, 19));
    },
  );
  const result = await instance;
  // autocannon counts timeouts among the errors
  tally(failed, 'timeouts', result.timeouts);
  tally(failed, 'errors', result.errors - result.timeouts);
  const failures = Object.values(failed).reduce((a, b) => a + b, 0);
  return {
    requests: latencies.length,
    seconds,
    latencies,
    failures,
    failed,
    slow,
  };
}

export const pct = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
    : NaN;

export async function get(baseUrl: string, token: string, p: string) {
  const res = await fetch(`${baseUrl}${p}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** Components the catalog has stitched with their owner, read page by page. */
export async function ownedComponents(baseUrl: string, token: string) {
  let owned = 0;
  let cursor: string | undefined;
  do {
    const r = await get(
      baseUrl,
      token,
      `/api/catalog/entities/by-query?limit=1000&${
        cursor
          ? `cursor=${encodeURIComponent(cursor)}`
          : 'filter=kind=component&fields=metadata.name,relations'
      }`,
    );
    if (r.status !== 200) {
      throw new Error(`catalog query: ${r.status} ${r.body.toString()}`);
    }
    const page = JSON.parse(r.body.toString());
    owned += page.items.filter((e: any) =>
      e.relations?.some((rel: any) => rel.type === 'ownedBy'),
    ).length;
    cursor = page.items.length ? page.pageInfo?.nextCursor : undefined;
  } while (cursor);
  return owned;
}
