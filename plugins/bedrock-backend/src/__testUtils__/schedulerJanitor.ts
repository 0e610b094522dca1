/* TEST-ONLY: the janitor of Backstage's scheduler, which it does not start under NODE_ENV=test. */
import { Knex } from 'knex';

/**
 * Frees the claim of every task run past its timeout, as Backstage's PluginTaskSchedulerJanitor
 * does every minute (DefaultSchedulerService, never under NODE_ENV=test). A run whose end could
 * not be recorded (the database was down then) keeps its claim until this frees it: meanwhile no
 * replica runs the task.
 */
export async function freeExpiredClaims(knex: Knex) {
  await knex('backstage_backend_tasks__tasks')
    .where('current_run_expires_at', '<', knex.fn.now())
    .update({
      current_run_ticket: null,
      current_run_started_at: null,
      current_run_expires_at: null,
      last_run_ended_at: knex.fn.now(),
    });
}

/** Runs {@link freeExpiredClaims} every `ms` (failures ignored, as the janitor logs them); returns stop. */
export function startSchedulerJanitor(knex: Knex, ms = 1_000): () => void {
  const timer = setInterval(() => {
    freeExpiredClaims(knex).catch(() => {});
  }, ms);
  return () => clearInterval(timer);
}
