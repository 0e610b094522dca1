import { createHash } from 'node:crypto';

/** Deterministic checkpoint key: the same action with the same input resumes the same checkpoint. */
export function checkpointKey(action: string, input: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(input ?? {}))
    .digest('hex')
    .slice(0, 16);
  return `${action}:${digest}`;
}

/** Makes a value JSON-clean (drops undefined) for ctx.output and checkpoints. */
export const json = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** A tiny YAML writer for the action examples (plain objects, arrays, strings, numbers, booleans). */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  const plain = (v: string) =>
    /^[\w@./-][\w@./: -]*$/.test(v) &&
    !/^\d+$/.test(v) &&
    !/: /.test(v) &&
    !v.endsWith(':');
  const scalar = (v: unknown) => {
    if (typeof v !== 'string') return String(v);
    return plain(v) ? v : JSON.stringify(v);
  };
  if (Array.isArray(value)) {
    return value
      .map(item => {
        if (item && typeof item === 'object') {
          const inner = toYaml(item, indent + 2).trimStart();
          return `${pad}- ${inner}`;
        }
        return `${pad}- ${scalar(item)}\n`;
      })
      .join('');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as object)
      .map(([k, v]) => {
        if (v && typeof v === 'object') {
          if (Array.isArray(v) && !v.length) return `${pad}${k}: []\n`;
          return `${pad}${k}:\n${toYaml(v, indent + 2)}`;
        }
        return `${pad}${k}: ${scalar(v)}\n`;
      })
      .join('');
  }
  return `${pad}${scalar(value)}\n`;
}
