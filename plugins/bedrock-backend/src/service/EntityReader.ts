import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { MemoCache } from './MemoCache';
import { callerKey } from './PolicyDecisionCache';

/**
 * Reads entities by ref with the caller's own credentials, so the catalog decides what the caller
 * sees: an entity the caller cannot see is a 404. Each read is reused for `ttlMs` per whole caller
 * identity (user, or service with its actor and access restrictions) and ref, never between
 * callers: an entity page's requests, its refreshing tab and a Group card cost one catalog round
 * trip per person and entity (bedrock.permissions.decisionCacheSeconds, like the policy
 * decisions). A failed read is not kept; an edited entity shows after at most `ttlMs`.
 */
export class EntityReader {
  readonly #catalog: CatalogService;
  readonly #reads?: MemoCache<Entity>;

  static create(o: {
    catalog: CatalogService;
    /** 0 reads the catalog every time */
    ttlMs: number;
    now?: () => number;
  }) {
    return new EntityReader(o);
  }

  private constructor(o: {
    catalog: CatalogService;
    ttlMs: number;
    now?: () => number;
  }) {
    this.#catalog = o.catalog;
    if (o.ttlMs > 0) {
      this.#reads = new MemoCache({
        ttlMs: o.ttlMs,
        maxEntries: 10_000,
        now: o.now,
      });
    }
  }

  read(ref: string, credentials: BackstageCredentials): Promise<Entity> {
    const load = async () => {
      const entity = await this.#catalog.getEntityByRef(ref, { credentials });
      if (!entity) throw new NotFoundError(`No entity ${ref} found`);
      return entity;
    };
    const caller = callerKey(credentials);
    if (!this.#reads || !caller) return load();
    return this.#reads.get(JSON.stringify([caller, ref]), load);
  }
}
