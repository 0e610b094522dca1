/*
 * TEST-ONLY evaluator of a small subset of the CloudWatch Logs Insights query language, for the
 * Logs Insights stand-in (logsInsightsStandIn.ts). moto accepts StartQuery but ignores `stats`
 * and `filter`; this evaluates them. Supported, and nothing else (anything else is rejected as a
 * MalformedQueryException, so a query that would need more fails loudly instead of passing):
 *   filter <expr>        and / or / not, = != < <= > >=, `field in [..]`, `not in`,
 *                        toMillis(f), ispresent(f), coalesce(a, b, ..), string and number literals
 *   parse <field> /re/   named capturing groups become fields (absent when the pattern misses)
 *   fields <expr> [as name], ..   adds fields (does not hide the others)
 *   stats count(*) | count(f) | sum(f) [as name], .. by field | bin(<n><s|m|h|d>) [as name], ..
 *   limit <n>
 * JSON messages are flattened as Logs Insights does: `input.inputTokenCount` reads the nested key,
 * `a.0.b` the key of an array's first element.
 */

import {
  expression,
  MalformedQueryError,
  Record_,
  Value,
} from './logsInsightsExpr';

export { MalformedQueryError } from './logsInsightsExpr';

export interface InsightsEvent {
  timestamp: number;
  message: string;
}

export interface InsightsStatistics {
  recordsScanned: number;
  recordsMatched: number;
  bytesScanned: number;
}

export type InsightsRow = Array<{ field: string; value: string }>;

const UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Splits at top-level `|` (outside strings, regexes and brackets). */
function splitCommands(query: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      cur += c;
      if (c === '\\') cur += query[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '/' || c === '`') quote = c;
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (c === '|' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

/** Splits at top-level commas and peels a trailing `as name`. */
function items(src: string): Array<{ text: string; alias?: string }> {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of src) {
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts.map(p => {
    const m = /^(.*?)\s+as\s+([@A-Za-z_][\w.@]*)$/i.exec(p);
    return m ? { text: m[1].trim(), alias: m[2] } : { text: p };
  });
}

function flatten(prefix: string, value: unknown, into: Record_) {
  if (value && typeof value === 'object') {
    // arrays by index, as Logs Insights discovers them: `usage.cacheDetails.0.ttl`
    for (const [k, v] of Object.entries(value))
      flatten(prefix ? `${prefix}.${k}` : k, v, into);
  } else if (typeof value === 'string' || typeof value === 'number') {
    into.set(prefix, value);
  } else if (typeof value === 'boolean') {
    into.set(prefix, String(value));
  }
}

type Step = (r: Record_) => boolean;
interface Aggregate {
  name: string;
  kind: 'count' | 'sum';
  field?: string;
}
interface Key {
  name: string;
  field?: string;
  binMs?: number;
}

const formatBin = (t: number) =>
  new Date(t).toISOString().replace('T', ' ').replace('Z', '');

/** A compiled query: feed it the events of the time range, then read the result rows. */
export interface CompiledInsightsQuery {
  add(event: InsightsEvent): void;
  results(maxRows: number): {
    rows: InsightsRow[];
    statistics: InsightsStatistics;
  };
}

export function compileInsightsQuery(query: string): CompiledInsightsQuery {
  const steps: Step[] = [];
  let aggregates: Aggregate[] | undefined;
  let keys: Key[] = [];
  let limit: number | undefined;
  for (const cmd of splitCommands(query)) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(cmd);
    const [verb, rest] = m ? [m[1].toLowerCase(), m[2]] : [cmd, ''];
    if (aggregates && verb !== 'limit')
      throw new MalformedQueryError(`only limit may follow stats: ${verb}`);
    if (verb === 'filter') {
      const e = expression(rest);
      steps.push(r => Boolean(e(r)));
    } else if (verb === 'parse') {
      const p = /^([@A-Za-z_][\w.@]*)\s+\/((?:[^/\\]|\\.)*)\/$/.exec(
        rest.trim(),
      );
      if (!p) throw new MalformedQueryError(`unsupported parse: ${rest}`);
      const re = new RegExp(p[2]);
      steps.push(r => {
        const v = r.get(p[1]);
        const g = typeof v === 'string' ? re.exec(v)?.groups : undefined;
        for (const [k, x] of Object.entries(g ?? {}))
          if (x !== undefined) r.set(k, x);
        return true;
      });
    } else if (verb === 'fields') {
      for (const it of items(rest)) {
        const e = expression(it.text);
        const name = it.alias ?? it.text;
        steps.push(r => {
          const v = e(r);
          if (v === undefined) r.delete(name);
          else r.set(name, v);
          return true;
        });
      }
    } else if (verb === 'stats') {
      const [aggSrc, bySrc] = rest.split(/\s+by\s+/i);
      aggregates = items(aggSrc).map(it => {
        const a = /^(count|sum)\(\s*([^)]*?)\s*\)$/i.exec(it.text);
        if (!a)
          throw new MalformedQueryError(`unsupported aggregate ${it.text}`);
        const kind = a[1].toLowerCase() as 'count' | 'sum';
        const field = a[2] === '*' || a[2] === '' ? undefined : a[2];
        if (kind === 'sum' && !field)
          throw new MalformedQueryError('sum needs a field');
        return { name: it.alias ?? it.text, kind, field };
      });
      keys = bySrc
        ? items(bySrc).map(it => {
            const b = /^bin\(\s*(\d+)\s*([smhd])\w*\s*\)$/i.exec(it.text);
            if (b) {
              const binMs = Number(b[1]) * UNITS[b[2].toLowerCase()];
              return { name: it.alias ?? it.text, binMs };
            }
            if (!/^[@A-Za-z_][\w.@]*$/.test(it.text))
              throw new MalformedQueryError(`unsupported key ${it.text}`);
            return { name: it.alias ?? it.text, field: it.text };
          })
        : [];
    } else if (verb === 'limit') {
      limit = Number(rest);
      if (!Number.isInteger(limit) || limit < 1)
        throw new MalformedQueryError(`bad limit ${rest}`);
    } else {
      throw new MalformedQueryError(`unsupported command ${verb}`);
    }
  }
  if (!aggregates)
    throw new MalformedQueryError('the stand-in evaluates stats queries only');
  const aggs = aggregates;
  const statistics = { recordsScanned: 0, recordsMatched: 0, bytesScanned: 0 };
  const groups = new Map<string, { key: Value[]; acc: number[] }>();

  return {
    add(event) {
      statistics.recordsScanned++;
      statistics.bytesScanned += Buffer.byteLength(event.message, 'utf8');
      const r: Record_ = new Map();
      r.set('@timestamp', event.timestamp);
      r.set('@message', event.message);
      try {
        flatten('', JSON.parse(event.message), r);
      } catch {
        // not JSON: only @message and @timestamp
      }
      for (const step of steps) if (!step(r)) return;
      statistics.recordsMatched++;
      const key = keys.map(k =>
        k.binMs
          ? Math.floor(event.timestamp / k.binMs) * k.binMs
          : r.get(k.field!),
      );
      const id = JSON.stringify(key);
      let g = groups.get(id);
      if (!g) {
        g = { key, acc: aggs.map(() => NaN) };
        groups.set(id, g);
      }
      aggs.forEach((a, i) => {
        const v = a.field === undefined ? 1 : r.get(a.field);
        if (v === undefined) return;
        const add = a.kind === 'count' ? 1 : Number(v);
        if (Number.isFinite(add)) g!.acc[i] = (g!.acc[i] || 0) + add;
      });
    },
    results(maxRows) {
      const rows: InsightsRow[] = [];
      const cap = Math.min(maxRows, limit ?? maxRows);
      for (const g of groups.values()) {
        if (rows.length >= cap) break;
        const row: InsightsRow = [];
        keys.forEach((k, i) => {
          const v = g.key[i];
          if (v === undefined) return;
          row.push({
            field: k.name,
            value: k.binMs ? formatBin(v as number) : String(v),
          });
        });
        aggs.forEach((a, i) => {
          const v = g.acc[i];
          if (!Number.isNaN(v)) row.push({ field: a.name, value: String(v) });
          else if (a.kind === 'count') row.push({ field: a.name, value: '0' });
        });
        rows.push(row);
      }
      return { rows, statistics: { ...statistics } };
    },
  };
}
