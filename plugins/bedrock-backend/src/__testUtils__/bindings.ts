/* TEST-ONLY: bindings for catalog fixtures whose annotations the suite would have recorded. */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';
import { Knex } from 'knex';
import { DatabaseBindingStore } from '../bindings/DatabaseBindingStore';
import { TenantBinding } from '../bindings/types';

/** The binding the provisioning actions would have written for this entity. */
export function bindingOf(entity: object): TenantBinding {
  const r = readTenantAnnotations(entity as Entity);
  if (r.kind !== 'ok') throw new Error('fixture without valid annotations');
  return {
    ...r.tenant,
    entityRef: stringifyEntityRef(entity as Entity),
    source: 'provisioning',
    updatedAt: new Date().toISOString(),
    updatedBy: 'plugin:scaffolder',
  };
}

/** Records the bindings of these entities in `knex` (migrated). */
export async function bindEntities(knex: Knex, entities: object[]) {
  const store = DatabaseBindingStore.fromKnex(knex);
  for (const e of entities) await store.put(bindingOf(e));
  return store;
}
