import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { isBedrockTenantEntity } from '@bedrock-tenancy/plugin-bedrock-common';
import { boundedCatalog } from '../__testUtils__/boundedCatalog';
import {
  LARGE_TREE,
  largeGroupTree,
  readsDepartment,
} from '../__testUtils__/largeGroupTree';
import { userCredentials } from '../__testUtils__/lightServices';
import {
  entitiesByRefs,
  GroupTreeReader,
  REFS_PER_REQUEST,
} from './GroupTreeReader';

const ADMIN = userCredentials('user:default/admin');
const MEMBER = userCredentials('user:default/dana');
const isMember = (c: BackstageCredentials) =>
  (c.principal as any).userEntityRef === 'user:default/dana';

// an entity two groups own, asked in two different owner batches: still one entity
const shared = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shared', namespace: 'default' },
  spec: { type: 'service', owner: 'd0' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/d0' },
    { type: 'ownedBy', targetRef: 'group:default/d9-s8-t9' },
  ],
};
const entities = [...largeGroupTree(), shared];
const byName = (name: string) =>
  entities.find(
    (e: any) => e.metadata.name === name && e.metadata.namespace === 'default',
  ) as Entity;
const root = byName('engineering');

/** A catalog that fails any request naming more than REFS_PER_REQUEST values, paging by 25. */
function setup(o: { maxGroups?: number; maxEntities?: number } = {}) {
  const { catalog, calls } = boundedCatalog({
    entities,
    maxRefs: REFS_PER_REQUEST,
    maxPage: 25,
    canRead: (c, e) => !isMember(c) || readsDepartment(3)(e),
  });
  return { reader: GroupTreeReader.create({ catalog, ...o }), catalog, calls };
}

describe('GroupTreeReader', () => {
  it('reads 1,000 groups over three levels and 5,000 owned entities in bounded requests, every page followed', async () => {
    const { reader, calls } = setup();
    const { groupRefs, owned } = await reader.read({
      group: root,
      includeChildren: true,
      credentials: ADMIN,
    });
    expect(groupRefs).toHaveLength(1 + LARGE_TREE.descendants);
    expect(new Set(groupRefs).size).toBe(groupRefs.length);
    // the group first, then level by level
    expect(groupRefs.slice(0, 3)).toEqual([
      LARGE_TREE.root,
      'group:default/d0',
      'group:default/d1',
    ]);
    expect(groupRefs).toContain('group:default/d5-s3'); // a parentOf relation only
    expect(groupRefs).toContain('group:default/d5-s4-t9');
    expect(groupRefs).not.toContain('group:elsewhere/d0');

    const values = [...owned.values()];
    // by hand: 5 per descendant, and the shared one once
    expect(owned.size).toBe(LARGE_TREE.owned + 1);
    expect(values.filter(isBedrockTenantEntity)).toHaveLength(
      LARGE_TREE.tenants,
    );
    expect([...owned.keys()]).toEqual(values.map(e => stringifyEntityRef(e)));
    // outside the tree: another group's, and a same-named group's of another namespace
    expect(owned.has('component:default/outsiders-e0')).toBe(false);
    expect(owned.has('component:default/outsiders-e1')).toBe(false);
    expect(owned.has('component:elsewhere/elsewhere-e0')).toBe(false);
    // each way of naming the owner is found: the n-th group's k-th entity is spelt (n + k) % 4,
    // so each spelling 1,000 + 250 times (the shared entity's owner is a bare name)
    const spelling = (e: Entity) => {
      const owner = String(e.spec?.owner);
      if (owner === 'someone-else') return 'relation';
      if (!owner.includes(':')) return 'name';
      return owner.includes('/') ? 'ref' : 'group:name';
    };
    const spellings = new Map<string, number>();
    for (const e of values)
      spellings.set(spelling(e), (spellings.get(spelling(e)) ?? 0) + 1);
    expect(Object.fromEntries(spellings)).toEqual({
      name: 1251,
      'group:name': 1250,
      ref: 1250,
      relation: 1250,
    });

    // the groups by ref, the owned entities by query: 12 owners (48 values) per query
    const lookups = calls.filter(c => c.method === 'getEntitiesByRefs');
    expect(lookups.length).toBeGreaterThanOrEqual(
      Math.ceil(LARGE_TREE.descendants / REFS_PER_REQUEST),
    );
    const queries = calls.filter(c => c.method === 'queryEntities');
    const first = queries.filter(c => !('cursor' in c.request));
    expect(first).toHaveLength(Math.ceil((1 + LARGE_TREE.descendants) / 12));
    // by hand: the first 83 batches own 55 to 61 entities, 3 pages of 25 each (2 by cursor);
    // the last (5 teams, 25 entities) fits one page
    expect(queries.length - first.length).toBe(83 * 2);
    expect(calls.every(c => c.credentials === ADMIN)).toBe(true);
    expect(calls.some(c => c.method === 'getEntities')).toBe(false);
  });

  it('reads for a member only the part of the tree the catalog shows them', async () => {
    const { reader, calls } = setup();
    const { groupRefs, owned } = await reader.read({
      group: root,
      includeChildren: true,
      credentials: MEMBER,
    });
    expect(groupRefs).toHaveLength(LARGE_TREE.member.groups);
    expect(groupRefs.slice(0, 2)).toEqual([
      LARGE_TREE.root,
      LARGE_TREE.member.department,
    ]);
    expect(owned.size).toBe(LARGE_TREE.member.owned);
    expect([...owned.values()].filter(isBedrockTenantEntity)).toHaveLength(
      LARGE_TREE.member.tenants,
    );
    for (const ref of owned.keys()) expect(ref).toMatch(/^[a-z]+:default\/d3-/);
    expect(calls.every(c => c.credentials === MEMBER)).toBe(true);
  });

  it('stops past maxGroups with a 400 that says how to narrow the view, counting the group itself', async () => {
    const fits = setup({ maxGroups: 1 + LARGE_TREE.descendants });
    await expect(
      fits.reader.read({
        group: root,
        includeChildren: true,
        credentials: ADMIN,
      }),
    ).resolves.toBeDefined();
    const { reader, calls } = setup({ maxGroups: LARGE_TREE.descendants });
    const read = reader.read({
      group: root,
      includeChildren: true,
      credentials: ADMIN,
    });
    await expect(read).rejects.toThrow(InputError);
    await expect(read).rejects.toThrow(
      'the group tree of group:default/engineering has more than 1000 groups: open the roll-up of one of its child groups, or of this group without its children (includeChildren=false)',
    );
    // no owned entity was asked
    expect(calls.some(c => c.method === 'queryEntities')).toBe(false);
  });

  it('stops past maxEntities with a 400, and asks no more than the batches in flight', async () => {
    const fits = setup({ maxEntities: LARGE_TREE.owned + 1 });
    expect(
      (
        await fits.reader.read({
          group: root,
          includeChildren: true,
          credentials: ADMIN,
        })
      ).owned.size,
    ).toBe(LARGE_TREE.owned + 1);

    const { reader, calls } = setup({ maxEntities: 100 });
    await expect(
      reader.read({ group: root, includeChildren: true, credentials: ADMIN }),
    ).rejects.toThrow(
      'the groups of the roll-up of group:default/engineering own more than 100 catalog entities: open the roll-up of one of its child groups, or of this group without its children (includeChildren=false)',
    );
    const first = calls.filter(
      c => c.method === 'queryEntities' && !('cursor' in c.request),
    );
    // 100 entities is two batches of 60: the four in flight, not the 84 batches
    expect(first.length).toBeLessThanOrEqual(6);

    const team = setup({ maxEntities: 4 });
    await expect(
      team.reader.read({
        group: byName('d3-s4-t2'),
        includeChildren: false,
        credentials: ADMIN,
      }),
    ).rejects.toThrow(
      'group:default/d3-s4-t2 owns more than 4 catalog entities, more than a roll-up reads (bedrock.rollup.maxEntities)',
    );
  });

  it('reads a group alone without asking for its children', async () => {
    const { reader, calls } = setup();
    const { groupRefs, owned } = await reader.read({
      group: byName('d3-s4-t2'),
      includeChildren: false,
      credentials: ADMIN,
    });
    expect(groupRefs).toEqual(['group:default/d3-s4-t2']);
    expect([...owned.keys()].sort()).toEqual([
      'component:default/d3-s4-t2-e0',
      'component:default/d3-s4-t2-e1',
      'component:default/d3-s4-t2-e4',
      'system:default/d3-s4-t2-e2',
      'system:default/d3-s4-t2-e3',
    ]);
    expect(calls.map(c => c.method)).toEqual(['queryEntities']);
  });

  it('is held to the bound: the single growing query of before fails with 431', async () => {
    const { catalog } = setup();
    const refs = Array.from({ length: 150 }, (_, i) => `group:default/t${i}`);
    await expect(
      catalog.getEntities(
        { filter: [{ 'relations.ownedBy': refs }] },
        { credentials: ADMIN },
      ),
    ).rejects.toMatchObject({ statusCode: 431 });
  });
});

describe('entitiesByRefs', () => {
  it('answers in the order asked, undefined for what the caller cannot see, in batches', async () => {
    const { catalog, calls } = setup();
    const refs = [
      ...Array.from({ length: 100 }, (_, i) => `group:default/d${i % 10}`),
      'group:default/nobody',
      'group:default/d4',
    ];
    const found = await entitiesByRefs(catalog, refs, MEMBER);
    expect(found).toHaveLength(102);
    expect(found.map(e => e && stringifyEntityRef(e))).toEqual(
      refs.map(r => (r === LARGE_TREE.member.department ? r : undefined)),
    );
    expect(calls.map(c => c.request.entityRefs.length)).toEqual([48, 48, 6]);
  });
});
