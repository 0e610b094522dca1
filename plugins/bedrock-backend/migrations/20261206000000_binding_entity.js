/*
 * A binding names an entity, not a string: the uid and owner the bound entity had when it was
 * bound (or first seen, for a tenant bound before its entity existed). An entity registered again
 * under the same ref (a new uid) or given another owner is unverified until an admin adopts it.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bedrock_tenant_bindings', table => {
    table
      .string('entity_uid', 255)
      .nullable()
      .comment('metadata.uid of the bound entity; null until it is first seen');
    table
      .string('entity_owner', 255)
      .nullable()
      .comment('spec.owner the bound entity must have; null until known');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bedrock_tenant_bindings', table => {
    table.dropColumn('entity_uid');
    table.dropColumn('entity_owner');
  });
};
