/*
 * TEST-ONLY: the expressions of the Logs Insights query subset the stand-in evaluates
 * (logsInsightsQuery.ts): and / or / not, = != < <= > >=, `field in [..]`, `not in`,
 * toMillis(f), ispresent(f), coalesce(a, b, ..), string and number literals, field names.
 */

export class MalformedQueryError extends Error {
  readonly name = 'MalformedQueryException';
}

export type Value = string | number | boolean | undefined;
export type Record_ = Map<string, Value>;
export type Expr = (r: Record_) => Value;
type Token = { t: 'id' | 'num' | 'str' | 'op'; v: string };

/** The text of a "..." or '...' literal, backslash escapes resolved. */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t' };
const unquote = (literal: string) =>
  literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(>=|<=|!=|=|<|>|\(|\)|\[|\]|,|\*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?)|([@A-Za-z_][\w.@]*))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m)
      throw new MalformedQueryError(`unexpected input: ${src.slice(pos)}`);
    pos = re.lastIndex;
    if (m[1]) tokens.push({ t: 'op', v: m[1] });
    else if (m[2]) tokens.push({ t: 'str', v: unquote(m[2]) });
    else if (m[3]) tokens.push({ t: 'num', v: m[3] });
    else tokens.push({ t: 'id', v: m[4] });
  }
  return tokens;
}

/** A recursive-descent parser of the expressions `filter` and `fields` take. */
class ExprParser {
  #i = 0;
  constructor(readonly tokens: Token[]) {}

  peek(v?: string): Token | undefined {
    const t = this.tokens[this.#i];
    return v === undefined || t?.v.toLowerCase() === v ? t : undefined;
  }
  next(): Token {
    const t = this.tokens[this.#i++];
    if (!t) throw new MalformedQueryError('unexpected end of expression');
    return t;
  }
  expect(v: string) {
    const t = this.next();
    if (t.v.toLowerCase() !== v)
      throw new MalformedQueryError(`expected ${v}, got ${t.v}`);
  }
  done() {
    return this.#i >= this.tokens.length;
  }

  or(): Expr {
    let left = this.and();
    while (this.peek('or')) {
      this.next();
      const [a, b] = [left, this.and()];
      left = r => Boolean(a(r)) || Boolean(b(r));
    }
    return left;
  }
  and(): Expr {
    let left = this.not();
    while (this.peek('and')) {
      this.next();
      const [a, b] = [left, this.not()];
      left = r => Boolean(a(r)) && Boolean(b(r));
    }
    return left;
  }
  not(): Expr {
    if (this.peek('not')) {
      this.next();
      const e = this.not();
      return r => !e(r);
    }
    return this.comparison();
  }
  comparison(): Expr {
    const left = this.primary();
    const negated = Boolean(this.peek('not'));
    if (negated) this.next();
    if (this.peek('in')) {
      this.next();
      this.expect('[');
      const set = new Set<Value>();
      while (!this.peek(']')) {
        const t = this.next();
        if (t.t !== 'str' && t.t !== 'num')
          throw new MalformedQueryError(`list items are literals: ${t.v}`);
        set.add(t.t === 'num' ? Number(t.v) : t.v);
        if (this.peek(',')) this.next();
      }
      this.expect(']');
      return r => set.has(left(r)) !== negated;
    }
    if (negated) throw new MalformedQueryError('`not` without `in`');
    const op = this.peek();
    if (op?.t !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.v))
      return left;
    this.next();
    const right = this.primary();
    const cmp: Record<string, (a: any, b: any) => boolean> = {
      '=': (a, b) => a === b,
      '!=': (a, b) => a !== b,
      '<': (a, b) => a < b,
      '<=': (a, b) => a <= b,
      '>': (a, b) => a > b,
      '>=': (a, b) => a >= b,
    };
    const f = cmp[op.v];
    return r => {
      const [a, b] = [left(r), right(r)];
      return a !== undefined && b !== undefined && f(a, b);
    };
  }
  primary(): Expr {
    const t = this.next();
    if (t.t === 'num') return () => Number(t.v);
    if (t.t === 'str') return () => t.v;
    if (t.t === 'op' && t.v === '(') {
      const e = this.or();
      this.expect(')');
      return e;
    }
    if (t.t !== 'id') throw new MalformedQueryError(`unexpected ${t.v}`);
    if (!this.peek('(')) return r => r.get(t.v);
    this.next();
    const args: Expr[] = [];
    while (!this.peek(')')) {
      args.push(this.or());
      if (this.peek(',')) this.next();
    }
    this.expect(')');
    const fn = t.v.toLowerCase();
    if (fn === 'tomillis' && args.length === 1) {
      return r => {
        const v = args[0](r);
        return typeof v === 'number' ? v : undefined;
      };
    }
    if (fn === 'ispresent' && args.length === 1)
      return r => args[0](r) !== undefined;
    if (fn === 'coalesce' && args.length > 0) {
      return r => {
        for (const a of args) {
          const v = a(r);
          if (v !== undefined && v !== '') return v;
        }
        return undefined;
      };
    }
    throw new MalformedQueryError(`unsupported function ${t.v}`);
  }
}

export const expression = (src: string) => {
  const p = new ExprParser(tokenize(src));
  const e = p.or();
  if (!p.done()) throw new MalformedQueryError(`trailing input in: ${src}`);
  return e;
};
