import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { checkpointKey, json } from './common';

/** Audit metadata: plain JSON values. */
export type AuditMeta = Record<
  string,
  string | number | boolean | null | string[]
>;

/** What a mutating operation reports: its changes (or what it deleted). */
type Reported = { changes?: string[]; deleted?: string[] };

interface AuditContext {
  logger: LoggerService;
  user?: { ref?: string };
  task?: { id: string };
}

/**
 * Runs a mutating operation under an audit event (coreServices.auditor): who asked, on what,
 * and what changed. Also logs the result.
 */
export async function audited<T extends Reported>(
  auditor: AuditorService | undefined,
  ctx: AuditContext,
  eventId: string,
  meta: AuditMeta,
  fn: () => Promise<T>,
): Promise<T> {
  const who = {
    initiator: ctx.user?.ref ?? 'unknown',
    taskId: ctx.task?.id ?? 'unknown',
  };
  const event = await auditor?.createEvent({
    eventId,
    severityLevel: 'medium',
    meta: { ...who, ...meta },
  });
  try {
    const result = await fn();
    const changes = result.changes ?? result.deleted ?? [];
    await event?.success({ meta: { changes } });
    ctx.logger.info(
      `${eventId}: ${
        changes.length ? `${changes.length} changes` : 'no changes'
      }`,
      {
        ...who,
        ...meta,
        changes: changes.join('; '),
      } as any,
    );
    return result;
  } catch (error) {
    await event?.fail({ error: error as Error });
    throw error;
  }
}

/**
 * Runs a mutating operation once per task step: checkpointed under the action id and its input
 * (a retried task resumes instead of repeating it), under an audit event named after the action
 * (`bedrock:tenant:create` -> `bedrock-tenant-create`). The checkpoint keeps `keep(result)`.
 */
export async function once<T extends Reported, R = T>(
  ctx: ActionContext<any, any>,
  auditor: AuditorService | undefined,
  step: { action: string; input: unknown; meta: AuditMeta },
  fn: () => Promise<T>,
  keep: (result: T) => R = result => result as unknown as R,
): Promise<R> {
  return ctx.checkpoint({
    key: checkpointKey(step.action, step.input),
    fn: async () =>
      json(
        keep(
          await audited(
            auditor,
            ctx,
            step.action.replaceAll(':', '-'),
            step.meta,
            fn,
          ),
        ),
      ) as any,
  });
}
