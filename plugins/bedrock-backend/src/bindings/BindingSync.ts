import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { TagBindingReader } from './TagBindingReader';
import { BindingStore, TenantBinding } from './types';

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
}

/**
 * Keeps the bindings table in line with its trusted sources: the operator's `bedrock.tenants`
 * (applied at startup, source `config`) and the AWS tags of the tenants the suite provisioned
 * (source `aws-tags`, read at startup and on a schedule). A tag never overrides a config or admin
 * binding; a conflict is logged and the existing holder stays.
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
   * Upserts the bindings found in AWS tags; answers how many were written. With
   * `retryDelaysMs`, a read that failed somewhere (a timeout, a throttle) is read again after
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
    let written = 0;
    for (;;) {
      const once = await this.#syncOnce();
      written += once.written;
      const delay = retries.shift();
      if (!once.failed || delay === undefined) return written;
      this.#o.logger.info(
        `Reading tenant bindings from AWS tags again in ${delay / 1000} s`,
      );
      await sleep(delay);
    }
  }

  async #syncOnce(): Promise<{ written: number; failed: boolean }> {
    const { store, reader, logger, accounts, regions } = this.#o;
    if (!accounts.length || !regions.length)
      return { written: 0, failed: false };
    const { bindings, errors } = await reader.read({
      accounts,
      regions,
      at: new Date().toISOString(),
    });
    for (const error of errors) {
      logger.warn(`Reading tenant bindings from AWS tags: ${error}`);
    }
    let written = 0;
    for (const b of bindings) {
      try {
        const current = await store.get(b.tenantId);
        if (
          current &&
          sameBinding(current, b) &&
          (b.budgetEnforcement === undefined ||
            JSON.stringify(current.budgetEnforcement ?? null) ===
              JSON.stringify(b.budgetEnforcement))
        )
          continue;
        if (
          (await store.put(b, { unlessSource: ['config', 'admin'] })) ===
          'written'
        )
          written++;
      } catch (e) {
        logger.warn(
          `Tenant ${b.tenantId} tagged for ${b.entityRef} was not bound: ${
            (e as Error).message
          }`,
        );
      }
    }
    if (written)
      logger.info('Recorded tenant bindings from AWS tags', { written });
    return { written, failed: errors.length > 0 };
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

/** Same tenant, entity and claims (timestamps and source aside). */
function sameBinding(a: TenantBinding, b: TenantBinding) {
  const key = (x: TenantBinding) =>
    JSON.stringify([
      x.entityRef,
      x.accountId,
      [...x.regions].sort(),
      x.attribution,
      Object.entries(x.inferenceProfiles).sort(),
      [...x.principalArns].sort(),
      x.alarmPrefix,
      x.budgetName,
    ]);
  return key(a) === key(b);
}
