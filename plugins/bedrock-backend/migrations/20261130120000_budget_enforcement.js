/*
 * Budget enforcement: a tenant's opt-in ("suspend at 100% of budget"), recorded with its binding
 * so that only the writers of bindings (the scaffolder's provisioning actions, Bedrock admins)
 * can set it.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bedrock_tenant_bindings', table => {
    table
      .text('budget_enforcement')
      .nullable()
      .comment(
        'JSON {action: suspend, basis: actual|estimate, autoResume}; null when not opted in',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bedrock_tenant_bindings', table => {
    table.dropColumn('budget_enforcement');
  });
};
