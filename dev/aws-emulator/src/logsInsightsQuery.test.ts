import { compileInsightsQuery, MalformedQueryError } from './logsInsightsQuery';

const T0 = Date.parse('2026-11-20T10:00:00Z');
const event = (at: number, body: Record<string, unknown> | string) => ({
  timestamp: at,
  message: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('Logs Insights stand-in query subset', () => {
  it('parses, filters and aggregates by field and hour bin, counting what it scanned', () => {
    const q = compileInsightsQuery(
      [
        `filter toMillis(@timestamp) >= ${T0} and toMillis(@timestamp) < ${
          T0 + 7_200_000
        }`,
        String.raw`parse who /^(?<team>[a-z]+)\/.+$/`,
        `fields coalesce(team, who) as caller`,
        `filter caller in ["red", "solo"] and not kind = 'skip'`,
        'stats count(*) as n, sum(a.b) as total by caller, code, bin(1h)',
      ].join(' | '),
    );
    const events = [
      event(T0 - 1, { who: 'red/1', a: { b: 100 } }),
      event(T0, { who: 'red/1', a: { b: 1 } }),
      event(T0 + 5, { who: 'red/2', a: { b: 2 } }),
      event(T0 + 6, { who: 'red/2', a: { b: 4 }, code: 'Throttled' }),
      event(T0 + 7, { who: 'red/2', kind: 'skip', a: { b: 8 } }),
      event(T0 + 8, { who: 'blue/1', a: { b: 16 } }),
      event(T0 + 9, { who: 'solo' }),
      event(T0 + 3_600_000, { who: 'red/9', a: { b: 32 } }),
      event(T0 + 10, 'not json'),
    ];
    for (const e of events) q.add(e);
    const { rows, statistics } = q.results(10_000);
    const asObjects = rows.map(r =>
      Object.fromEntries(r.map(f => [f.field, f.value])),
    );
    expect(asObjects).toEqual([
      {
        caller: 'red',
        'bin(1h)': '2026-11-20 10:00:00.000',
        n: '2',
        total: '3',
      },
      {
        caller: 'red',
        code: 'Throttled',
        'bin(1h)': '2026-11-20 10:00:00.000',
        n: '1',
        total: '4',
      },
      { caller: 'solo', 'bin(1h)': '2026-11-20 10:00:00.000', n: '1' },
      {
        caller: 'red',
        'bin(1h)': '2026-11-20 11:00:00.000',
        n: '1',
        total: '32',
      },
    ]);
    expect(statistics).toEqual({
      recordsScanned: events.length,
      recordsMatched: 5,
      bytesScanned: events.reduce(
        (s, e) => s + Buffer.byteLength(e.message),
        0,
      ),
    });
    expect(q.results(2).rows).toHaveLength(2);
  });

  it('reads array elements by index, as Logs Insights flattens them', () => {
    const q = compileInsightsQuery(
      [
        'fields coalesce(u.d.0.ttl, "-") as ttl0, coalesce(u.d.1.ttl, "-") as ttl1',
        'stats count(*) as n, sum(u.d.0.t) as t0, sum(u.d.1.t) as t1 by ttl0, ttl1',
      ].join(' | '),
    );
    q.add(
      event(T0, {
        u: {
          d: [
            { ttl: '1h', t: 6 },
            { ttl: '5m', t: 4 },
          ],
        },
      }),
    );
    q.add(event(T0, { u: { d: [{ ttl: '1h', t: 5 }] } }));
    q.add(event(T0, { u: {} }));
    const rows = q
      .results(10)
      .rows.map(r => Object.fromEntries(r.map(f => [f.field, f.value])));
    expect(rows).toEqual([
      { ttl0: '1h', ttl1: '5m', n: '1', t0: '6', t1: '4' },
      { ttl0: '1h', ttl1: '-', n: '1', t0: '5' },
      { ttl0: '-', ttl1: '-', n: '1' },
    ]);
  });

  it('rejects what it does not evaluate instead of ignoring it', () => {
    for (const bad of [
      'fields @message',
      'stats avg(x) by y',
      'dedup x | stats count(*)',
      'filter strlen(x) > 2 | stats count(*)',
      'stats count(*) by y | sort y',
    ]) {
      expect(() => compileInsightsQuery(bad)).toThrow(MalformedQueryError);
    }
  });
});
