import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  BudgetEnforcement,
  BudgetIncrease,
  EnforcementInfo,
  EnforcementPlan,
  EntitySummary,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  budgetSuspender,
  resumeTenant,
  suspendTenant,
  suspensionOf,
  type SuspensionTarget,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { BindingStore } from '../bindings/types';
import type { UsageStore } from '../database/types';
import { budgetPeriod } from '../notify/events';
import { NotificationLedger } from '../notify/NotificationLedger';
import type { Tenant } from '../tenant';
import type { EnforcementSettings } from './config';
import { readTenantTarget } from './suspensionTarget';
import { tellOwners } from './tellOwners';
import type { BudgetIncreaseStore } from '../increases/BudgetIncreaseStore';
import {
  decide,
  enforcementRound,
  nextPeriodStart,
  RESUMABLE_BY,
  unassessed,
} from './decide';

/** Snapshot kind of a tenant's last enforcement decision (what the tab shows). */
export const ENFORCEMENT_SNAPSHOT = 'enforcement';

export interface BudgetEnforcerOptions {
  settings: EnforcementSettings;
  bindings: BindingStore;
  store: UsageStore;
  clients: AwsClientFactory;
  ledger: NotificationLedger;
  /** the tenant's summary as the tab shows it, from the store (no AWS call) */
  summarize: (tenant: Tenant) => Promise<EntitySummary>;
  notifications?: NotificationService;
  auditor?: AuditorService;
  logger: LoggerService;
  /** temporary budget increases: a round of enforcement per limit (see enforcementRound) */
  increases?: Pick<BudgetIncreaseStore, 'latestApplied'>;
  now?: () => number;
}

interface Assessed {
  tenant: Tenant;
  info: EnforcementInfo;
  target?: SuspensionTarget;
  increase?: BudgetIncrease;
}

/**
 * Budget enforcement: after each collection, a tenant that opted in (its binding) and reached
 * 100% of its budget is suspended through the suspend action's own code path
 * (plugin-bedrock-node), audited with reason "budget", and its owners are notified. Exactly once
 * per budget period across replicas and restarts: the suspension is first claimed in the
 * notification ledger as `enforce:<period>` (an insert only one replica wins), and a claim whose
 * suspension failed is given back for the next run. A tenant suspended by a person is never
 * resumed; one suspended by enforcement is resumed when the next period starts, if it opted in.
 */
export class BudgetEnforcer {
  readonly #o: BudgetEnforcerOptions;
  readonly #now: () => number;

  static create(o: BudgetEnforcerOptions) {
    return new BudgetEnforcer(o);
  }

  private constructor(o: BudgetEnforcerOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  /** What enforcement would do for each opted-in tenant now: AWS is read, never changed. */
  async plan(tenants: Tenant[]): Promise<EnforcementPlan> {
    const assessed = await this.#assessAll(tenants, { record: false });
    return {
      dryRun: this.#o.settings.dryRun,
      enabled: this.#o.settings.enabled,
      generatedAt: new Date(this.#now()).toISOString(),
      tenants: assessed.map(a => a.info),
      notOptedIn: tenants.length - assessed.length,
    };
  }

  /**
   * Decides and acts for each opted-in tenant of `tenants` (in dry-run mode it only logs) and
   * records each decision for the tab. Never throws: one tenant failing does not stop the others.
   */
  async enforce(tenants: Tenant[]): Promise<EnforcementInfo[]> {
    if (!this.#o.settings.enabled) return [];
    const assessed = await this.#assessAll(tenants, { record: true });
    const out: EnforcementInfo[] = [];
    for (const a of assessed) {
      let info = a.info;
      try {
        if (this.#o.settings.dryRun) {
          if (info.decision === 'suspend' || info.decision === 'resume') {
            info = {
              ...info,
              reason: `Dry run (bedrock.enforcement.dryRun), would ${info.decision}: ${info.reason}`,
            };
            this.#o.logger.info(
              `Bedrock budget enforcement (dry run) would ${info.decision} tenant ${info.tenantId}`,
              { entityRef: info.entityRef, reason: info.reason },
            );
          }
        } else if (info.decision === 'suspend') {
          info = await this.#suspend(a);
        } else if (info.decision === 'resume') {
          info = await this.#resume(a);
        }
      } catch (e) {
        this.#o.logger.warn('Bedrock budget enforcement failed for a tenant', {
          entityRef: a.tenant.entityRef,
          decision: info.decision,
          error: String(e),
        });
        info = { ...info, reason: `${info.reason}; failed: ${e}` };
      }
      await this.#record(info);
      out.push(info);
    }
    return out;
  }

  async #assessAll(
    tenants: Tenant[],
    o: { record: boolean },
  ): Promise<Assessed[]> {
    const bindings = await this.#o.bindings.getMany(
      tenants.map(t => t.tenantId),
    );
    const settingOf = new Map(
      bindings.map(b => [b.tenantId, b.budgetEnforcement ?? null]),
    );
    const previous = await this.#o.store.getSnapshots<EnforcementInfo | null>(
      ENFORCEMENT_SNAPSHOT,
      tenants.map(t => t.tenantId),
    );
    const periodStart = `${budgetPeriod(this.#now())}-01T00:00:00.000Z`;
    const increases =
      (await this.#o.increases?.latestApplied(
        tenants.map(t => t.tenantId),
        periodStart,
      )) ?? new Map<string, BudgetIncrease>();
    const out: Assessed[] = [];
    for (const tenant of tenants) {
      const setting = settingOf.get(tenant.tenantId);
      if (!setting) {
        // opted out since: the tab stops showing the old decision
        if (o.record && previous[tenant.tenantId]?.payload)
          await this.#clear(tenant);
        continue;
      }
      try {
        out.push(
          await this.#assess(
            tenant,
            setting,
            previous[tenant.tenantId]?.payload,
            increases.get(tenant.tenantId),
          ),
        );
      } catch (e) {
        this.#o.logger.warn(
          'Bedrock budget enforcement could not assess a tenant',
          {
            entityRef: tenant.entityRef,
            error: String(e),
          },
        );
        // listed (the plan, the tab) with the reason, never acted on
        out.push({
          tenant,
          info: unassessed(
            tenant,
            setting,
            this.#now(),
            String(e),
            previous[tenant.tenantId]?.payload,
          ),
        });
      }
    }
    return out;
  }

  async #assess(
    tenant: Tenant,
    setting: BudgetEnforcement,
    previous: EnforcementInfo | null | undefined,
    increase: BudgetIncrease | undefined,
  ): Promise<Assessed> {
    const now = this.#now();
    const period = budgetPeriod(now);
    const [summary, target, last] = await Promise.all([
      this.#o.summarize(tenant),
      readTenantTarget(this.#o.clients, tenant),
      this.#o.ledger.last(tenant.tenantId),
    ]);
    const info = decide({
      tenant,
      setting,
      period,
      now,
      summary,
      suspension: target ? suspensionOf(target.roleTags) : 'no-role',
      enforcedThisPeriod: last.has(enforcementRound(period, increase)),
      previous,
      increase,
    });
    return { tenant, info, target, increase };
  }

  async #suspend({
    tenant,
    info,
    target,
    increase,
  }: Assessed): Promise<EnforcementInfo> {
    const claim = {
      tenantId: tenant.tenantId,
      entityRef: tenant.entityRef,
      subject: enforcementRound(info.period, increase),
      seq: 1,
      state: 'suspended',
      notified: false,
    };
    if (!(await this.#o.ledger.claim(claim))) {
      return {
        ...info,
        decision: 'none',
        reason: `${info.reason}; another instance suspends it`,
      };
    }
    const by = budgetSuspender(info.period);
    const audit = await this.#o.auditor?.createEvent({
      eventId: 'budget-enforcement',
      severityLevel: 'high',
      meta: {
        reason: 'budget',
        action: 'suspend',
        tenantId: tenant.tenantId,
        entityRef: tenant.entityRef,
        period: info.period,
        basis: info.setting.basis,
        spendUsd: info.spendUsd,
        limitUsd: info.limitUsd,
      },
    });
    try {
      const aws = await this.#o.clients.forTarget(
        tenant.accountId,
        tenant.regions[0],
      );
      const changes: string[] = [];
      const result = await suspendTenant(aws, target!, {
        by,
        onChange: change => changes.push(change),
      });
      await audit?.success({
        meta: {
          suspendedBy: by,
          changes,
          alarmsDisabled: result.alarmsDisabled,
        },
      });
    } catch (e) {
      await this.#o.ledger.release(claim);
      await audit?.fail({ error: e as Error });
      throw e;
    }
    this.#o.logger.info('Bedrock budget enforcement suspended a tenant', {
      entityRef: tenant.entityRef,
      period: info.period,
    });
    const day = new Date(this.#now()).toISOString().slice(0, 10);
    const done: EnforcementInfo = {
      ...info,
      suspended: true,
      suspendedBy: by,
      suspendedFor: 'budget',
      suspendedOn: day,
      resumableBy: RESUMABLE_BY,
      resumesOn: info.setting.autoResume ? nextPeriodStart(info.period) : null,
    };
    await tellOwners(this.#o, tenant, 'suspended', {
      title: `${tenant.entityRef}: Bedrock tenant suspended, budget reached`,
      description: `${
        info.reason
      }. Budget enforcement denied every Bedrock call of the tenant on ${day}. ${
        done.resumesOn
          ? `It resumes automatically on ${done.resumesOn}; before that, `
          : ''
      }${RESUMABLE_BY} can resume it.`,
    });
    return done;
  }

  async #resume({
    tenant,
    info,
    target,
    increase,
  }: Assessed): Promise<EnforcementInfo> {
    // a new period, or (this period) a temporary increase that put the tenant under its limit
    const raised =
      increase?.status === 'approved' &&
      info.suspendedBy === budgetSuspender(info.period)
        ? increase
        : undefined;
    const claim = {
      tenantId: tenant.tenantId,
      entityRef: tenant.entityRef,
      subject: raised
        ? `resume:${info.period}:increase:${raised.id}`
        : `resume:${info.period}`,
      seq: 1,
      state: 'active',
      notified: false,
    };
    if (!(await this.#o.ledger.claim(claim))) {
      return {
        ...info,
        decision: 'none',
        reason: `${info.reason}; another instance resumes it`,
      };
    }
    const audit = await this.#o.auditor?.createEvent({
      eventId: 'budget-enforcement',
      severityLevel: 'high',
      meta: {
        reason: raised ? 'budget-increase' : 'budget',
        action: 'resume',
        tenantId: tenant.tenantId,
        entityRef: tenant.entityRef,
        period: info.period,
        suspendedBy: info.suspendedBy,
      },
    });
    try {
      const aws = await this.#o.clients.forTarget(
        tenant.accountId,
        tenant.regions[0],
      );
      const changes: string[] = [];
      await resumeTenant(aws, target!, { onChange: c => changes.push(c) });
      await audit?.success({ meta: { changes } });
    } catch (e) {
      await this.#o.ledger.release(claim);
      await audit?.fail({ error: e as Error });
      throw e;
    }
    await tellOwners(
      this.#o,
      tenant,
      'active',
      raised
        ? {
            title: `${tenant.entityRef}: Bedrock tenant resumed, budget increased`,
            description: `${info.reason.replace(
              /: resume it$/,
              '',
            )}: budget enforcement lifted its suspension. It suspends the tenant again if the spend reaches the raised limit, and at the usual limit after ${
              raised.endsOn
            }.`,
          }
        : {
            title: `${tenant.entityRef}: Bedrock tenant resumed, new budget period`,
            description: `Budget period ${info.period} started: budget enforcement lifted the suspension of ${info.suspendedBy}.`,
          },
    );
    return {
      ...info,
      suspended: false,
      suspendedBy: null,
      suspendedFor: null,
      suspendedOn: null,
      resumableBy: null,
      resumesOn: null,
    };
  }

  async #record(info: EnforcementInfo) {
    await this.#o.store.putSnapshot({
      kind: ENFORCEMENT_SNAPSHOT,
      key: info.tenantId,
      payload: info,
      error: null,
      fetchedAt: info.checkedAt,
    });
  }

  async #clear(tenant: Tenant) {
    await this.#o.store.putSnapshot({
      kind: ENFORCEMENT_SNAPSHOT,
      key: tenant.tenantId,
      payload: null,
      error: null,
      fetchedAt: new Date(this.#now()).toISOString(),
    });
  }
}
