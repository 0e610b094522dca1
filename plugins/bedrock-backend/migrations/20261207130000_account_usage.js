/*
 * Spend no tenant owns: the hourly AWS/Bedrock usage of each account and region the suite
 * collects tenants in, per normalized model, split into what the bound tenants were attributed
 * and the rest (clamped at 0), and the collection progress of each account and region. Bounded
 * like the tenants' hourly rows: one row per account, region, model and hour, pruned with them.
 */

const COUNTERS = [
  'invocations',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_account_usage_hourly', table => {
    table.comment(
      'Hourly AWS/Bedrock usage per account, region and normalized model: the account series, the part tenants are attributed and the unattributed rest',
    );
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('model_id', 255).notNullable();
    table
      .string('hour', 24)
      .notNullable()
      .comment('start of the UTC hour, ISO 8601');
    for (const side of ['account', 'attributed', 'unattributed']) {
      for (const c of COUNTERS) {
        table.bigInteger(`${side}_${c}`).notNullable().defaultTo(0);
      }
    }
    table.primary(['account_id', 'region', 'model_id', 'hour']);
    table.index(['hour'], 'bedrock_account_usage_hourly_hour_idx');
  });
  await knex.schema.createTable('bedrock_account_usage_state', table => {
    table.comment(
      'Collection progress of the account usage per account and region',
    );
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table
      .string('watermark', 24)
      .nullable()
      .comment('end of the newest collected hour, ISO 8601');
    table.string('last_collected_at', 30).nullable();
    table.text('last_error').nullable();
    table.primary(['account_id', 'region']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_account_usage_state');
  await knex.schema.dropTable('bedrock_account_usage_hourly');
};
