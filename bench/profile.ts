/*
 * Summarises a V8 CPU profile (node --cpu-prof): the functions with the most self time and the
 * most inclusive time, as shares of all samples.
 *
 *   node --import tsx bench/profile.ts artifacts/profiles/<file>.cpuprofile [--top 40]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' } },
});
const top = Number(values.top);
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8')) as {
  nodes: Node[];
  samples: number[];
};
const byId = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes)
  for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => {
  const file = n.callFrame.url.split('/').slice(-3).join('/');
  return `${n.callFrame.functionName || '(anon)'} ${file}:${
    n.callFrame.lineNumber + 1
  }`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const id of profile.samples) {
  const n = byId.get(id)!;
  self.set(label(n), (self.get(label(n)) ?? 0) + 1);
  const seen = new Set<string>();
  for (
    let cur: number | undefined = id;
    cur !== undefined;
    cur = parent.get(cur)
  ) {
    const l = label(byId.get(cur)!);
    if (!seen.has(l)) {
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
    }
  }
}
const total = profile.samples.length;
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`${title}\n`);
  for (const [l, c] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${((100 * c) / total).toFixed(1)}%  ${l}\n`);
  process.stdout.write('\n');
};
print('SELF', self);
print('INCLUSIVE', inclusive);
