import { createHash } from 'node:crypto';

/** The first `n` hex digits of the SHA-256 of `s`. */
const shortHash = (s: string, n = 8) =>
  createHash('sha256').update(s).digest('hex').slice(0, n);

/**
 * The name the suite's provisioning actions give a tenant's application inference profile for a
 * model: `<tenant>-<model slug>-<hash>`, readable, unique per (tenant, model), at most 64
 * characters and matching `([0-9a-zA-Z][ _-]?)+`. The backend recognises the tenant's profiles in
 * AWS by exactly this name, so both sides share this one builder.
 *
 * @public
 */
export function tenantProfileName(tenantId: string, modelId: string): string {
  const slug = modelId.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const hash = shortHash(`${tenantId}:${modelId}`);
  const room = 64 - tenantId.length - hash.length - 2;
  const cut = slug.slice(0, Math.max(0, room)).replace(/-+$/, '');
  return cut ? `${tenantId}-${cut}-${hash}` : `${tenantId}-${hash}`;
}
