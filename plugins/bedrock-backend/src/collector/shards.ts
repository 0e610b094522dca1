import { createHash } from 'node:crypto';

/** The scheduler task id of usage shard `k`. */
export const shardTaskId = (k: number) => `bedrock-usage-shard-${k}`;

/**
 * The shard an account and region belongs to: a stable hash, the same on every replica and
 * across restarts, whatever else is bound.
 */
export function shardOf(accountId: string, region: string, shards: number) {
  const digest = createHash('sha256').update(`${accountId}/${region}`).digest();
  return digest.readUInt32BE(0) % shards;
}
