import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** Audit metadata: plain JSON values. */
export type AuditMeta = Record<
  string,
  string | number | boolean | null | string[]
>;

interface AuditContext {
  logger: LoggerService;
  user?: { ref?: string };
  task?: { id: string };
}

/**
 * Runs a mutating operation under an audit event (coreServices.auditor): who asked, on what,
 * and what changed. Also logs the result.
 */
export async function audited<
  T extends { changes?: string[]; deleted?: string[] },
>(
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
