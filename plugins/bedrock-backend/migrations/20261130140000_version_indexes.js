/*
 * Indexes for the data version (DatabaseUsageStore.getVersion): the newest collection, watermark
 * and snapshot are read on every page view, so each is one index lookup whatever the tenant count.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('bedrock_tenant_state', table => {
    table.index(['last_collected_at'], 'bedrock_tenant_state_collected_idx');
    table.index(['watermark'], 'bedrock_tenant_state_watermark_idx');
  });
  await knex.schema.alterTable('bedrock_snapshots', table => {
    table.index(['fetched_at'], 'bedrock_snapshots_fetched_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('bedrock_snapshots', table => {
    table.dropIndex(['fetched_at'], 'bedrock_snapshots_fetched_idx');
  });
  await knex.schema.alterTable('bedrock_tenant_state', table => {
    table.dropIndex(['watermark'], 'bedrock_tenant_state_watermark_idx');
    table.dropIndex(
      ['last_collected_at'],
      'bedrock_tenant_state_collected_idx',
    );
  });
};
