/*
 * TEST-ONLY: a catalog that behaves like a real one behind an HTTP server with limits: a request
 * naming too many refs or filter values fails as the real one does (431 Request Header Fields
 * Too Large for a GET whose URL grows, 413 for a body), pages hold at most `maxPage` entities
 * whatever limit is asked (the cursor leads on), and each caller reads only what the catalog's
 * read permission lets it read. Filters are applied by the catalog client's in-memory catalog;
 * an index only narrows what it looks at, so 5,000 entities answer in milliseconds.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { EntityFilterQuery } from '@backstage/catalog-client';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** What the fake was asked, in order. */
export type CatalogCall = {
  method: string;
  request: any;
  credentials: BackstageCredentials;
};

/** The error a catalog behind a server answers to a request too large. */
export class RequestTooLargeError extends Error {
  readonly name = 'ResponseError';
  constructor(readonly statusCode: 431 | 413, what: string) {
    super(`Request failed with ${statusCode}: ${what}`);
  }
}

const filtersOf = (filter: EntityFilterQuery | undefined) =>
  [filter ?? []].flat() as Array<Record<string, unknown>>;
const valuesIn = (filter: EntityFilterQuery | undefined) =>
  filtersOf(filter).flatMap(f => Object.values(f).flatMap(v => [v].flat()))
    .length;
const low = (s: unknown) => String(s).toLocaleLowerCase('en-US');

/** One caller's view: the entities it may read, indexed by ref and by a few filter keys. */
function viewOf(entities: Entity[]) {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const index = new Map<string, Entity[]>();
  const put = (key: string, value: unknown, e: Entity) => {
    const k = `${key}=${low(value)}`;
    const list = index.get(k);
    if (list) list.push(e);
    else index.set(k, [e]);
  };
  for (const e of entities) {
    put('kind', e.kind, e);
    if (typeof e.spec?.owner === 'string') put('spec.owner', e.spec.owner, e);
    for (const r of e.relations ?? [])
      put(`relations.${low(r.type)}`, r.targetRef, e);
  }
  const indexed = (key: string) =>
    key === 'kind' || key === 'spec.owner' || key.startsWith('relations.');
  /** A superset of what `filter` matches, in catalog order; the in-memory catalog decides. */
  const candidates = (filter: EntityFilterQuery | undefined) => {
    const fs = filtersOf(filter);
    if (!fs.length) return entities;
    const out = new Set<Entity>();
    for (const f of fs) {
      const key = Object.keys(f).find(k => indexed(low(k)));
      if (!key) return entities;
      for (const v of [f[key]].flat())
        for (const e of index.get(`${low(key)}=${low(v)}`) ?? []) out.add(e);
    }
    return entities.filter(e => out.has(e));
  };
  return { byRef, candidates };
}

export function boundedCatalog(options: {
  entities: object[];
  /** refs one by-refs request, or filter values one query, may name; more fails (default 50) */
  maxRefs?: number;
  /** the most entities one page holds, whatever limit is asked (default 100) */
  maxPage?: number;
  /** the catalog's read permission for a caller (default: everything) */
  canRead?: (credentials: BackstageCredentials, entity: Entity) => boolean;
}): { catalog: CatalogService; calls: CatalogCall[] } {
  const maxRefs = options.maxRefs ?? 50;
  const maxPage = options.maxPage ?? 100;
  const all = options.entities as Entity[];
  const calls: CatalogCall[] = [];
  const views = new Map<string, ReturnType<typeof viewOf>>();
  /** each query's whole answer, by cursor id */
  const results = new Map<string, Entity[]>();
  let queries = 0;
  const record = (
    method: string,
    request: any,
    o: { credentials: BackstageCredentials },
  ) => {
    calls.push({ method, request, credentials: o.credentials });
    const key = JSON.stringify(o.credentials.principal);
    let view = views.get(key);
    if (!view) {
      const canRead = options.canRead;
      view = viewOf(canRead ? all.filter(e => canRead(o.credentials, e)) : all);
      views.set(key, view);
    }
    return view;
  };
  const bound = (filter: EntityFilterQuery | undefined) => {
    if (valuesIn(filter) > maxRefs)
      throw new RequestTooLargeError(431, `${valuesIn(filter)} filter values`);
  };
  const matching = (
    view: ReturnType<typeof viewOf>,
    request: { filter?: EntityFilterQuery; fields?: string[] },
  ) =>
    new InMemoryCatalogClient({
      entities: view.candidates(request.filter),
    }).getEntities({ filter: request.filter, fields: request.fields });

  const catalog: Partial<CatalogService> = {
    async getEntityByRef(ref, o) {
      return record('getEntityByRef', ref, o).byRef.get(
        typeof ref === 'string' ? ref : stringifyEntityRef(ref),
      );
    },
    async getEntities(request, o) {
      const view = record('getEntities', request, o);
      bound(request?.filter);
      return matching(view, request ?? {});
    },
    async getEntitiesByRefs(request, o) {
      const view = record('getEntitiesByRefs', request, o);
      bound(request.filter);
      if (request.entityRefs.length > maxRefs)
        throw new RequestTooLargeError(
          413,
          `${request.entityRefs.length} entity refs`,
        );
      const found = request.entityRefs.flatMap(r => {
        const e = view.byRef.get(r);
        return e ? [e] : [];
      });
      return new InMemoryCatalogClient({ entities: found }).getEntitiesByRefs(
        request,
      );
    },
    async queryEntities(request, o) {
      const view = record('queryEntities', request, o);
      let id: string;
      let offset: number;
      if (request && 'cursor' in request) {
        [id, offset] = [
          request.cursor.split(':')[0],
          Number(request.cursor.split(':')[1]),
        ];
        if (!results.has(id)) throw new InputError('Invalid cursor');
      } else {
        bound(request?.filter);
        id = String(++queries);
        offset = request?.offset ?? 0;
        results.set(id, (await matching(view, request ?? {})).items);
      }
      const items = results.get(id)!;
      const end = offset + Math.min(request?.limit ?? maxPage, maxPage);
      return {
        items: items.slice(offset, end),
        totalItems: items.length,
        pageInfo: end < items.length ? { nextCursor: `${id}:${end}` } : {},
      };
    },
  };
  return { catalog: catalog as CatalogService, calls };
}
