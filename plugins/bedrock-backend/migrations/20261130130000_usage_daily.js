/*
 * Daily usage per tenant, account, region and model, kept by the collector beside the hourly
 * rows (rewritten with every window it replaces), so roll-ups and 30-day summaries sum days
 * instead of hours.
 */

const SUMS = [
  'invocations',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'client_errors',
  'server_errors',
  'throttles',
];

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_usage_daily', table => {
    table.comment(
      'Daily sums of bedrock_usage_hourly per tenant, account, region and model (UTC days)',
    );
    table.string('tenant_id', 64).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('model_id', 255).notNullable();
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    for (const c of SUMS) table.bigInteger(c).notNullable().defaultTo(0);
    table.primary(['tenant_id', 'account_id', 'region', 'model_id', 'day']);
    table.index(['tenant_id', 'day'], 'bedrock_usage_daily_tenant_day_idx');
  });
  const keys = ['tenant_id', 'account_id', 'region', 'model_id'];
  await knex
    .into(
      knex.raw('?? (??, ??, ??, ??, ??, ??, ??, ??, ??, ??, ??, ??, ??)', [
        'bedrock_usage_daily',
        ...keys,
        'day',
        ...SUMS,
      ]),
    )
    .insert(
      knex('bedrock_usage_hourly')
        .select([...keys, knex.raw('substr(hour, 1, 10)')])
        .sum(Object.fromEntries(SUMS.map(c => [c, c])))
        .groupBy([...keys, knex.raw('substr(hour, 1, 10)')]),
    );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_usage_daily');
};
