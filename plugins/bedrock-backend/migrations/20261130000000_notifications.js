/*
 * Ledger of the owner notifications the plugin sent: one row per event, keyed so that two
 * replicas noticing the same event insert it once (only the winner of the insert sends).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('bedrock_notifications_sent', table => {
    table.comment(
      'Owner notifications sent (or recorded silently) per tenant event',
    );
    table
      .string('event_key', 512)
      .primary()
      .comment('tenant id, subject and transition number: unique per event');
    table.string('tenant_id', 64).notNullable();
    table
      .string('subject', 255)
      .notNullable()
      .comment(
        'what the event is about, e.g. alarm:<name> or budget:2026-11:ACTUAL:80',
      );
    table
      .integer('seq')
      .notNullable()
      .comment('transition number of the subject');
    table.string('state', 32).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.boolean('notified').notNullable();
    table.string('recorded_at', 30).notNullable();
    table.index(
      ['tenant_id', 'subject'],
      'bedrock_notifications_sent_subject_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('bedrock_notifications_sent');
};
