/*
 * Latency in the daily rollups, so a 7- or 30-day summary reads days instead of hours: per day,
 * the sum of each hour's average times its weight (its invocations, at least 1) and that
 * weight, over the hours with an average, and the largest max and p99. Existing days are
 * recomputed from the hourly rows.
 */

const KEYS = ['tenant_id', 'account_id', 'region', 'model_id'];
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
const LATENCY = [
  'latency_sum_ms',
  'latency_weight',
  'latency_max_ms',
  'latency_p99_ms',
];
const WEIGHT =
  'CASE WHEN latency_avg_ms IS NULL THEN 0 WHEN invocations > 1 THEN invocations ELSE 1 END';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bedrock_usage_daily', table => {
    table.double('latency_sum_ms').nullable();
    table.bigInteger('latency_weight').notNullable().defaultTo(0);
    table.double('latency_max_ms').nullable();
    table.double('latency_p99_ms').nullable();
  });
  await knex('bedrock_usage_daily').delete();
  const columns = [...KEYS, 'day', ...SUMS, ...LATENCY];
  await knex
    .into(
      knex.raw(`?? (${columns.map(() => '??').join(', ')})`, [
        'bedrock_usage_daily',
        ...columns,
      ]),
    )
    .insert(
      knex('bedrock_usage_hourly')
        .select([...KEYS, knex.raw('substr(hour, 1, 10)')])
        .sum(Object.fromEntries(SUMS.map(c => [c, c])))
        .select([
          knex.raw(`SUM(latency_avg_ms * (${WEIGHT}))`),
          knex.raw(`SUM(${WEIGHT})`),
          knex.raw('MAX(latency_max_ms)'),
          knex.raw('MAX(latency_p99_ms)'),
        ])
        .groupBy([...KEYS, knex.raw('substr(hour, 1, 10)')]),
    );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bedrock_usage_daily', table => {
    for (const c of LATENCY) table.dropColumn(c);
  });
};
