import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';

/** An audit event's meta: a JSON object. */
export type JsonObject = NonNullable<AuditorServiceCreateEventOptions['meta']>;

/**
 * Who called, for the audit record. An action has no request, so the auditor's own actor is the
 * plugin that ran it; the person (and the plugin that carried the call, e.g. mcp-actions) is
 * recorded in the event's meta as `actor` and `via`.
 */
export function actorOf(credentials: BackstageCredentials): JsonObject {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
    actor?: { subject?: string };
  };
  return {
    actor: p?.userEntityRef ?? p?.subject ?? 'unknown',
    via: p?.actor?.subject ?? null,
  };
}

/** Runs `fn` under an audit event of the caller; its result's `meta` is added on success. */
export async function audited<T>(
  auditor: AuditorService | undefined,
  o: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    credentials: BackstageCredentials;
    meta: JsonObject;
  },
  fn: () => Promise<{ result: T; meta?: JsonObject }>,
): Promise<T> {
  const event = await auditor?.createEvent({
    eventId: o.eventId,
    severityLevel: o.severityLevel,
    meta: { ...actorOf(o.credentials), ...o.meta },
  });
  try {
    const { result, meta } = await fn();
    await event?.success({ meta });
    return result;
  } catch (error) {
    await event?.fail({ error: error as Error });
    throw error;
  }
}
