/*
 * Collection progress per tenant, account and region: a tenant in two regions (or two
 * account-regions collected by different scheduler shards) keeps one watermark per place, so
 * one region's collection never hides the other's missing hours.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_usage_watermarks', table => {
    table.comment(
      'End of the newest collected hour per tenant, account and region',
    );
    table.string('tenant_id', 64).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table
      .string('watermark', 24)
      .notNullable()
      .comment('end of the newest collected hour, ISO 8601');
    table.primary(['tenant_id', 'account_id', 'region']);
    table.index(['account_id', 'region'], 'bedrock_usage_watermarks_ar_idx');
  });
  // what was collected before: the tenant's watermark, in every region of its binding
  const rows = await knex('bedrock_tenant_state as s')
    .join('bedrock_tenant_bindings as b', 'b.tenant_id', 's.tenant_id')
    .whereNotNull('s.watermark')
    .select('s.tenant_id', 's.watermark', 'b.account_id', 'b.regions');
  const marks = rows.flatMap(r => {
    let regions = [];
    try {
      regions = JSON.parse(r.regions);
    } catch {
      regions = [];
    }
    return [...new Set(Array.isArray(regions) ? regions : [])].map(region => ({
      tenant_id: r.tenant_id,
      account_id: r.account_id,
      region: String(region),
      watermark: r.watermark,
    }));
  });
  for (let i = 0; i < marks.length; i += 100) {
    await knex('bedrock_usage_watermarks').insert(marks.slice(i, i + 100));
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_usage_watermarks');
};
