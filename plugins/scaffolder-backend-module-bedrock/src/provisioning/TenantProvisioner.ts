import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  readRoleTags,
  type AwsClientFactory,
  type AwsClients,
  type SuspensionTarget,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { ProvisioningConfig } from '../config';
import { ChangeLog } from './changes';
import { TAG_PRINCIPAL_ARNS } from '@bedrock-tenancy/plugin-bedrock-common';
import type { Target, TenantSpec } from './inputs';
import { ALARM_KINDS, tenantNames } from './naming';
import { convergeAlarms, ownAlarms } from './resources/alarms';
import { convergeBudget, removeBudget } from './resources/budget';
import { convergeDashboard, removeDashboard } from './resources/dashboard';
import { convergeGuardrail, removeGuardrail } from './resources/guardrail';
import {
  assertTenantOwned,
  readTenantInventory,
  type TenantInventory,
} from './resources/inventory';
import {
  createMissingProfiles,
  existingProfiles,
  removeProfiles,
} from './resources/profiles';
import {
  convergeInlinePolicy,
  convergeRole,
  removeRole,
  tagRole,
  untagRole,
} from './resources/role';
import {
  budgetEnforcementTag,
  TAG_BUDGET_ENFORCEMENT,
  type BudgetEnforcement,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { resumeTenant, suspendTenant } from './resources/suspension';
import { convergeTopic } from './resources/topic';
import { readPreview, unreadablePreview, type RegionRead } from './preview';
import type { TenantPreview } from './tenantPreview';
import {
  assertChangeable,
  removeRegional,
  roleRegions,
} from './resources/regional';
import type { GuardrailRef, TenantPlan } from './types';
import { buildTenantPlan, type ExistingProfiles } from './regionsPlan';

export interface TenantResult {
  plan: TenantPlan;
  changes: string[];
}

interface TenantProvisionerOptions {
  clients: AwsClientFactory;
  config: ProvisioningConfig;
  logger?: LoggerService;
}

/**
 * Converges a tenant, suspends, resumes and removes it. Orchestration only: what each AWS
 * resource is, and how it is read, changed and removed, lives in `resources/`.
 */
export class TenantProvisioner {
  readonly #clients: AwsClientFactory;
  readonly #config: ProvisioningConfig;
  readonly #logger?: LoggerService;

  static create(o: TenantProvisionerOptions) {
    return new TenantProvisioner(o);
  }

  private constructor(o: TenantProvisionerOptions) {
    this.#clients = o.clients;
    this.#config = o.config;
    this.#logger = o.logger;
  }

  /**
   * What `apply` would do, from read-only calls: the plan with the ids of what exists, and every
   * resource to create, change or delete with its documents and diffs. The same refusals as
   * `apply` (an update of a missing tenant, a suspended one, a resource of someone else). When
   * AWS cannot be read (no credentials in a template editor), the plan with everything as
   * "create" and a note saying why.
   */
  async preview(
    spec: TenantSpec,
    options: { mustExist?: boolean } = {},
  ): Promise<{ plan: TenantPlan; preview: TenantPreview }> {
    const names = tenantNames(spec.tenantId);
    let slices: RegionRead[];
    try {
      slices = await this.#beginRegions(
        spec,
        spec.regions,
        spec.models.map(names.profileName),
        { check: false },
      );
    } catch (e) {
      return unreadablePreview(spec, this.#config, e as Error);
    }
    for (const s of slices) {
      assertTenantOwned(s.inv, spec.tenantId, spec.accountId);
    }
    const { inv } = slices[0];
    assertChangeable(spec, inv, options.mustExist);
    const dropped = await this.#beginRegions(
      spec,
      roleRegions(inv.role).filter(r => !spec.regions.includes(r)),
      [],
    );
    return readPreview(spec, this.#config, slices, dropped);
  }

  /**
   * Creates or converges the tenant. With `mustExist` (update) a tenant without its role is a
   * NotFoundError. Everything is read and checked for ownership before the first change.
   */
  async apply(
    spec: TenantSpec,
    options: { mustExist?: boolean } = {},
  ): Promise<TenantResult> {
    const names = tenantNames(spec.tenantId);
    const log = new ChangeLog(this.#logger);
    const slices = await this.#beginRegions(
      spec,
      spec.regions,
      spec.models.map(names.profileName),
    );
    const [{ aws, inv }] = slices;
    assertChangeable(spec, inv, options.mustExist);
    // regions the tenant had (its role says which) and no longer has: checked before any change
    const dropped = await this.#beginRegions(
      spec,
      roleRegions(inv.role).filter(r => !spec.regions.includes(r)),
      [],
    );

    // profiles first: every later document needs their ids
    const existing = Object.fromEntries(
      slices.map(s => [
        s.region,
        existingProfiles(s.inv.profiles, spec.models, names.profileName),
      ]),
    );
    let plan = buildTenantPlan(spec, this.#config, existing);
    await convergeRole(
      aws,
      {
        name: plan.role.name,
        description: `Workloads of Bedrock tenant ${plan.tenantId}`,
        trustPolicy: plan.role.trustPolicy,
        tags: plan.role.tags,
        dropTags: [TAG_PRINCIPAL_ARNS],
      },
      inv.role,
      log,
    );
    const profiles: ExistingProfiles = {};
    const guardrails: Record<string, GuardrailRef> = {};
    for (const [i, s] of slices.entries()) {
      const regional = plan.regional[i];
      profiles[s.region] = await createMissingProfiles(
        s.aws,
        { ...plan, profiles: regional.profiles },
        existing[s.region],
        log,
      );
      // the guardrail before the policy: an enforcing policy names its published version
      if (regional.guardrail) {
        guardrails[s.region] = await convergeGuardrail(
          s.aws,
          spec.tenantId,
          regional.guardrail,
          plan.tags,
          s.inv.guardrail,
          log,
        );
      }
    }
    plan = buildTenantPlan(spec, this.#config, profiles, guardrails);
    await convergeInlinePolicy(
      aws,
      plan.role.name,
      plan.role.invokePolicyName,
      plan.role.invokePolicy,
      log,
    );
    for (const [i, s] of slices.entries()) {
      const regional = plan.regional[i];
      // only after the policy stopped requiring the guardrail or granting the profiles
      if (!regional.guardrail && s.inv.guardrail) {
        await removeGuardrail(s.aws, s.inv.guardrail.arn);
        log.add(`Deleted guardrail ${s.inv.guardrail.arn}`);
      }
      await removeProfiles(s.aws, s.inv.profiles, spec.tenantId, regional, w =>
        log.add(`Deleted ${w}`),
      );
      await convergeTopic(
        s.aws,
        regional.topic,
        plan.tags,
        s.inv.topic,
        log,
        this.#logger,
      );
      await convergeAlarms(
        s.aws,
        { ...plan, alarms: regional.alarms, topicArn: regional.topic.arn },
        s.inv.alarms,
        log,
      );
    }
    for (const d of dropped) {
      await removeRegional(d, spec.tenantId, w => log.add(`Deleted ${w}`));
    }
    await convergeDashboard(aws, plan.dashboard, plan.tags, inv.dashboard, log);
    await convergeBudget(
      aws,
      plan.accountId,
      plan.budget,
      plan.tags,
      inv.budget,
      log,
    );
    return { plan, changes: log.changes };
  }

  /**
   * Records the tenant's opt-in to budget enforcement as a tag on its role (beside its binding,
   * so a binding rebuilt from AWS tags keeps it); null removes it. Idempotent.
   */
  async setBudgetEnforcement(
    target: Target,
    setting: BudgetEnforcement | null,
  ): Promise<string[]> {
    const names = tenantNames(target.tenantId);
    const { aws, log, inv } = await this.#beginExisting(target);
    const current = inv.role.tags[TAG_BUDGET_ENFORCEMENT];
    if (setting && current !== budgetEnforcementTag(setting)) {
      await tagRole(aws, names.roleName, {
        [TAG_BUDGET_ENFORCEMENT]: budgetEnforcementTag(setting),
      });
      log.add(`Opted ${names.roleName} in to budget enforcement`, {
        budgetEnforcement: setting,
      });
    } else if (!setting && current !== undefined) {
      await untagRole(aws, names.roleName, [TAG_BUDGET_ENFORCEMENT]);
      log.add(`Opted ${names.roleName} out of budget enforcement`);
    }
    return log.changes;
  }

  /**
   * Blocks invocations with an explicit Deny and turns off alarm actions, recording what it
   * turned off and `by` whom (the shared code path of budget enforcement, in plugin-bedrock-node).
   */
  async suspend(
    target: Target,
    options: { by: string },
  ): Promise<{ changes: string[]; alarmsDisabled: string[] }> {
    const { aws, log, suspension } = await this.#suspension(target);
    const { alarmsDisabled } = await suspendTenant(aws, suspension, {
      by: options.by,
      alarmKinds: ALARM_KINDS,
      onChange: (change, meta) => log.add(change, meta),
    });
    return { changes: log.changes, alarmsDisabled };
  }

  /** Undoes exactly what suspend recorded, whoever suspended the tenant. */
  async resume(
    target: Target,
  ): Promise<{ changes: string[]; alarmsEnabled: string[] }> {
    const { aws, log, suspension } = await this.#suspension(target);
    const { alarmsEnabled } = await resumeTenant(aws, suspension, {
      onChange: (change, meta) => log.add(change, meta),
    });
    return { changes: log.changes, alarmsEnabled };
  }

  /**
   * Removes every resource of the tenant. The action checked `confirm` (the tenant id) before
   * calling: this only removes.
   */
  async delete(target: Target): Promise<{ deleted: string[] }> {
    const names = tenantNames(target.tenantId);
    const log = new ChangeLog(this.#logger);
    const [first] = await this.#beginRegions(target, [target.region], []);
    // every region the role says the tenant has; the first holds the global resources
    const regions = [
      ...new Set([...roleRegions(first.inv.role), target.region]),
    ];
    const slices = await this.#beginRegions(target, regions, []);
    const [{ aws, inv }] = slices;
    const deleted: string[] = [];
    const done = (what: string) => {
      deleted.push(what);
      log.add(`Deleted ${what}`);
    };

    if (inv.budget) {
      await removeBudget(aws, target.accountId, names.budgetName);
      done(`budget ${names.budgetName}`);
    }
    if (inv.dashboard) {
      await removeDashboard(aws, names.dashboardName);
      done(`dashboard ${names.dashboardName}`);
    }
    if (inv.role) {
      await removeRole(aws, names.roleName);
      done(`role ${names.roleName}`);
    }
    for (const s of slices) await removeRegional(s, target.tenantId, done);
    return { deleted };
  }

  /** The tenant role's tags (a read, no change); undefined when the role does not exist. */
  async roleTags(target: Target): Promise<Record<string, string> | undefined> {
    const aws = await this.#clients.forTarget(target.accountId, target.region);
    return readRoleTags(aws, tenantNames(target.tenantId).roleName);
  }

  /** What suspend and resume work on: the role and the tenant's alarms in each of its regions. */
  async #suspension(target: Target) {
    const names = tenantNames(target.tenantId);
    const { aws, log, inv } = await this.#beginExisting(target);
    // the tenant's other regions (its role's tag), read and checked
    const others = await this.#beginRegions(
      target,
      roleRegions(inv.role).filter(r => r !== target.region),
      [],
    );
    const suspension: SuspensionTarget = {
      roleName: names.roleName,
      roleTags: inv.role.tags,
      alarmPrefix: names.alarmPrefix,
      alarms: ownAlarms(inv.alarms, target.tenantId),
      otherRegions: others.map(r => ({
        region: r.region,
        aws: r.aws,
        alarms: ownAlarms(r.inv.alarms, target.tenantId),
      })),
    };
    return { aws, log, suspension };
  }

  /** Every region's clients and checked inventory (`regions` in order; none for none). */
  async #beginRegions(
    target: Omit<Target, 'region'>,
    regions: string[],
    profileNames: string[],
    options: { check?: boolean } = {},
  ): Promise<RegionRead[]> {
    const out: RegionRead[] = [];
    for (const region of regions) {
      const aws = await this.#clients.forTarget(target.accountId, region);
      const inv = await readTenantInventory(aws, target.tenantId, profileNames);
      if (options.check !== false) {
        assertTenantOwned(inv, target.tenantId, target.accountId);
      }
      out.push({ region, aws, inv });
    }
    return out;
  }

  /** The clients, a change log and the checked inventory of the tenant. */
  async #begin(
    target: Target,
    profileNames: string[],
  ): Promise<{ aws: AwsClients; log: ChangeLog; inv: TenantInventory }> {
    const aws = await this.#clients.forTarget(target.accountId, target.region);
    const inv = await readTenantInventory(aws, target.tenantId, profileNames);
    assertTenantOwned(inv, target.tenantId, target.accountId);
    return { aws, log: new ChangeLog(this.#logger), inv };
  }

  /** As #begin, for a tenant that must exist (it has its role). */
  async #beginExisting(target: Target) {
    const begun = await this.#begin(target, []);
    if (!begun.inv.role) {
      throw new NotFoundError(
        `Tenant ${target.tenantId} has no role ${
          tenantNames(target.tenantId).roleName
        }`,
      );
    }
    return begun as typeof begun & {
      inv: { role: NonNullable<TenantInventory['role']> };
    };
  }
}
