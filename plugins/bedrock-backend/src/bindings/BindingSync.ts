import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { BINDING_SOURCES } from '@bedrock-tenancy/plugin-bedrock-common';
import { TagBindingReader, TaggedTenant } from './TagBindingReader';
import { BindingStore, TenantBinding } from './types';
import { sameRef } from './verify';

/** An unbound tenant whose AWS tags disagree: nothing was bound for it. */
export interface BindingConflict {
  tenantId: string;
  /** what the tags say, resource by resource */
  message: string;
}

export interface BindingSyncOptions {
  store: BindingStore;
  reader: TagBindingReader;
  logger: LoggerService;
  /** bindings declared in bedrock.tenants */
  configured: TenantBinding[];
  /** where the provisioning actions create tenants: read for tags */
  accounts: string[];
  regions: string[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  /**
   * Tells the Bedrock admins about an unbound tenant whose tags disagree (it stays unbound until
   * the tags agree or an admin binds it). Called once per conflicting tenant per sync.
   */
  onConflict?: (conflict: BindingConflict) => Promise<void>;
}

/**
 * Keeps the bindings table in line with its trusted sources: the operator's `bedrock.tenants`
 * (applied at startup, source `config`) and the AWS tags of the tenants the suite provisioned
 * (source `aws-tags`, read at startup and on a schedule).
 *
 * Anyone who controls one of the read accounts can tag resources, so the tags only ever CREATE a
 * binding, for a tenant that has none, and only when everything tagged for it agrees (see
 * TagBindingReader). An existing binding, whatever its source, is left alone: its entity, account,
 * attribution, regions, profiles and budget-enforcement opt-in change only through its trusted
 * writers (the provisioning actions, which record the binding on every create and update, the
 * Bedrock admins, `bedrock.tenants`). Tags that disagree with it are logged and ignored; tags of
 * an unbound tenant that disagree with each other bind nothing and are reported to `onConflict`.
 */
export class BindingSync {
  readonly #o: BindingSyncOptions;

  static create(o: BindingSyncOptions) {
    return new BindingSync(o);
  }

  private constructor(o: BindingSyncOptions) {
    this.#o = o;
  }

  async applyConfig(): Promise<void> {
    const { store, logger, configured } = this.#o;
    const wanted = new Set(configured.map(b => b.tenantId));
    for (const old of await store.list()) {
      if (old.source === 'config' && !wanted.has(old.tenantId)) {
        await store.delete(old.tenantId);
        logger.info('Removed a tenant binding no longer in bedrock.tenants', {
          tenantId: old.tenantId,
        });
      }
    }
    for (const b of configured) {
      try {
        await store.put(b);
      } catch (e) {
        logger.error(
          `bedrock.tenants: tenant ${b.tenantId} was not bound: ${
            (e as Error).message
          }`,
        );
      }
    }
  }

  /**
   * Records the bindings of unbound tenants found in AWS tags; answers how many were written.
   * With `retryDelaysMs`, a read that failed somewhere (a timeout, a throttle) is read again after
   * each delay until it succeeds: at startup, a slow account must not leave its tenants unbound
   * until the next scheduled sync.
   */
  async syncFromTags(
    options: {
      retryDelaysMs?: number[];
      sleep?: (ms: number) => Promise<void>;
    } = {},
  ): Promise<number> {
    const sleep =
      options.sleep ?? (ms => new Promise<void>(r => setTimeout(r, ms)));
    const retries = [...(options.retryDelaysMs ?? [])];
    // the admins hear of a conflicting tenant once per sync, whatever the reads again
    const told = new Set<string>();
    let written = 0;
    for (;;) {
      const once = await this.#syncOnce(told);
      written += once.written;
      const delay = retries.shift();
      if (!once.failed || delay === undefined) return written;
      this.#o.logger.info(
        `Reading tenant bindings from AWS tags again in ${delay / 1000} s`,
      );
      await sleep(delay);
    }
  }

  async #syncOnce(
    told: Set<string>,
  ): Promise<{ written: number; failed: boolean }> {
    const { store, reader, logger, accounts, regions } = this.#o;
    if (!accounts.length || !regions.length)
      return { written: 0, failed: false };
    const { tenants, errors, failed } = await reader.read({
      accounts,
      regions,
      at: new Date().toISOString(),
    });
    for (const error of errors) {
      logger.warn(`Reading tenant bindings from AWS tags: ${error}`);
    }
    const bound = new Map(
      (await store.getMany(tenants.map(t => t.tenantId))).map(b => [
        b.tenantId,
        b,
      ]),
    );
    let written = 0;
    let withheld = 0;
    for (const t of tenants) {
      const current = bound.get(t.tenantId);
      if (current) {
        // Existing bindings are left alone (the simpler of the two safe choices: the actions
        // record a tenant's new regions and profiles themselves); a disagreeing tag is only logged
        this.#ignored(current, t);
        continue;
      }
      if (t.conflict !== undefined) {
        await this.#conflict(t.tenantId, t.conflict, told);
        continue;
      }
      if (failed) {
        // a disagreeing tag may sit in what could not be read: bind at the next complete read
        withheld++;
        continue;
      }
      try {
        // kept when a trusted writer bound the tenant since it was looked up
        if (
          (await store.put(t.binding, {
            unlessSource: [...BINDING_SOURCES],
          })) === 'written'
        )
          written++;
      } catch (e) {
        logger.warn(
          `Tenant ${t.tenantId} tagged for ${
            t.binding.entityRef
          } was not bound: ${(e as Error).message}`,
        );
      }
    }
    if (withheld)
      logger.warn(
        `${withheld} unbound tenants found in AWS tags were not bound yet: some accounts or regions could not be read, and their tags might disagree`,
      );
    if (written)
      logger.info('Recorded tenant bindings from AWS tags', { written });
    return { written, failed };
  }

  /** Logs tags that disagree with a tenant's binding: they change nothing. */
  #ignored(current: TenantBinding, t: TaggedTenant) {
    const bound = `Tenant ${t.tenantId} is bound to ${current.entityRef} in ${current.accountId} (${current.source})`;
    if (t.conflict !== undefined) {
      this.#o.logger.warn(`${bound}; ignored its AWS tags: ${t.conflict}`);
    } else if (
      !sameRef(current.entityRef, t.binding.entityRef) ||
      current.accountId !== t.binding.accountId ||
      current.attribution !== t.binding.attribution
    ) {
      this.#o.logger.warn(
        `${bound}; ignored its AWS tags, which say ${t.binding.entityRef} in ${t.binding.accountId} (${t.binding.attribution})`,
      );
    }
  }

  async #conflict(tenantId: string, message: string, told: Set<string>) {
    const { logger, onConflict } = this.#o;
    logger.warn(`Tenant ${tenantId} was not bound from AWS tags: ${message}`);
    if (!onConflict || told.has(tenantId)) return;
    told.add(tenantId);
    try {
      await onConflict({ tenantId, message });
    } catch (e) {
      logger.warn(
        `Telling the Bedrock admins of the binding conflict of tenant ${tenantId} failed: ${
          (e as Error).message
        }`,
      );
    }
  }

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'bedrock-binding-sync',
      ...this.#o.schedule,
      // one replica reads the tags at a time, whatever the configured schedule says
      scope: 'global',
      fn: async () => {
        await this.syncFromTags();
      },
    });
  }
}

/**
 * An `onConflict` that notifies the Bedrock admins (entity refs, e.g. `group:default/platform`);
 * without recipients it only logs that nobody was told.
 */
export function notifyBindingConflicts(o: {
  notifications: Pick<NotificationService, 'send'>;
  recipients: string[];
  logger: LoggerService;
}): (conflict: BindingConflict) => Promise<void> {
  return async ({ tenantId, message }) => {
    if (!o.recipients.length) {
      o.logger.warn(
        `No Bedrock admin was told of the binding conflict of tenant ${tenantId}: bedrock.bindings.adminRecipients is empty`,
      );
      return;
    }
    await o.notifications.send({
      recipients: { type: 'entity', entityRef: o.recipients },
      payload: {
        title: `Bedrock tenant ${tenantId} was not bound: its AWS tags disagree`,
        description: `${message}. Nothing is bound for the tenant until its tags agree or a Bedrock admin binds it.`,
        severity: 'high',
        topic: 'bedrock-binding-conflict',
      },
    });
  };
}
