import {
  CreateInferenceProfileCommand,
  DeleteInferenceProfileCommand,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand as ListBedrockTagsCommand,
  type InferenceProfileSummary,
} from '@aws-sdk/client-bedrock';
import {
  CreateBudgetCommand,
  CreateNotificationCommand,
  DeleteBudgetCommand,
  DeleteNotificationCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  UpdateBudgetCommand,
  type Budget,
  type Notification,
} from '@aws-sdk/client-budgets';
import {
  DeleteAlarmsCommand,
  DeleteDashboardsCommand,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
  PutDashboardCommand,
  PutMetricAlarmCommand,
  TagResourceCommand as TagAlarmCommand,
  type MetricAlarm,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand as TagTopicCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClientFactory, AwsClients } from '../aws/clients';
import { orUndefined } from '../aws/errors';
import type { ProvisioningConfig } from '../config';
import { ChangeLog } from './changes';
import type { Target, TenantSpec } from './inputs';
import { ALARM_KINDS, AlarmKind, tenantNames } from './naming';
import { parsePolicy, policy, sameJson } from './policies';
import {
  buildTenantPlan,
  dashboardMarker,
  PlannedAlarm,
  ProfileRef,
  TenantPlan,
} from './tenantPlan';

/** Role tag that marks a suspended tenant; its value lists the alarm kinds whose actions suspend turned off. */
export const TAG_SUSPENDED = 'bedrock-tenancy:suspended-alarms';

/** The inline policy suspend puts on the tenant role. */
export const SUSPEND_POLICY = policy({
  Sid: 'TenantSuspended',
  Effect: 'Deny',
  Action: 'bedrock:*',
  Resource: '*',
});

export interface TenantResult {
  plan: TenantPlan;
  changes: string[];
}

type Tags = Record<string, string>;
const tagList = (tags: Tags) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const tagMap = (
  tags: Array<{ Key?: string; Value?: string }> | undefined,
): Tags =>
  Object.fromEntries((tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']));
const NOT_FOUND_IAM = ['NoSuchEntity', 'NoSuchEntityException'];

/** The tenant's resources as they exist now (read-only view). */
interface Inventory {
  role?: { tags: Tags; trustPolicy: unknown };
  /** application inference profiles by name, tagged for this tenant or carrying a desired name */
  profiles: Array<InferenceProfileSummary & { tags: Tags }>;
  topic?: { tags: Tags; policy: unknown };
  alarms: Array<MetricAlarm & { tags: Tags }>;
  dashboard?: { body: string };
  budget?: Budget;
}

/** Converges a tenant, suspends, resumes and removes it. */
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
   * Creates or converges the tenant. With `mustExist` (update) a tenant without its role is a
   * NotFoundError. Everything is read and checked for ownership before the first change.
   */
  async apply(
    spec: TenantSpec,
    options: { mustExist?: boolean } = {},
  ): Promise<TenantResult> {
    const aws = await this.#clients.forTarget(spec.accountId, spec.region);
    const names = tenantNames(spec.tenantId);
    const log = new ChangeLog(this.#logger);
    const inv = await this.#inventory(
      aws,
      spec.tenantId,
      spec.models.map(names.profileName),
    );
    this.#assertOwned(inv, spec.tenantId);
    if (options.mustExist && !inv.role) {
      throw new NotFoundError(
        `Tenant ${spec.tenantId} does not exist in ${spec.accountId}/${spec.region} (no role ${names.roleName})`,
      );
    }
    if (inv.role?.tags[TAG_SUSPENDED] !== undefined) {
      throw new ConflictError(
        `Tenant ${spec.tenantId} is suspended: resume it before changing it. Nothing was changed.`,
      );
    }

    // profiles first: every later document needs their ids
    const existing: Record<string, ProfileRef> = {};
    for (const modelId of spec.models) {
      const p = inv.profiles.find(
        x => x.inferenceProfileName === names.profileName(modelId),
      );
      if (p)
        existing[modelId] = {
          id: p.inferenceProfileId!,
          arn: p.inferenceProfileArn!,
        };
    }
    let plan = buildTenantPlan(spec, this.#config, existing);
    await this.#ensureRole(aws, plan, inv, log);
    for (const p of plan.profiles.filter(x => !x.exists)) {
      const res = await aws.bedrock.send(
        new CreateInferenceProfileCommand({
          inferenceProfileName: p.name,
          description: `Bedrock tenant ${spec.tenantId}: ${p.modelId}`,
          clientRequestToken: p.clientRequestToken,
          modelSource: { copyFrom: p.copyFrom },
          tags: Object.entries(plan.tags).map(([key, value]) => ({
            key,
            value,
          })),
        }),
      );
      const arn = res.inferenceProfileArn!;
      existing[p.modelId] = { id: arn.split('/').pop()!, arn };
      log.add(`Created inference profile ${p.name}`, {
        modelId: p.modelId,
        arn,
      });
    }
    plan = buildTenantPlan(spec, this.#config, existing);
    await this.#ensureInvokePolicy(aws, plan, log);
    // profiles of models the tenant no longer has: only after the policy stopped granting them
    const desired = new Set(plan.profiles.map(p => p.name));
    for (const p of inv.profiles) {
      if (
        desired.has(p.inferenceProfileName!) ||
        p.tags[TAG_TENANT] !== spec.tenantId
      )
        continue;
      await aws.bedrock.send(
        new DeleteInferenceProfileCommand({
          inferenceProfileIdentifier: p.inferenceProfileArn!,
        }),
      );
      log.add(`Deleted inference profile ${p.inferenceProfileName}`);
    }
    await this.#ensureTopic(aws, plan, inv, log);
    await this.#ensureAlarms(aws, plan, inv, log);
    await this.#ensureDashboard(aws, plan, inv, log);
    await this.#ensureBudget(aws, plan, inv, log);
    return { plan, changes: log.changes };
  }

  /** Blocks invocations with an explicit Deny and turns off alarm actions, recording what it turned off. */
  async suspend(
    target: Target,
  ): Promise<{ changes: string[]; alarmsDisabled: string[] }> {
    const aws = await this.#clients.forTarget(target.accountId, target.region);
    const names = tenantNames(target.tenantId);
    const log = new ChangeLog(this.#logger);
    const inv = await this.#inventory(aws, target.tenantId, []);
    this.#assertOwned(inv, target.tenantId);
    if (!inv.role)
      throw new NotFoundError(
        `Tenant ${target.tenantId} has no role ${names.roleName}`,
      );
    const RoleName = names.roleName;
    let recorded = inv.role.tags[TAG_SUSPENDED];
    if (recorded === undefined) {
      recorded = this.#ownAlarms(inv, target.tenantId)
        .filter(a => a.ActionsEnabled)
        .map(a => a.AlarmName!.slice(names.alarmPrefix.length))
        .filter(k => (ALARM_KINDS as readonly string[]).includes(k))
        .join(' ');
      // the record goes first, so a run that fails later still knows what to restore
      await aws.iam.send(
        new TagRoleCommand({
          RoleName,
          Tags: [{ Key: TAG_SUSPENDED, Value: recorded }],
        }),
      );
      log.add(`Recorded suspension on role ${RoleName}`, { alarms: recorded });
    }
    const current = await orUndefined(
      () =>
        aws.iam.send(
          new GetRolePolicyCommand({
            RoleName,
            PolicyName: names.suspendPolicyName,
          }),
        ),
      ...NOT_FOUND_IAM,
    );
    if (!sameJson(parsePolicy(current?.PolicyDocument), SUSPEND_POLICY)) {
      await aws.iam.send(
        new PutRolePolicyCommand({
          RoleName,
          PolicyName: names.suspendPolicyName,
          PolicyDocument: JSON.stringify(SUSPEND_POLICY),
        }),
      );
      log.add(`Denied all Bedrock actions to ${RoleName}`);
    }
    const toDisable = recorded
      .split(' ')
      .filter(Boolean)
      .map(k => names.alarmName(k as AlarmKind));
    const stillEnabled = inv.alarms
      .filter(a => toDisable.includes(a.AlarmName!) && a.ActionsEnabled)
      .map(a => a.AlarmName!);
    if (stillEnabled.length) {
      await setAlarmActions(
        aws,
        inv.alarms.filter(a => stillEnabled.includes(a.AlarmName!)),
        false,
      );
      log.add(`Disabled actions of ${stillEnabled.length} alarms`, {
        alarms: stillEnabled,
      });
    }
    return { changes: log.changes, alarmsDisabled: toDisable };
  }

  /** Undoes exactly what suspend recorded. */
  async resume(
    target: Target,
  ): Promise<{ changes: string[]; alarmsEnabled: string[] }> {
    const aws = await this.#clients.forTarget(target.accountId, target.region);
    const names = tenantNames(target.tenantId);
    const log = new ChangeLog(this.#logger);
    const inv = await this.#inventory(aws, target.tenantId, []);
    this.#assertOwned(inv, target.tenantId);
    if (!inv.role)
      throw new NotFoundError(
        `Tenant ${target.tenantId} has no role ${names.roleName}`,
      );
    const RoleName = names.roleName;
    const recorded = inv.role.tags[TAG_SUSPENDED];
    if (recorded === undefined) return { changes: [], alarmsEnabled: [] };
    const toEnable = recorded
      .split(' ')
      .filter(Boolean)
      .map(k => names.alarmName(k as AlarmKind));
    const disabled = inv.alarms
      .filter(a => toEnable.includes(a.AlarmName!) && !a.ActionsEnabled)
      .map(a => a.AlarmName!);
    if (disabled.length) {
      await setAlarmActions(
        aws,
        inv.alarms.filter(a => disabled.includes(a.AlarmName!)),
        true,
      );
      log.add(`Enabled actions of ${disabled.length} alarms`, {
        alarms: disabled,
      });
    }
    const current = await orUndefined(
      () =>
        aws.iam.send(
          new GetRolePolicyCommand({
            RoleName,
            PolicyName: names.suspendPolicyName,
          }),
        ),
      ...NOT_FOUND_IAM,
    );
    if (current) {
      await aws.iam.send(
        new DeleteRolePolicyCommand({
          RoleName,
          PolicyName: names.suspendPolicyName,
        }),
      );
      log.add(`Removed the Deny policy from ${RoleName}`);
    }
    await aws.iam.send(
      new UntagRoleCommand({ RoleName, TagKeys: [TAG_SUSPENDED] }),
    );
    log.add(`Cleared suspension record on ${RoleName}`);
    return { changes: log.changes, alarmsEnabled: toEnable };
  }

  /** Removes every resource of the tenant; `confirm` must equal the tenant id. */
  async delete(
    target: Target & { confirm: string },
  ): Promise<{ deleted: string[] }> {
    if (target.confirm !== target.tenantId) {
      throw new InputError(
        `Invalid input: confirm: type the tenant id "${target.tenantId}" to confirm the deletion`,
      );
    }
    const aws = await this.#clients.forTarget(target.accountId, target.region);
    const names = tenantNames(target.tenantId);
    const log = new ChangeLog(this.#logger);
    const inv = await this.#inventory(aws, target.tenantId, []);
    this.#assertOwned(inv, target.tenantId);
    const deleted: string[] = [];
    const done = (what: string) => {
      deleted.push(what);
      log.add(`Deleted ${what}`);
    };

    if (inv.budget) {
      await orUndefined(
        () =>
          aws.budgets.send(
            new DeleteBudgetCommand({
              AccountId: target.accountId,
              BudgetName: names.budgetName,
            }),
          ),
        'NotFoundException',
      );
      done(`budget ${names.budgetName}`);
    }
    const alarms = this.#ownAlarms(inv, target.tenantId).map(a => a.AlarmName!);
    if (alarms.length) {
      await aws.cloudwatch.send(
        new DeleteAlarmsCommand({ AlarmNames: alarms }),
      );
      alarms.forEach(a => done(`alarm ${a}`));
    }
    if (inv.dashboard) {
      await aws.cloudwatch.send(
        new DeleteDashboardsCommand({ DashboardNames: [names.dashboardName] }),
      );
      done(`dashboard ${names.dashboardName}`);
    }
    const topicArn = `arn:aws:sns:${target.region}:${target.accountId}:${names.topicName}`;
    if (inv.topic) {
      await aws.sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
      done(`topic ${topicArn}`);
    }
    if (inv.role) {
      const RoleName = names.roleName;
      const inline = await aws.iam.send(
        new ListRolePoliciesCommand({ RoleName }),
      );
      for (const PolicyName of inline.PolicyNames ?? []) {
        await aws.iam.send(
          new DeleteRolePolicyCommand({ RoleName, PolicyName }),
        );
      }
      const attached = await aws.iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName }),
      );
      for (const p of attached.AttachedPolicies ?? []) {
        await aws.iam.send(
          new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn! }),
        );
      }
      await aws.iam.send(new DeleteRoleCommand({ RoleName }));
      done(`role ${RoleName}`);
    }
    for (const p of inv.profiles.filter(
      x => x.tags[TAG_TENANT] === target.tenantId,
    )) {
      await aws.bedrock.send(
        new DeleteInferenceProfileCommand({
          inferenceProfileIdentifier: p.inferenceProfileArn!,
        }),
      );
      done(`inference profile ${p.inferenceProfileName}`);
    }
    return { deleted };
  }

  // ---- reading -------------------------------------------------------------------------

  async #inventory(
    aws: AwsClients,
    tenantId: string,
    profileNames: string[],
  ): Promise<Inventory> {
    const names = tenantNames(tenantId);
    const inv: Inventory = { profiles: [], alarms: [] };

    const role = await orUndefined(
      () => aws.iam.send(new GetRoleCommand({ RoleName: names.roleName })),
      ...NOT_FOUND_IAM,
    );
    if (role) {
      const tags = await aws.iam.send(
        new ListRoleTagsCommand({ RoleName: names.roleName }),
      );
      inv.role = {
        tags: tagMap(tags.Tags),
        trustPolicy: parsePolicy(role.Role?.AssumeRolePolicyDocument),
      };
    }

    let nextToken: string | undefined;
    do {
      const page = await aws.bedrock.send(
        new ListInferenceProfilesCommand({
          typeEquals: 'APPLICATION',
          nextToken,
          maxResults: 100,
        }),
      );
      for (const p of page.inferenceProfileSummaries ?? []) {
        const tags = await aws.bedrock.send(
          new ListBedrockTagsCommand({ resourceARN: p.inferenceProfileArn! }),
        );
        const t = Object.fromEntries(
          (tags.tags ?? []).map(x => [x.key!, x.value!]),
        );
        if (
          t[TAG_TENANT] === tenantId ||
          profileNames.includes(p.inferenceProfileName!)
        ) {
          inv.profiles.push({ ...p, tags: t });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);

    const topicArn = `arn:aws:sns:${aws.region}:${aws.accountId}:${names.topicName}`;
    const topic = await orUndefined(
      () => aws.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })),
      'NotFoundException',
      'NotFound',
    );
    if (topic) {
      const tags = await aws.sns.send(
        new ListTopicTagsCommand({ ResourceArn: topicArn }),
      );
      inv.topic = {
        tags: tagMap(tags.Tags),
        policy: parsePolicy(topic.Attributes?.Policy),
      };
    }

    let alarmToken: string | undefined;
    do {
      const page = await aws.cloudwatch.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: names.alarmPrefix,
          NextToken: alarmToken,
        }),
      );
      for (const a of page.MetricAlarms ?? []) {
        // emulators may ignore the prefix: filter again
        if (!a.AlarmName?.startsWith(names.alarmPrefix)) continue;
        const tags = await aws.cloudwatch.send(
          new ListAlarmTagsCommand({ ResourceARN: a.AlarmArn }),
        );
        const t = tagMap(tags.Tags);
        const desiredName = (ALARM_KINDS as readonly string[]).some(
          k => names.alarmName(k as AlarmKind) === a.AlarmName,
        );
        if (t[TAG_TENANT] === tenantId || desiredName)
          inv.alarms.push({ ...a, tags: t });
      }
      alarmToken = page.NextToken;
    } while (alarmToken);

    const dashboard = await orUndefined(
      () =>
        aws.cloudwatch.send(
          new GetDashboardCommand({ DashboardName: names.dashboardName }),
        ),
      'ResourceNotFound',
      'ResourceNotFoundException',
    );
    if (dashboard) inv.dashboard = { body: dashboard.DashboardBody ?? '' };

    const budget = await orUndefined(
      () =>
        aws.budgets.send(
          new DescribeBudgetCommand({
            AccountId: aws.accountId,
            BudgetName: names.budgetName,
          }),
        ),
      'NotFoundException',
    );
    inv.budget = budget?.Budget;
    return inv;
  }

  #ownAlarms(inv: Inventory, tenantId: string) {
    return inv.alarms.filter(
      a =>
        a.tags[TAG_TENANT] === tenantId &&
        a.tags[TAG_MANAGED_BY] === MANAGED_BY_VALUE,
    );
  }

  /** Every resource that carries one of the tenant's names must carry the tenant's tags. */
  #assertOwned(inv: Inventory, tenantId: string) {
    const names = tenantNames(tenantId);
    const problems: string[] = [];
    const check = (what: string, tags: Tags) => {
      if (
        tags[TAG_TENANT] !== tenantId ||
        tags[TAG_MANAGED_BY] !== MANAGED_BY_VALUE
      ) {
        problems.push(
          `${what} exists but is tagged for ${
            tags[TAG_TENANT]
              ? `tenant "${tags[TAG_TENANT]}"`
              : 'no tenant of this suite'
          }`,
        );
      }
    };
    if (inv.role) check(`role ${names.roleName}`, inv.role.tags);
    inv.profiles.forEach(p =>
      check(`inference profile ${p.inferenceProfileName}`, p.tags),
    );
    if (inv.topic) check(`topic ${names.topicName}`, inv.topic.tags);
    inv.alarms
      .filter(a =>
        (ALARM_KINDS as readonly string[]).some(
          k => names.alarmName(k as AlarmKind) === a.AlarmName,
        ),
      )
      .forEach(a => check(`alarm ${a.AlarmName}`, a.tags));
    if (
      inv.dashboard &&
      !inv.dashboard.body.includes(dashboardMarker(tenantId))
    ) {
      problems.push(
        `dashboard ${names.dashboardName} exists but was not made for this tenant`,
      );
    }
    if (inv.budget) {
      const filter = inv.budget.CostFilters?.TagKeyValue ?? [];
      if (!filter.includes(`user:${TAG_TENANT}$${tenantId}`)) {
        problems.push(
          `budget ${names.budgetName} exists but does not filter on this tenant's tag`,
        );
      }
    }
    if (problems.length) {
      throw new ConflictError(
        `Resources of tenant ${tenantId} clash with resources this suite does not own for it: ${problems.join(
          '; ',
        )}. Nothing was changed.`,
      );
    }
  }

  // ---- converging ----------------------------------------------------------------------

  async #ensureRole(
    aws: AwsClients,
    plan: TenantPlan,
    inv: Inventory,
    log: ChangeLog,
  ) {
    const RoleName = plan.role.name;
    if (!inv.role) {
      await aws.iam.send(
        new CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: JSON.stringify(plan.role.trustPolicy),
          Description: `Workloads of Bedrock tenant ${plan.tenantId}`,
          Tags: tagList(plan.tags),
        }),
      );
      log.add(`Created role ${RoleName}`, {
        trustPolicy: plan.role.trustPolicy,
      });
      return;
    }
    if (!sameJson(inv.role.trustPolicy, plan.role.trustPolicy)) {
      await aws.iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName,
          PolicyDocument: JSON.stringify(plan.role.trustPolicy),
        }),
      );
      log.add(`Updated trust policy of ${RoleName}`, {
        trustPolicy: plan.role.trustPolicy,
      });
    }
    const missing = Object.entries(plan.tags).filter(
      ([k, v]) => inv.role!.tags[k] !== v,
    );
    if (missing.length) {
      await aws.iam.send(
        new TagRoleCommand({
          RoleName,
          Tags: tagList(Object.fromEntries(missing)),
        }),
      );
      log.add(`Tagged role ${RoleName}`);
    }
  }

  async #ensureInvokePolicy(aws: AwsClients, plan: TenantPlan, log: ChangeLog) {
    const RoleName = plan.role.name;
    const current = await orUndefined(
      () =>
        aws.iam.send(
          new GetRolePolicyCommand({
            RoleName,
            PolicyName: plan.role.invokePolicyName,
          }),
        ),
      ...NOT_FOUND_IAM,
    );
    if (
      !sameJson(parsePolicy(current?.PolicyDocument), plan.role.invokePolicy)
    ) {
      await aws.iam.send(
        new PutRolePolicyCommand({
          RoleName,
          PolicyName: plan.role.invokePolicyName,
          PolicyDocument: JSON.stringify(plan.role.invokePolicy),
        }),
      );
      log.add(`Put policy ${plan.role.invokePolicyName} on ${RoleName}`, {
        policy: plan.role.invokePolicy,
      });
    }
  }

  async #ensureTopic(
    aws: AwsClients,
    plan: TenantPlan,
    inv: Inventory,
    log: ChangeLog,
  ) {
    const TopicArn = plan.topic.arn;
    if (!inv.topic) {
      await aws.sns.send(
        new CreateTopicCommand({
          Name: plan.topic.name,
          Tags: tagList(plan.tags),
        }),
      );
      log.add(`Created topic ${TopicArn}`);
    } else {
      const missing = Object.entries(plan.tags).filter(
        ([k, v]) => inv.topic!.tags[k] !== v,
      );
      if (missing.length) {
        await aws.sns.send(
          new TagTopicCommand({
            ResourceArn: TopicArn,
            Tags: tagList(Object.fromEntries(missing)),
          }),
        );
        log.add(`Tagged topic ${TopicArn}`);
      }
    }
    if (!sameJson(inv.topic?.policy, plan.topic.policy)) {
      await aws.sns.send(
        new SetTopicAttributesCommand({
          TopicArn,
          AttributeName: 'Policy',
          AttributeValue: JSON.stringify(plan.topic.policy),
        }),
      );
      log.add(`Set access policy of ${TopicArn}`);
    }
    const subs: Array<{ endpoint: string; arn: string }> = [];
    let NextToken: string | undefined;
    do {
      const page = await aws.sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn, NextToken }),
      );
      for (const s of page.Subscriptions ?? []) {
        if (s.Protocol === 'email')
          subs.push({
            endpoint: s.Endpoint!.toLowerCase(),
            arn: s.SubscriptionArn!,
          });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    for (const email of plan.topic.emails) {
      if (subs.some(s => s.endpoint === email)) continue;
      await aws.sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: email }),
      );
      log.add(`Subscribed ${email} to ${TopicArn}`);
    }
    for (const s of subs) {
      if (plan.topic.emails.includes(s.endpoint)) continue;
      if (!s.arn.startsWith('arn:')) {
        this.#logger?.warn(
          `Subscription of ${s.endpoint} is still pending confirmation and cannot be removed; it expires after 3 days`,
        );
        continue;
      }
      await aws.sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
      log.add(`Unsubscribed ${s.endpoint} from ${TopicArn}`);
    }
  }

  async #ensureAlarms(
    aws: AwsClients,
    plan: TenantPlan,
    inv: Inventory,
    log: ChangeLog,
  ) {
    for (const alarm of plan.alarms) {
      const current = inv.alarms.find(a => a.AlarmName === alarm.name);
      if (current && sameAlarm(current, alarm, plan.topic.arn)) {
        const missing = Object.entries(plan.tags).filter(
          ([k, v]) => current.tags[k] !== v,
        );
        if (missing.length) {
          await aws.cloudwatch.send(
            new TagAlarmCommand({
              ResourceARN: current.AlarmArn,
              Tags: tagList(Object.fromEntries(missing)),
            }),
          );
          log.add(`Tagged alarm ${alarm.name}`);
        }
        continue;
      }
      await aws.cloudwatch.send(
        new PutMetricAlarmCommand(alarmInput(alarm, plan)),
      );
      if (current) {
        await aws.cloudwatch.send(
          new TagAlarmCommand({
            ResourceARN: current.AlarmArn,
            Tags: tagList(plan.tags),
          }),
        );
      }
      log.add(`${current ? 'Updated' : 'Created'} alarm ${alarm.name}`, {
        threshold: alarm.threshold,
      });
    }
    const desired = new Set(plan.alarms.map(a => a.name));
    const stale = this.#ownAlarms(inv, plan.tenantId)
      .map(a => a.AlarmName!)
      .filter(n => !desired.has(n));
    if (stale.length) {
      await aws.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: stale }));
      log.add(`Deleted alarms ${stale.join(', ')}`);
    }
  }

  async #ensureDashboard(
    aws: AwsClients,
    plan: TenantPlan,
    inv: Inventory,
    log: ChangeLog,
  ) {
    const body = JSON.stringify(plan.dashboard.body);
    let current: unknown;
    try {
      current = inv.dashboard ? JSON.parse(inv.dashboard.body) : undefined;
    } catch {
      current = undefined;
    }
    if (sameJson(current, plan.dashboard.body)) return;
    await aws.cloudwatch.send(
      new PutDashboardCommand({
        DashboardName: plan.dashboard.name,
        DashboardBody: body,
      }),
    );
    log.add(`Put dashboard ${plan.dashboard.name}`);
  }

  async #ensureBudget(
    aws: AwsClients,
    plan: TenantPlan,
    inv: Inventory,
    log: ChangeLog,
  ) {
    const AccountId = plan.accountId;
    const BudgetName = plan.budget.name;
    const budget: Budget = {
      BudgetName,
      BudgetLimit: { Amount: String(plan.budget.limitUsd), Unit: 'USD' },
      TimeUnit: 'MONTHLY',
      BudgetType: 'COST',
      CostFilters: { TagKeyValue: [plan.budget.costFilterTag] },
    };
    const subscribers = [
      {
        SubscriptionType: 'SNS' as const,
        Address: plan.budget.subscriberTopicArn,
      },
    ];
    const notification = (
      n: TenantPlan['budget']['notifications'][number],
    ): Notification => ({
      NotificationType: n.notificationType,
      ComparisonOperator: 'GREATER_THAN',
      Threshold: n.threshold,
      ThresholdType: 'PERCENTAGE',
    });
    if (!inv.budget) {
      await aws.budgets.send(
        new CreateBudgetCommand({
          AccountId,
          Budget: budget,
          NotificationsWithSubscribers: plan.budget.notifications.map(n => ({
            Notification: notification(n),
            Subscribers: subscribers,
          })),
        }),
      );
      log.add(`Created budget ${BudgetName}`, {
        limitUsd: plan.budget.limitUsd,
      });
      return;
    }
    if (Number(inv.budget.BudgetLimit?.Amount) !== plan.budget.limitUsd) {
      await aws.budgets.send(
        new UpdateBudgetCommand({ AccountId, NewBudget: budget }),
      );
      log.add(
        `Set limit of budget ${BudgetName} to ${plan.budget.limitUsd} USD`,
      );
    }
    const current = await aws.budgets.send(
      new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName }),
    );
    const key = (n: Notification) =>
      `${n.NotificationType}/${n.ComparisonOperator}/${Number(n.Threshold)}/${
        n.ThresholdType ?? 'PERCENTAGE'
      }`;
    const have = new Map((current.Notifications ?? []).map(n => [key(n), n]));
    const want = new Map(
      plan.budget.notifications.map(n => [
        key(notification(n)),
        notification(n),
      ]),
    );
    for (const [k, n] of want) {
      if (have.has(k)) continue;
      await aws.budgets.send(
        new CreateNotificationCommand({
          AccountId,
          BudgetName,
          Notification: n,
          Subscribers: subscribers,
        }),
      );
      log.add(`Added notification ${k} to budget ${BudgetName}`);
    }
    for (const [k, n] of have) {
      if (want.has(k)) continue;
      await aws.budgets.send(
        new DeleteNotificationCommand({
          AccountId,
          BudgetName,
          Notification: n,
        }),
      );
      log.add(`Removed notification ${k} from budget ${BudgetName}`);
    }
  }
}

/**
 * Turns alarm actions off or on by putting each alarm again with its own configuration
 * (what Disable/EnableAlarmActions do, through the call every emulator supports).
 */
export async function setAlarmActions(
  aws: Pick<AwsClients, 'cloudwatch'>,
  alarms: MetricAlarm[],
  enabled: boolean,
) {
  for (const a of alarms) {
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: a.AlarmName,
        AlarmDescription: a.AlarmDescription,
        ActionsEnabled: enabled,
        OKActions: a.OKActions,
        AlarmActions: a.AlarmActions,
        InsufficientDataActions: a.InsufficientDataActions,
        MetricName: a.MetricName,
        Namespace: a.Namespace,
        Statistic: a.Statistic,
        ExtendedStatistic: a.ExtendedStatistic,
        Dimensions: a.Dimensions?.length ? a.Dimensions : undefined,
        Period: a.Period,
        Unit: a.Unit,
        EvaluationPeriods: a.EvaluationPeriods,
        DatapointsToAlarm: a.DatapointsToAlarm,
        Threshold: a.Threshold,
        ComparisonOperator: a.ComparisonOperator,
        TreatMissingData: a.TreatMissingData,
        EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
        Metrics: a.Metrics,
        ThresholdMetricId: a.ThresholdMetricId,
      }),
    );
  }
}

function alarmInput(alarm: PlannedAlarm, plan: TenantPlan) {
  return {
    AlarmName: alarm.name,
    AlarmDescription: `Bedrock tenant ${plan.tenantId}: ${alarm.description}`,
    ActionsEnabled: true,
    AlarmActions: [plan.topic.arn],
    ComparisonOperator: 'GreaterThanThreshold' as const,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: alarm.threshold,
    TreatMissingData: 'notBreaching',
    Metrics: alarm.metrics,
    Tags: tagList(plan.tags),
  };
}

function normMetrics(ms: MetricDataQuery[] | undefined) {
  return (ms ?? []).map(m => ({
    Id: m.Id,
    Expression: m.Expression ?? null,
    Label: m.Expression ? m.Label ?? null : null,
    ReturnData: m.ReturnData ?? true,
    Stat: m.MetricStat
      ? {
          Namespace: m.MetricStat.Metric?.Namespace,
          MetricName: m.MetricStat.Metric?.MetricName,
          Dimensions: (m.MetricStat.Metric?.Dimensions ?? []).map(d => [
            d.Name,
            d.Value,
          ]),
          Period: Number(m.MetricStat.Period),
          Stat: m.MetricStat.Stat,
        }
      : null,
  }));
}

function sameAlarm(
  current: MetricAlarm,
  alarm: PlannedAlarm,
  topicArn: string,
) {
  return (
    Number(current.Threshold) === alarm.threshold &&
    current.ComparisonOperator === 'GreaterThanThreshold' &&
    Number(current.EvaluationPeriods) === 1 &&
    current.TreatMissingData === 'notBreaching' &&
    current.ActionsEnabled === true &&
    sameJson(current.AlarmActions ?? [], [topicArn]) &&
    sameJson(normMetrics(current.Metrics), normMetrics(alarm.metrics))
  );
}
