import { Entity } from '@backstage/catalog-model';
import type { GroupTree } from './GroupTreeReader';
import { ownedByOneOf } from './ownership';

/**
 * The part of a group's tree a caller may read, from a tree read once for every caller: the groups
 * reached from the root through groups the caller may read (one it may not read hides its subtree,
 * as when the caller walks the catalog with its own credentials), and the entities those groups own
 * that the caller may read. `canRead` is the caller's catalog read decision (entityAuthorizer with
 * catalog.entity.read): one policy call whatever the tree's size. The root is the entity the caller
 * has read itself.
 */
export async function visiblePart(
  tree: GroupTree,
  canRead: (entities: Entity[]) => Promise<boolean[]>,
): Promise<Pick<GroupTree, 'groupRefs' | 'owned'>> {
  // no policy call for no entity (an empty answer is never indexed)
  const decide = async (entities: Entity[]) =>
    entities.length ? canRead(entities) : [];
  const [root] = tree.groupRefs;
  const others = tree.groupRefs.slice(1);
  const allowed = await decide(others.map(ref => tree.groups.get(ref)!.entity));
  const readable = new Set(others.filter((_, i) => allowed[i]));
  // level by level, in the order the reader met them
  const groupRefs = [root];
  const seen = new Set(groupRefs);
  let frontier = groupRefs;
  while (frontier.length) {
    const next: string[] = [];
    for (const ref of frontier) {
      // every ref walked is in the tree: the root, or a child the tree read
      for (const child of tree.groups.get(ref)!.children) {
        if (seen.has(child) || !readable.has(child)) continue;
        seen.add(child);
        next.push(child);
      }
    }
    groupRefs.push(...next);
    frontier = next;
  }
  const candidates = [...tree.owned].filter(([, e]) => ownedByOneOf(e, seen));
  const readableOwned = await decide(candidates.map(([, e]) => e));
  return {
    groupRefs,
    owned: new Map(candidates.filter((_, i) => readableOwned[i])),
  };
}
