/*
 * Temporary budget increases: a member's request, an admin's decision, and the revert after the
 * last day. Amounts in whole cents. `open_key` is the tenant id while a request is pending or
 * approved and null after: its unique index lets one request at a time be open per tenant, even
 * when two arrive at once (NULLs never collide, on SQLite and PostgreSQL alike).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_budget_increases', table => {
    table.comment('Temporary budget increases of tenants and their decisions');
    table.string('id', 36).primary();
    table.string('tenant_id', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.bigInteger('amount_cents').notNullable();
    table
      .string('ends_on', 10)
      .notNullable()
      .comment('last day (UTC, inclusive) the increase applies');
    table.text('reason').notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, approved, declined, ended or lapsed');
    table
      .string('open_key', 64)
      .nullable()
      .unique({ indexName: 'bedrock_budget_increases_open_idx' })
      .comment('the tenant id while pending or approved, else null');
    table.string('requested_by', 255).notNullable();
    table.string('requested_at', 30).notNullable();
    table.string('decided_by', 255).nullable();
    table.string('decided_at', 30).nullable();
    table.text('decision_note').nullable();
    table.bigInteger('limit_before_cents').nullable();
    table.bigInteger('limit_during_cents').nullable();
    table.string('ended_at', 30).nullable();
    table.text('end_note').nullable();
    table.index(
      ['tenant_id', 'requested_at'],
      'bedrock_budget_increases_tenant_idx',
    );
    table.index(['status', 'ends_on'], 'bedrock_budget_increases_due_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_budget_increases');
};
