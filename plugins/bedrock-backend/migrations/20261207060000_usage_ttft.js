/*
 * Time to first token (CloudWatch `TimeToFirstToken`, streaming requests only), additive and
 * nullable: rows collected before have no figure, which reads as "not available".
 *
 * Hourly: the hour's average, its streaming requests (the SampleCount: the weight of the average
 * when hours are merged) and its p99. Daily: the sum of each hour's average times its weight,
 * that weight, and the largest hourly p99, like latency (20261130150000_usage_daily_latency).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bedrock_usage_hourly', table => {
    table.double('ttft_avg_ms').nullable();
    table.bigInteger('ttft_requests').nullable();
    table.double('ttft_p99_ms').nullable();
  });
  await knex.schema.alterTable('bedrock_usage_daily', table => {
    table.double('ttft_sum_ms').nullable();
    table.bigInteger('ttft_requests').nullable();
    table.double('ttft_p99_ms').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bedrock_usage_daily', table => {
    for (const c of ['ttft_sum_ms', 'ttft_requests', 'ttft_p99_ms'])
      table.dropColumn(c);
  });
  await knex.schema.alterTable('bedrock_usage_hourly', table => {
    for (const c of ['ttft_avg_ms', 'ttft_requests', 'ttft_p99_ms'])
      table.dropColumn(c);
  });
};
