import type { LoggerService } from '@backstage/backend-plugin-api';

/** Collects what a run changed, for the audit record and the logs. */
export class ChangeLog {
  readonly changes: string[] = [];
  constructor(private readonly logger?: LoggerService) {}

  add(change: string, meta: Record<string, unknown> = {}) {
    this.changes.push(change);
    this.logger?.info(change, meta as any);
  }
}
