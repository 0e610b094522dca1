import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { EntityFilterQuery } from '@backstage/catalog-client';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Limiter } from '../lib/limiter';
import { ownedByOneOf } from './ownership';

/**
 * Refs, or filter values, one catalog request names at most, so that no request grows with the
 * tree: a GET whose URL grows ends in 431 Request Header Fields Too Large at the catalog's server
 * or a proxy. 48 values with their filter key stay under about 9 KB even with 63-character names
 * and namespaces (the longest the catalog allows), well below Node's 16 KB header limit.
 */
export const REFS_PER_REQUEST = 48;
/** Entities asked per page of an owner query; the catalog may answer fewer (the cursor follows). */
const PAGE_SIZE = 500;
/** Catalog requests of one read in flight at once. */
const CONCURRENCY = 4;
/** How to narrow a roll-up too large to read: said in its 400. */
const NARROW =
  'open the roll-up of one of its child groups, or of this group without its children (includeChildren=false)';

/** Defaults of bedrock.rollup.maxGroups and bedrock.rollup.maxEntities. */
export const DEFAULT_MAX_GROUPS = 2000;
export const DEFAULT_MAX_ENTITIES = 20_000;

const batches = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

/**
 * `refs` read by ref with the caller's credentials, in requests of at most REFS_PER_REQUEST refs
 * (a few at once): the answer is aligned with `refs`, undefined where the caller sees nothing.
 */
export async function entitiesByRefs(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
  fields?: string[],
): Promise<Array<Entity | undefined>> {
  const limiter = new Limiter(CONCURRENCY);
  const answers = await Promise.all(
    batches(refs, REFS_PER_REQUEST).map(entityRefs =>
      limiter.run(async () => {
        const { items } = await catalog.getEntitiesByRefs(
          { entityRefs, ...(fields ? { fields } : {}) },
          { credentials },
        );
        // a short answer (a fake, an older catalog) leaves the missing refs undefined
        return entityRefs.map((_, i) => items[i] ?? undefined);
      }),
    ),
  );
  return answers.flat();
}

/** The refs of a group's direct children: spec.children (in the group's namespace) and parentOf. */
function childRefsOf(group: Entity): string[] {
  const ns = group.metadata.namespace ?? 'default';
  const children = (group.spec?.children as string[] | undefined) ?? [];
  return [
    ...children.map(c =>
      stringifyEntityRef(
        parseEntityRef(c, { defaultKind: 'group', defaultNamespace: ns }),
      ),
    ),
    ...(group.relations ?? [])
      .filter(r => r.type === 'parentOf')
      .map(r => r.targetRef),
  ];
}

/** Every way an entity's spec.owner may name the group (shorthand is relative to its namespace). */
function ownerSpellings(groupRef: string): string[] {
  const { name } = parseEntityRef(groupRef);
  return [groupRef, `group:${name}`, name];
}

/**
 * A group's tree as one reader sees it: every group reached, with its direct children as the
 * catalog names them, and what the groups own.
 */
export type GroupTree = {
  /** the group first, then its descendants level by level (when asked) */
  groupRefs: string[];
  /** group ref -> the group and the refs of its direct children (which may not exist) */
  groups: Map<string, { entity: Entity; children: string[] }>;
  /** entity ref -> entity owned by one of the groups (the groups themselves excepted) */
  owned: Map<string, Entity>;
};

/**
 * Reads a group's tree and what it owns from the catalog with the credentials given (the
 * plugin's own, for a tree every caller shares), in requests of bounded size however large the
 * tree: the groups level by level by ref in batches, the owned entities by paginated queries over
 * batches of owners. Past `maxGroups` groups or
 * `maxEntities` owned entities it stops with a 400 that says how to narrow the view.
 */
export class GroupTreeReader {
  readonly #catalog: CatalogService;
  readonly #maxGroups: number;
  readonly #maxEntities: number;
  readonly #pageSize: number;

  static create(o: {
    catalog: CatalogService;
    /** bedrock.rollup.maxGroups: the most groups a roll-up counts, the group itself included */
    maxGroups?: number;
    /** bedrock.rollup.maxEntities: the most entities the groups of a roll-up may own */
    maxEntities?: number;
    /** entities asked per page (tests) */
    pageSize?: number;
  }) {
    return new GroupTreeReader(o);
  }

  private constructor(o: {
    catalog: CatalogService;
    maxGroups?: number;
    maxEntities?: number;
    pageSize?: number;
  }) {
    this.#catalog = o.catalog;
    this.#maxGroups = o.maxGroups ?? DEFAULT_MAX_GROUPS;
    this.#maxEntities = o.maxEntities ?? DEFAULT_MAX_ENTITIES;
    this.#pageSize = o.pageSize ?? PAGE_SIZE;
  }

  async read(o: {
    group: Entity;
    includeChildren: boolean;
    credentials: BackstageCredentials;
  }): Promise<GroupTree> {
    const groups = await this.#groups(o);
    const groupRefs = [...groups.keys()];
    const owned = await this.#owned(groupRefs, o);
    return { groupRefs, groups, owned };
  }

  #tooManyEntities(o: { group: Entity; includeChildren: boolean }) {
    const root = stringifyEntityRef(o.group);
    const max = this.#maxEntities;
    return new InputError(
      o.includeChildren
        ? `the groups of the roll-up of ${root} own more than ${max} catalog entities: ${NARROW}`
        : `${root} owns more than ${max} catalog entities, more than a roll-up reads (bedrock.rollup.maxEntities)`,
    );
  }

  /** The group and, when asked, its descendants (spec.children / parentOf), as the reader sees them. */
  async #groups(o: {
    group: Entity;
    includeChildren: boolean;
    credentials: BackstageCredentials;
  }): Promise<GroupTree['groups']> {
    const root = stringifyEntityRef(o.group);
    const out: GroupTree['groups'] = new Map();
    const add = (entity: Entity, ref = stringifyEntityRef(entity)) =>
      out.set(ref, {
        entity,
        children: o.includeChildren ? childRefsOf(entity) : [],
      });
    add(o.group, root);
    if (!o.includeChildren) return out;
    // refs asked once: a child the reader cannot see is not asked again
    const asked = new Set([root]);
    let frontier = [o.group];
    while (frontier.length) {
      const fresh = [...new Set(frontier.flatMap(childRefsOf))].filter(
        r => !asked.has(r),
      );
      fresh.forEach(r => asked.add(r));
      if (!fresh.length) break;
      // whole groups: a caller's read conditions are applied to them (visibleTree.ts)
      const found = await entitiesByRefs(this.#catalog, fresh, o.credentials);
      frontier = found.filter((e): e is Entity => Boolean(e));
      for (const e of frontier) add(e);
      if (out.size > this.#maxGroups)
        throw new InputError(
          `the group tree of ${root} has more than ${
            this.#maxGroups
          } groups: ${NARROW}`,
        );
    }
    return out;
  }

  /**
   * The entities one of `groupRefs` owns, as the reader sees them: one paginated query per batch
   * of owners, each naming at most REFS_PER_REQUEST values (the ownedBy relation and the three
   * spellings of spec.owner of each group), then kept when their owner resolves to one of the
   * groups (see ownedByOneOf). An entity found through two batches is counted once.
   */
  async #owned(
    groupRefs: string[],
    o: {
      group: Entity;
      includeChildren: boolean;
      credentials: BackstageCredentials;
    },
  ): Promise<Map<string, Entity>> {
    const groups = new Set(groupRefs);
    const counted = new Set<string>();
    const limiter = new Limiter(CONCURRENCY);
    // once one batch failed (too many entities, the catalog down), the others stop asking
    let failed = false;
    const perBatch = await Promise.all(
      batches(groupRefs, Math.floor(REFS_PER_REQUEST / 4)).map(owners =>
        limiter.run(async () => {
          const filter: EntityFilterQuery = [
            { 'relations.ownedBy': owners },
            { 'spec.owner': owners.flatMap(ownerSpellings) },
          ];
          const kept: Array<[string, Entity]> = [];
          let cursor: string | undefined;
          try {
            while (!failed) {
              const page = await this.#catalog.queryEntities(
                cursor
                  ? { cursor, limit: this.#pageSize }
                  : { filter, limit: this.#pageSize },
                { credentials: o.credentials },
              );
              for (const e of page.items) {
                const ref = stringifyEntityRef(e);
                if (groups.has(ref) || !ownedByOneOf(e, groups)) continue;
                kept.push([ref, e]);
                counted.add(ref);
              }
              if (counted.size > this.#maxEntities)
                throw this.#tooManyEntities(o);
              cursor = page.pageInfo.nextCursor;
              if (!cursor || !page.items.length) break;
            }
          } catch (error) {
            failed = true;
            throw error;
          }
          return kept;
        }),
      ),
    );
    // in the order of the groups, whichever batch answered first
    return new Map(perBatch.flat());
  }
}
