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
