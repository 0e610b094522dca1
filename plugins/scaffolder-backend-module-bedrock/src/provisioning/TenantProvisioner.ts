import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  AwsClientFactory,
  AwsClients,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { ProvisioningConfig } from '../config';
import { ChangeLog } from './changes';
import { TAG_PRINCIPAL_ARNS } from '@bedrock-tenancy/plugin-bedrock-common';
import type { Target, TenantSpec } from './inputs';
import { tenantArns, tenantNames } from './naming';
import { convergeAlarms, ownAlarms, removeAlarms } from './resources/alarms';
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
import {
  resumeTenant,
  suspendTenant,
  suspensionRecord,
} from './resources/suspension';
import { ALARM_KINDS } from './naming';
import { convergeTopic, removeTopic } from './resources/topic';
import { readPreview } from './preview';
import { previewTenant, type TenantPreview } from './tenantPreview';
import { buildTenantPlan, TenantPlan } from './tenantPlan';

export interface TenantResult {
  plan: TenantPlan;
  changes: string[];
}

/**
 * Converges a tenant, suspends, resumes and removes it. Orchestration only: what each AWS
 * resource is, and how it is read, changed and removed, lives in `resources/`.
 */
export class TenantProvisioner {
  readonly #clients: AwsClientFactory;
  readonly #config: ProvisioningConfig;
  readonly #logger?: LoggerService;

  static create(options: {
    clients: AwsClientFactory;
    config: ProvisioningConfig;
    logger?: LoggerService;
  }) {
    return new TenantProvisioner(
      options.clients,
      options.config,
      options.logger,
    );
  }

  private constructor(
    clients: AwsClientFactory,
    config: ProvisioningConfig,
    logger?: LoggerService,
  ) {
    this.#clients = clients;
    this.#config = config;
    this.#logger = logger;
  }

  /** The plan without touching AWS (profile ids are placeholders until the profiles exist). */
  plan(spec: TenantSpec): TenantPlan {
    return buildTenantPlan(spec, this.#config);
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
    let aws: AwsClients;
    let inv: TenantInventory;
    try {
      aws = await this.#clients.forTarget(spec.accountId, spec.region);
      inv = await readTenantInventory(
        aws,
        spec.tenantId,
        spec.models.map(names.profileName),
      );
    } catch (e) {
      const plan = buildTenantPlan(spec, this.#config);
      const note = `The current state could not be read (${
        (e as Error).message
      }): every resource is listed as to create.`;
      return { plan, preview: previewTenant(plan, undefined, note) };
    }
    assertTenantOwned(inv, spec.tenantId, spec.accountId);
    assertChangeable(spec, inv, options.mustExist);
    return readPreview(aws, spec, this.#config, inv);
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
    const { aws, log, inv } = await this.#begin(
      spec,
      spec.models.map(names.profileName),
    );
    assertChangeable(spec, inv, options.mustExist);

    // profiles first: every later document needs their ids
    const existing = existingProfiles(
      inv.profiles,
      spec.models,
      names.profileName,
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
    const profiles = await createMissingProfiles(aws, plan, existing, log);
    // the guardrail before the policy: an enforcing policy names its published version
    const guardrail =
      plan.guardrail &&
      (await convergeGuardrail(
        aws,
        spec.tenantId,
        plan.guardrail,
        plan.tags,
        inv.guardrail,
        log,
      ));
    plan = buildTenantPlan(spec, this.#config, profiles, guardrail);
    await convergeInlinePolicy(
      aws,
      plan.role.name,
      plan.role.invokePolicyName,
      plan.role.invokePolicy,
      log,
    );
    // a guardrail the tenant no longer wants: only after the policy stopped requiring it
    if (!plan.guardrail && inv.guardrail) {
      await removeGuardrail(aws, inv.guardrail.arn);
      log.add(`Deleted guardrail ${inv.guardrail.arn}`);
    }
    // profiles of models the tenant no longer has: only after the policy stopped granting them
    await removeProfiles(aws, inv.profiles, spec.tenantId, plan, what =>
      log.add(`Deleted ${what}`),
    );
    await convergeTopic(
      aws,
      plan.topic,
      plan.tags,
      inv.topic,
      log,
      this.#logger,
    );
    await convergeAlarms(
      aws,
      { ...plan, topicArn: plan.topic.arn },
      inv.alarms,
      log,
    );
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
    const names = tenantNames(target.tenantId);
    const { aws, log, inv } = await this.#beginExisting(target);
    const { alarmsDisabled } = await suspendTenant(
      aws,
      {
        roleName: names.roleName,
        roleTags: inv.role.tags,
        alarmPrefix: names.alarmPrefix,
        alarms: ownAlarms(inv.alarms, target.tenantId),
      },
      {
        by: options.by,
        alarmKinds: ALARM_KINDS,
        onChange: (change, meta) => log.add(change, meta),
      },
    );
    return { changes: log.changes, alarmsDisabled };
  }

  /** Undoes exactly what suspend recorded, whoever suspended the tenant. */
  async resume(
    target: Target,
  ): Promise<{ changes: string[]; alarmsEnabled: string[] }> {
    const names = tenantNames(target.tenantId);
    const { aws, log, inv } = await this.#beginExisting(target);
    const { alarmsEnabled } = await resumeTenant(
      aws,
      {
        roleName: names.roleName,
        roleTags: inv.role.tags,
        alarmPrefix: names.alarmPrefix,
        alarms: ownAlarms(inv.alarms, target.tenantId),
      },
      { onChange: (change, meta) => log.add(change, meta) },
    );
    return { changes: log.changes, alarmsEnabled };
  }

  /**
   * Removes every resource of the tenant. The action checked `confirm` (the tenant id) before
   * calling: this only removes.
   */
  async delete(target: Target): Promise<{ deleted: string[] }> {
    const names = tenantNames(target.tenantId);
    const { aws, log, inv } = await this.#begin(target, []);
    const deleted: string[] = [];
    const done = (what: string) => {
      deleted.push(what);
      log.add(`Deleted ${what}`);
    };

    if (inv.budget) {
      await removeBudget(aws, target.accountId, names.budgetName);
      done(`budget ${names.budgetName}`);
    }
    const alarms = ownAlarms(inv.alarms, target.tenantId).map(
      a => a.AlarmName!,
    );
    if (alarms.length) {
      await removeAlarms(aws, alarms);
      alarms.forEach(a => done(`alarm ${a}`));
    }
    if (inv.dashboard) {
      await removeDashboard(aws, names.dashboardName);
      done(`dashboard ${names.dashboardName}`);
    }
    const topicArn = tenantArns(
      target.tenantId,
      target.accountId,
      target.region,
    ).topic;
    if (inv.topic) {
      await removeTopic(aws, topicArn);
      done(`topic ${topicArn}`);
    }
    if (inv.role) {
      await removeRole(aws, names.roleName);
      done(`role ${names.roleName}`);
    }
    await removeProfiles(aws, inv.profiles, target.tenantId, undefined, done);
    if (inv.guardrail) {
      await removeGuardrail(aws, inv.guardrail.arn);
      done(`guardrail ${inv.guardrail.arn}`);
    }
    return { deleted };
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

/** An update needs the tenant; nothing changes a suspended tenant. */
function assertChangeable(
  spec: TenantSpec,
  inv: TenantInventory,
  mustExist: boolean | undefined,
) {
  if (mustExist && !inv.role) {
    throw new NotFoundError(
      `Tenant ${spec.tenantId} does not exist in ${spec.accountId}/${
        spec.region
      } (no role ${tenantNames(spec.tenantId).roleName})`,
    );
  }
  if (suspensionRecord(inv.role) !== undefined) {
    throw new ConflictError(
      `Tenant ${spec.tenantId} is suspended: resume it before changing it. Nothing was changed.`,
    );
  }
}
