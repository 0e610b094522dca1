import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * True when the entity's owner is one of `groupRefs`: its ownedBy relations when the catalog has
 * computed them, else spec.owner resolved in the entity's namespace (`team-a` in namespace `x`
 * is group:x/team-a, never group:default/team-a).
 */
export function ownedByOneOf(
  entity: Entity,
  groupRefs: ReadonlySet<string>,
): boolean {
  const relations = (entity.relations ?? []).filter(r => r.type === 'ownedBy');
  if (relations.length) return relations.some(r => groupRefs.has(r.targetRef));
  return groupRefs.has(ownerRef(entity));
}

/** The owner as a full entity ref (`group:default/team-a`), as spec.owner may be shorthand. */
export function ownerRef(entity: Entity): string {
  const relation = entity.relations?.find(r => r.type === 'ownedBy');
  if (relation) return relation.targetRef;
  const owner = String(entity.spec?.owner ?? '');
  if (!owner) return '';
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}
