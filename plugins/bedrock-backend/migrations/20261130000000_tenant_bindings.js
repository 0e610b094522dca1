/*
 * Tenant bindings: which catalog entity a tenant's data belongs to, recorded by the suite
 * (provisioning actions, AWS tags, operator config, admins), never read from annotations.
 * Claims make a profile id, a role ARN or an account-region (account attribution) belong to
 * one tenant only: the unique key refuses a second holder.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_tenant_bindings', table => {
    table.comment('Which catalog entity each Bedrock tenant belongs to');
    table.string('tenant_id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('account_id', 12).notNullable();
    table.text('regions').notNullable().comment('JSON array of region codes');
    table.string('attribution', 32).notNullable();
    table
      .text('inference_profiles')
      .notNullable()
      .comment('JSON object: profile id -> model id');
    table
      .text('principal_arns')
      .notNullable()
      .comment('JSON array of role ARNs');
    table.string('alarm_prefix', 255).notNullable();
    table.string('budget_name', 255).notNullable();
    table
      .string('source', 32)
      .notNullable()
      .comment('provisioning | aws-tags | config | admin');
    table.string('updated_at', 30).notNullable();
    table.string('updated_by', 255).notNullable();
    table.index(['entity_ref'], 'bedrock_tenant_bindings_entity_idx');
  });

  await knex.schema.createTable('bedrock_tenant_claims', table => {
    table.comment(
      'What a binding holds exclusively: profile ids, role ARNs, account-regions in account mode',
    );
    table.string('kind', 32).notNullable();
    table.string('value', 512).notNullable();
    table
      .string('tenant_id', 64)
      .notNullable()
      .comment(
        'the holder; rows go with their binding (the store deletes both)',
      );
    table.unique(['kind', 'value'], {
      indexName: 'bedrock_tenant_claims_kind_value_uq',
    });
    table.index(['tenant_id'], 'bedrock_tenant_claims_tenant_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_tenant_claims');
  await knex.schema.dropTable('bedrock_tenant_bindings');
};
