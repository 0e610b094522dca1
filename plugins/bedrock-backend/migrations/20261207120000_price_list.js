/*
 * Token prices read from the AWS Price List (prices/PriceListSync), dated by the effective date
 * of the price term they come from. History is kept: a price that changes arrives as a term with
 * a later effective date and adds rows, so hours before that date keep the price they had. A row
 * read again for the same effective date is updated in place (the unique key), never duplicated.
 * Prices are exact decimal strings in USD per 1,000 tokens (no float in the database).
 *
 * Each run of the reader is recorded, failed ones included: the summaries say when the list
 * was last read and whether the last attempt failed.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_price_list', table => {
    table.comment(
      'Bedrock token prices from the AWS Price List, by effective date',
    );
    table.bigIncrements('id').primary();
    table
      .string('model', 255)
      .notNullable()
      .comment(
        'model-id pattern of the built-in price table, global.-prefixed for the global profile',
      );
    table.string('region', 32).notNullable();
    table
      .string('tier', 16)
      .notNullable()
      .comment('standard, priority, flex or batch');
    table
      .string('kind', 16)
      .notNullable()
      .comment('input, output, cacheRead, cacheWrite or cacheWrite1h');
    table.string('usd_per_1k', 40).notNullable();
    table
      .string('effective_from', 10)
      .notNullable()
      .comment('YYYY-MM-DD: the price applies to usage on or after this day');
    table.string('service_code', 64).notNullable();
    table.string('sku', 64).notNullable();
    table.string('usage_type', 255).notNullable();
    table.string('fetched_at', 30).notNullable();
    table.unique(['model', 'region', 'tier', 'kind', 'effective_from'], {
      indexName: 'bedrock_price_list_key_idx',
    });
  });
  await knex.schema.createTable('bedrock_price_list_runs', table => {
    table.comment('Runs of the AWS Price List reader');
    table.bigIncrements('id').primary();
    table.string('started_at', 30).notNullable();
    table.string('finished_at', 30).notNullable();
    table.boolean('ok').notNullable();
    table.text('error').nullable();
    table.integer('products').notNullable();
    table.integer('prices').notNullable();
    table.integer('unmapped').notNullable();
    table.index(['finished_at'], 'bedrock_price_list_runs_finished_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_price_list_runs');
  await knex.schema.dropTable('bedrock_price_list');
};
