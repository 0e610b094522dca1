import { randomUUID } from 'node:crypto';
import type {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  BudgetIncrease,
  BudgetIncreaseRequest,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import type { Request } from 'express';
import { DAY_MS } from '../lib/time';
import { tenantTabLink, tenantTopic } from '../notify/TenantNotifier';
import type { Tenant } from '../tenant';
import type { BudgetIncreaseStore } from './BudgetIncreaseStore';
import { readTenantBudget, sameCents, writeBudgetLimit } from './budgetLimit';
import type { BudgetIncreaseSettings } from './config';

/** The person behind a step, and the request that carried it (for the audit record). */
export interface Actor {
  /** user entity ref */
  person: string;
  request?: Request;
  /** the plugin that carried the call (e.g. mcp-actions), when not the portal's own page */
  via?: string | null;
}

export interface BudgetIncreaseServiceOptions {
  store: BudgetIncreaseStore;
  clients: AwsClientFactory;
  settings: BudgetIncreaseSettings;
  /** the bound tenant of an id; undefined when no binding records it any more */
  tenantOf: (tenantId: string) => Promise<Tenant | undefined>;
  /** re-collects the tenant after its limit changed: its budget, then budget enforcement */
  refresh: (tenant: Tenant) => Promise<unknown>;
  /** tells open pages the tenant changed (signals) */
  onChanged?: (entityRef: string) => Promise<void>;
  notifications?: NotificationService;
  auditor?: AuditorService;
  logger: LoggerService;
  now?: () => number;
}

const usd = (v: number) => `USD ${v.toFixed(2)}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Temporary budget increases: a tenant's owner asks for an amount until a day, a Bedrock admin
 * approves (the tenant's AWS Budget limit is raised, and with it budget enforcement's limit) or
 * declines, and after the last day the limit goes back by itself (the `bedrock-budget-increases`
 * task). Who may ask or decide is checked by the callers (routes, actions) for the person; every
 * step here is audited with that person and told to the people it concerns.
 */
export class BudgetIncreaseService {
  readonly #o: BudgetIncreaseServiceOptions;
  readonly #now: () => number;

  static create(o: BudgetIncreaseServiceOptions) {
    return new BudgetIncreaseService(o);
  }

  private constructor(o: BudgetIncreaseServiceOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  /** The largest amount and the furthest last day a request may have today. */
  limits(): { maxAmountUsd: number; latestEndsOn: string } {
    return {
      maxAmountUsd: this.#o.settings.maxAmountUsd,
      latestEndsOn: day(this.#now() + this.#o.settings.maxDays * DAY_MS),
    };
  }

  /** The tenant's requests, newest first (at most 20). */
  list(tenant: Tenant): Promise<BudgetIncrease[]> {
    return this.#o.store.list(tenant.tenantId, 20);
  }

  async get(id: string): Promise<BudgetIncrease> {
    const found = await this.#o.store.get(id);
    if (!found) throw new NotFoundError(`No budget increase ${id}`);
    return found;
  }

  /** A preview of a request (what an admin's approval would set), checked but not recorded. */
  async check(
    tenant: Tenant,
    body: BudgetIncreaseRequest,
  ): Promise<{ limitNowUsd: number; limitDuringUsd: number }> {
    const { maxAmountUsd, latestEndsOn } = this.limits();
    const today = day(this.#now());
    if (body.endsOn < today)
      throw new InputError(
        `endsOn ${body.endsOn} has passed: the last day must be today (${today}) or later`,
      );
    if (body.endsOn > latestEndsOn)
      throw new InputError(
        `endsOn ${body.endsOn} is too far: an increase lasts at most ${
          this.#o.settings.maxDays
        } days, until ${latestEndsOn} (bedrock.budgetIncreases.maxDays)`,
      );
    if (body.amountUsd > maxAmountUsd)
      throw new InputError(
        `amountUsd ${
          body.amountUsd
        } is more than the most a request may ask, ${usd(
          maxAmountUsd,
        )} (bedrock.budgetIncreases.maxAmountUsd)`,
      );
    const open = (await this.#o.store.list(tenant.tenantId, 1)).find(
      i => i.status === 'pending' || i.status === 'approved',
    );
    if (open)
      throw new ConflictError(
        `Tenant ${tenant.tenantId} already has a budget increase ${
          open.status
        } (${usd(open.amountUsd)} until ${
          open.endsOn
        }): it must be decided or end first`,
      );
    const current = await this.#budget(tenant);
    return {
      limitNowUsd: current.limitUsd,
      limitDuringUsd: current.limitUsd + body.amountUsd,
    };
  }

  /** Records a member's request and tells the Bedrock admins. */
  async request(
    tenant: Tenant,
    body: BudgetIncreaseRequest,
    by: Actor,
  ): Promise<BudgetIncrease> {
    return this.#audited(
      'request',
      by,
      { tenantId: tenant.tenantId },
      async () => {
        await this.check(tenant, body);
        const increase: BudgetIncrease = {
          id: randomUUID(),
          tenantId: tenant.tenantId,
          entityRef: tenant.entityRef,
          amountUsd: Math.round(body.amountUsd * 100) / 100,
          endsOn: body.endsOn,
          reason: body.reason,
          status: 'pending',
          requestedBy: by.person,
          requestedAt: new Date(this.#now()).toISOString(),
          decidedBy: null,
          decidedAt: null,
          decisionNote: null,
          limitBeforeUsd: null,
          limitDuringUsd: null,
          endedAt: null,
          endNote: null,
        };
        await this.#o.store.insert(increase);
        await this.#tell(this.#o.settings.adminRecipients, increase, {
          title: `${tenant.entityRef}: budget increase requested`,
          description: `${by.person} asks for ${usd(
            increase.amountUsd,
          )} more Bedrock budget until ${increase.endsOn}: "${
            increase.reason
          }". Approve or decline it on the tenant's Bedrock tab.`,
          severity: 'normal',
        });
        await this.#o.onChanged?.(tenant.entityRef);
        return increase;
      },
    );
  }

  /**
   * An admin's approval: the budget's limit is raised by the amount in AWS, then the tenant is
   * collected again so budget enforcement applies the new limit (and resumes a tenant it
   * suspended this month that is now under it). ConflictError when it is not pending any more.
   */
  async approve(id: string, by: Actor, note?: string): Promise<BudgetIncrease> {
    const pending = await this.get(id);
    return this.#audited(
      'approve',
      by,
      { tenantId: pending.tenantId, increaseId: id },
      async () => {
        const tenant = await this.#tenant(pending);
        const today = day(this.#now());
        if (pending.endsOn < today)
          throw new ConflictError(
            `Budget increase ${id} ended on ${pending.endsOn}, before it was decided`,
          );
        const claimed = await this.#o.store.transition(id, 'pending', {
          status: 'approved',
          decidedBy: by.person,
          decidedAt: new Date(this.#now()).toISOString(),
          decisionNote: note ?? null,
        });
        if (!claimed) throw this.#decided(await this.get(id));
        let approved: BudgetIncrease;
        try {
          const current = await this.#budget(tenant);
          const during = current.limitUsd + claimed.amountUsd;
          await writeBudgetLimit(
            this.#o.clients,
            tenant,
            current.budget,
            during,
          );
          approved = (await this.#o.store.transition(id, 'approved', {
            limitBeforeUsd: current.limitUsd,
            limitDuringUsd: during,
          }))!;
        } catch (e) {
          // nothing was raised: the request waits again for a decision
          await this.#o.store.transition(id, 'approved', {
            status: 'pending',
            decidedBy: null,
            decidedAt: null,
            decisionNote: null,
          });
          throw e instanceof ConflictError
            ? e
            : new ServiceUnavailableError(
                `Could not raise the AWS Budget of tenant ${tenant.tenantId}: ${e}`,
              );
        }
        await this.#afterLimitChange(tenant);
        await this.#tell([approved.entityRef, approved.requestedBy], approved, {
          title: `${approved.entityRef}: budget increase approved`,
          description: `${by.person} approved ${usd(
            approved.amountUsd,
          )} more until ${approved.endsOn}: the budget is ${usd(
            approved.limitDuringUsd!,
          )} (was ${usd(approved.limitBeforeUsd!)}) and goes back after ${
            approved.endsOn
          }.${note ? ` Note: ${note}` : ''}`,
          severity: 'normal',
        });
        return approved;
      },
    );
  }

  /** An admin's refusal. ConflictError when it is not pending any more. */
  async decline(id: string, by: Actor, note?: string): Promise<BudgetIncrease> {
    const pending = await this.get(id);
    return this.#audited(
      'decline',
      by,
      { tenantId: pending.tenantId, increaseId: id },
      async () => {
        const declined = await this.#o.store.transition(id, 'pending', {
          status: 'declined',
          decidedBy: by.person,
          decidedAt: new Date(this.#now()).toISOString(),
          decisionNote: note ?? null,
        });
        if (!declined) throw this.#decided(await this.get(id));
        await this.#tell([declined.entityRef, declined.requestedBy], declined, {
          title: `${declined.entityRef}: budget increase declined`,
          description: `${by.person} declined ${usd(
            declined.amountUsd,
          )} more until ${declined.endsOn}.${note ? ` Note: ${note}` : ''}`,
          severity: 'normal',
        });
        await this.#o.onChanged?.(declined.entityRef);
        return declined;
      },
    );
  }

  /**
   * Ends what is past its last day: an approved increase's limit goes back (unless someone set
   * another limit since, which stands), a pending request lapses. One that fails (AWS down) stays
   * and is tried again next run. Returns the requests it ended.
   */
  async sweep(): Promise<BudgetIncrease[]> {
    const out: BudgetIncrease[] = [];
    for (const due of await this.#o.store.due(day(this.#now()))) {
      try {
        const done =
          due.status === 'pending'
            ? await this.#lapse(due)
            : await this.#end(due);
        if (done) out.push(done);
      } catch (e) {
        this.#o.logger.warn('Could not end a Bedrock budget increase', {
          increaseId: due.id,
          tenantId: due.tenantId,
          error: String(e),
        });
      }
    }
    return out;
  }

  /** The sweep as a global task: one replica runs it at a time. */
  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'bedrock-budget-increases',
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      scope: 'global',
      fn: async () => {
        await this.sweep();
      },
    });
  }

  async #lapse(due: BudgetIncrease) {
    return this.#audited(
      'lapse',
      { person: 'system' },
      { tenantId: due.tenantId, increaseId: due.id },
      async () => {
        const lapsed = await this.#o.store.transition(due.id, 'pending', {
          status: 'lapsed',
          endedAt: new Date(this.#now()).toISOString(),
          endNote: `Its last day, ${due.endsOn}, passed before a Bedrock admin decided`,
        });
        if (lapsed) {
          await this.#tell([lapsed.requestedBy], lapsed, {
            title: `${lapsed.entityRef}: budget increase request lapsed`,
            description: lapsed.endNote!,
            severity: 'low',
          });
          await this.#o.onChanged?.(lapsed.entityRef);
        }
        return lapsed;
      },
    );
  }

  async #end(due: BudgetIncrease) {
    return this.#audited(
      'end',
      { person: 'system' },
      { tenantId: due.tenantId, increaseId: due.id },
      async () => {
        const tenant = await this.#o.tenantOf(due.tenantId);
        let endNote: string;
        if (!tenant) {
          endNote =
            'The tenant is no longer bound: its budget was left as it is';
        } else if (due.limitDuringUsd === null || due.limitBeforeUsd === null) {
          // approved, then the write to AWS never finished (the process stopped)
          endNote =
            'Its approval never raised the limit: the budget was left as it is';
        } else {
          const current = await readTenantBudget(this.#o.clients, tenant);
          if (!current) {
            endNote =
              'The tenant has no AWS Budget any more: nothing to revert';
          } else if (!sameCents(current.limitUsd, due.limitDuringUsd)) {
            endNote = `The limit was set to ${usd(
              current.limitUsd,
            )} by someone else while the increase applied: it stands`;
          } else {
            await writeBudgetLimit(
              this.#o.clients,
              tenant,
              current.budget,
              due.limitBeforeUsd,
            );
            endNote = `The limit is back to ${usd(
              due.limitBeforeUsd,
            )} (from ${usd(due.limitDuringUsd)})`;
          }
        }
        const ended = await this.#o.store.transition(due.id, 'approved', {
          status: 'ended',
          endedAt: new Date(this.#now()).toISOString(),
          endNote,
        });
        if (!ended) return undefined;
        if (tenant) await this.#afterLimitChange(tenant);
        await this.#tell([ended.entityRef], ended, {
          title: `${ended.entityRef}: temporary budget increase ended`,
          description: `The increase of ${usd(ended.amountUsd)} ended after ${
            ended.endsOn
          }. ${endNote}.`,
          severity: 'normal',
        });
        return ended;
      },
    );
  }

  async #tenant(i: BudgetIncrease): Promise<Tenant> {
    const tenant = await this.#o.tenantOf(i.tenantId);
    if (!tenant || tenant.entityRef !== i.entityRef)
      throw new ConflictError(
        `Tenant ${i.tenantId} is no longer bound to ${i.entityRef}: its budget increase cannot be applied`,
      );
    return tenant;
  }

  async #budget(tenant: Tenant) {
    let current;
    try {
      current = await readTenantBudget(this.#o.clients, tenant);
    } catch (e) {
      throw new ServiceUnavailableError(
        `Could not read the AWS Budget of tenant ${tenant.tenantId}: ${e}`,
      );
    }
    if (!current || current.limitUsd <= 0)
      throw new ConflictError(
        `Tenant ${tenant.tenantId} has no AWS Budget with a limit (${tenant.budgetName}) to raise: its update step creates one`,
      );
    return current;
  }

  #decided(i: BudgetIncrease) {
    return new ConflictError(
      `Budget increase ${i.id} is ${i.status}${
        i.decidedBy ? ` (by ${i.decidedBy})` : ''
      }, not pending: it cannot be decided again`,
    );
  }

  /** The new limit reaches the tab and budget enforcement now, not at the next collection. */
  async #afterLimitChange(tenant: Tenant) {
    try {
      await this.#o.refresh(tenant);
    } catch (e) {
      this.#o.logger.warn(
        'Collecting a tenant after its budget limit changed failed; the next collection catches up',
        { tenantId: tenant.tenantId, error: String(e) },
      );
    }
    await this.#o.onChanged?.(tenant.entityRef);
  }

  async #tell(
    recipients: string[],
    i: BudgetIncrease,
    payload: {
      title: string;
      description: string;
      severity: 'low' | 'normal' | 'high';
    },
  ) {
    if (!this.#o.notifications || recipients.length === 0) return;
    try {
      await this.#o.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          ...payload,
          link: tenantTabLink(i.entityRef),
          topic: tenantTopic(i.entityRef),
        },
      });
    } catch (e) {
      // the step is recorded and audited; a lost notice is logged, never undone
      this.#o.logger.warn('Bedrock budget increase notification failed', {
        increaseId: i.id,
        error: String(e),
      });
    }
  }

  async #audited<T>(
    step: string,
    by: Actor,
    meta: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await this.#o.auditor?.createEvent({
      eventId: 'budget-increase',
      severityLevel: step === 'approve' || step === 'end' ? 'high' : 'medium',
      ...(by.request && { request: by.request }),
      meta: { step, actor: by.person, via: by.via ?? null, ...meta },
    });
    try {
      const result = await fn();
      const i = result as BudgetIncrease | undefined;
      await event?.success({
        meta: i
          ? {
              increaseId: i.id,
              status: i.status,
              amountUsd: i.amountUsd,
              endsOn: i.endsOn,
              limitBeforeUsd: i.limitBeforeUsd,
              limitDuringUsd: i.limitDuringUsd,
              endNote: i.endNote,
            }
          : {},
      });
      return result;
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  }
}
