/*
 * Prompt-cache writes known to have the 1-hour TTL (invocation logs' `cacheDetails`), apart
 * from `cache_write_tokens` (5-minute writes, or writes whose TTL CloudWatch does not tell):
 * the two are disjoint, their sum is every cache write. Rows collected before count 0.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  for (const name of ['bedrock_usage_hourly', 'bedrock_usage_daily']) {
    await knex.schema.alterTable(name, table => {
      table.bigInteger('cache_write_1h_tokens').notNullable().defaultTo(0);
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of ['bedrock_usage_daily', 'bedrock_usage_hourly']) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('cache_write_1h_tokens');
    });
  }
};
