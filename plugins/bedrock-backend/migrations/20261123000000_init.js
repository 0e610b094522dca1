/*
 * Bedrock usage store: hourly rollups per tenant, account, region and model; per-tenant
 * collection state; snapshots of alarms, budgets, governance and billed cost.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_usage_hourly', table => {
    table.comment(
      'Hourly Bedrock usage per tenant, account, region and normalized model id',
    );
    table.string('tenant_id', 64).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('model_id', 255).notNullable();
    table
      .string('hour', 24)
      .notNullable()
      .comment('start of the UTC hour, ISO 8601');
    table.bigInteger('invocations').notNullable().defaultTo(0);
    table.bigInteger('input_tokens').notNullable().defaultTo(0);
    table.bigInteger('output_tokens').notNullable().defaultTo(0);
    table.bigInteger('cache_read_tokens').notNullable().defaultTo(0);
    table.bigInteger('cache_write_tokens').notNullable().defaultTo(0);
    table.bigInteger('client_errors').notNullable().defaultTo(0);
    table.bigInteger('server_errors').notNullable().defaultTo(0);
    table.bigInteger('throttles').notNullable().defaultTo(0);
    table.double('latency_avg_ms').nullable();
    table.double('latency_max_ms').nullable();
    table.double('latency_p99_ms').nullable();
    table.primary(['tenant_id', 'account_id', 'region', 'model_id', 'hour']);
    table.index(['tenant_id', 'hour'], 'bedrock_usage_hourly_tenant_hour_idx');
    table.index(['hour'], 'bedrock_usage_hourly_hour_idx');
  });

  await knex.schema.createTable('bedrock_tenant_state', table => {
    table.comment('Collection progress per tenant');
    table.string('tenant_id', 64).primary();
    table.string('entity_ref', 255).nullable();
    table
      .string('watermark', 24)
      .nullable()
      .comment('end of the newest collected hour');
    table.string('last_collected_at', 30).nullable();
    table.text('last_error').nullable();
  });

  await knex.schema.createTable('bedrock_snapshots', table => {
    table.comment(
      'Latest alarms, budget, governance and billed-cost answers from AWS',
    );
    table.string('kind', 32).notNullable();
    table.string('key', 255).notNullable();
    table.text('payload').nullable();
    table.text('error').nullable();
    table.string('fetched_at', 30).notNullable();
    table.primary(['kind', 'key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_snapshots');
  await knex.schema.dropTable('bedrock_tenant_state');
  await knex.schema.dropTable('bedrock_usage_hourly');
};
