import type { Entity } from '@backstage/catalog-model';
import type { GroupTree } from './GroupTreeReader';
import { visiblePart } from './visibleTree';

const group = (name: string) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team' },
  } as Entity);
const owned = (name: string, owner: string) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner },
  } as Entity);
const ref = (name: string) => `group:default/${name}`;

/**
 * root -> a, hidden, b; a -> a1; hidden -> h1, b1; b -> b1 (b1 reached through hidden and b);
 * h1 -> h2. Each group but root owns one component; "ghost" is a child no one found.
 */
function tree(): GroupTree {
  const children: Record<string, string[]> = {
    root: ['a', 'hidden', 'b', 'ghost'],
    a: ['a1'],
    hidden: ['h1', 'b1'],
    b: ['b1'],
    h1: ['h2'],
  };
  const names = ['root', 'a', 'hidden', 'b', 'a1', 'h1', 'b1', 'h2'];
  const groups: GroupTree['groups'] = new Map(
    names.map(n => [
      ref(n),
      { entity: group(n), children: (children[n] ?? []).map(ref) },
    ]),
  );
  const entities = names
    .slice(1)
    .map(n => owned(`${n}-svc`, n))
    .concat(owned('secret', 'a'), owned('stranger', 'outside'));
  return {
    groupRefs: names.map(ref),
    groups,
    owned: new Map(
      entities.map(e => [`component:default/${e.metadata.name}`, e]),
    ),
  };
}

describe('visiblePart', () => {
  it('walks only through groups the caller may read, level by level, and keeps what they own that it may read', async () => {
    const asked: string[][] = [];
    const canRead = jest.fn(async (entities: Entity[]) => {
      asked.push(entities.map(e => e.metadata.name));
      return entities.map(e => !['hidden', 'secret'].includes(e.metadata.name));
    });
    const part = await visiblePart(tree(), canRead);
    // h1 and h2 lie only under hidden; b1 is reached through b
    expect(part.groupRefs).toEqual(['root', 'a', 'b', 'a1', 'b1'].map(ref));
    expect([...part.owned.keys()]).toEqual(
      ['a-svc', 'b-svc', 'a1-svc', 'b1-svc'].map(n => `component:default/${n}`),
    );
    // one decision over the groups (the root is the caller's own read), one over the candidates
    expect(asked).toEqual([
      ['a', 'hidden', 'b', 'a1', 'h1', 'b1', 'h2'],
      ['a-svc', 'b-svc', 'a1-svc', 'b1-svc', 'secret'],
    ]);
  });

  it('shows the root alone to a caller who may read nothing else', async () => {
    const part = await visiblePart(tree(), async entities =>
      entities.map(() => false),
    );
    expect(part.groupRefs).toEqual([ref('root')]);
    expect(part.owned.size).toBe(0);
  });

  it('shows the whole tree to a caller who may read everything, asking nothing for an empty one', async () => {
    const part = await visiblePart(tree(), async entities =>
      entities.map(() => true),
    );
    expect(part.groupRefs).toHaveLength(8);
    expect(part.owned.size).toBe(8);
    expect(part.owned.has('component:default/stranger')).toBe(false);

    const canRead = jest.fn(async (entities: Entity[]) =>
      entities.map(() => true),
    );
    const alone = await visiblePart(
      {
        groupRefs: [ref('root')],
        groups: new Map([
          [ref('root'), { entity: group('root'), children: [] }],
        ]),
        owned: new Map(),
      },
      canRead,
    );
    expect(alone).toEqual({ groupRefs: [ref('root')], owned: new Map() });
    expect(canRead).not.toHaveBeenCalled();
  });
});
