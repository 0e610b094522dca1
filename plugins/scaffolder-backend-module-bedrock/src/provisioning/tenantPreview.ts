/*
 * What a create or update would do, resource by resource: the plan compared with what AWS has now
 * (read, never changed). The dry run's answer, and the template editor's.
 */
import { TAG_PRINCIPAL_ARNS } from '@bedrock-tenancy/plugin-bedrock-common';
import { sameJson } from './policies';
import { normMetrics, ownAlarms } from './resources/alarms';
import { sameGuardrail } from './resources/guardrail';
import type { TenantInventory } from './resources/inventory';
import { missingTags, type Tags } from './resources/tags';
import type { PlannedAlarm, RegionalPlan, TenantPlan } from './types';

/**
 * One difference between the current and the planned value of a resource.
 *
 * @public
 */
export interface PlanDiff {
  /** dotted path in the resource's description, e.g. `threshold` or `policy.Statement.0.Resource` */
  path: string;
  from: unknown;
  to: unknown;
}

/**
 * One resource in a preview.
 *
 * @public
 */
export interface PlanEntry {
  resource: string;
  name: string;
  /** what it will be (create), or is (delete, unchanged): documents, thresholds, filters */
  details?: Record<string, unknown>;
  /** update only: what changes */
  diff?: PlanDiff[];
}

/**
 * Every resource a run would create, change, delete or leave as it is.
 *
 * @public
 */
export interface TenantPreview {
  create: PlanEntry[];
  update: PlanEntry[];
  delete: PlanEntry[];
  unchanged: PlanEntry[];
  /** set when the current state could not be read: then everything is listed as create */
  note?: string;
}

/** The tenant as AWS has it now, with what the inventory does not read itself. */
export type CurrentTenant = TenantInventory & {
  /** the role's invoke policy; undefined without one */
  invokePolicy?: unknown;
  /** e-mail endpoints subscribed to the topic, lower-cased */
  subscriptions: string[];
};

const MAX_DIFFS = 40;

/** The leaves that differ between two JSON values (arrays of another length: as a whole). */
export function jsonDiff(from: unknown, to: unknown, path = ''): PlanDiff[] {
  if (sameJson(from, to)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  const sameShape =
    isObj(from) &&
    isObj(to) &&
    Array.isArray(from) === Array.isArray(to) &&
    (!Array.isArray(from) || from.length === (to as unknown[]).length);
  if (!sameShape) return [{ path: path || '(whole)', from, to }];
  const keys = [
    ...new Set([...Object.keys(from as object), ...Object.keys(to as object)]),
  ];
  return keys
    .flatMap(k =>
      jsonDiff((from as any)[k], (to as any)[k], path ? `${path}.${k}` : k),
    )
    .slice(0, MAX_DIFFS);
}

const alarmDetails = (a: PlannedAlarm) => ({
  threshold: a.threshold,
  periodSeconds: a.periodSeconds,
  description: a.description,
  expression: a.metrics.find(m => m.Expression)?.Expression,
  metrics: a.metrics
    .filter(m => m.MetricStat)
    .map(
      m =>
        `${m.MetricStat!.Metric!.Namespace} ${
          m.MetricStat!.Metric!.MetricName
        } ${(m.MetricStat!.Metric!.Dimensions ?? [])
          .map(d => `${d.Name}=${d.Value}`)
          .join(',')} (${m.MetricStat!.Stat})`,
    ),
});

/** The tags a resource would get or lose, as a description. */
const tagChange = (have: Tags, want: Tags, drop: string[] = []) => {
  const add = missingTags(have, want);
  const remove = drop.filter(k => k in have && !(k in want));
  return [
    ...(add ? [{ path: 'tags', from: undefined, to: add }] : []),
    ...remove.map(k => ({ path: `tags.${k}`, from: have[k], to: undefined })),
  ];
};

const EMPTY: CurrentTenant = { profiles: [], alarms: [], subscriptions: [] };

/** The regional resources of one region: profiles, guardrail, topic, alarms. */
function previewRegion(
  out: TenantPreview,
  plan: TenantPlan,
  r: Omit<RegionalPlan, 'topic'> & { topic?: RegionalPlan['topic'] },
  cur: CurrentTenant,
  where: string,
) {
  const put = (
    resource: string,
    name: string,
    details: Record<string, unknown>,
    exists: boolean,
    diff: PlanDiff[],
  ) => {
    if (!exists) out.create.push({ resource, name: name + where, details });
    else if (diff.length)
      out.update.push({ resource, name: name + where, diff });
    else out.unchanged.push({ resource, name: name + where });
  };
  for (const p of r.profiles) {
    if (!p.exists) {
      out.create.push({
        resource: 'application inference profile',
        name: p.name + where,
        details: { modelId: p.modelId, copyFrom: p.copyFrom },
      });
    } else
      out.unchanged.push({
        resource: 'application inference profile',
        name: p.name + where,
      });
  }
  const planned = new Set(r.profiles.map(p => p.name));
  for (const p of cur.profiles) {
    if (planned.has(p.inferenceProfileName!)) continue;
    out.delete.push({
      resource: 'application inference profile',
      name: p.inferenceProfileName! + where,
      details: { arn: p.inferenceProfileArn },
    });
  }

  if (r.guardrail) {
    const g = r.guardrail;
    const have = cur.guardrail;
    const diff = have
      ? [
          ...(sameGuardrail(have.draft, g.request)
            ? []
            : jsonDiff(have.draft, g.request, 'policies')),
          ...(have.version && sameGuardrail(have.version.request, g.request)
            ? []
            : [
                {
                  path: 'version',
                  from: have.version?.number ?? null,
                  to: 'a new published version',
                },
              ]),
          ...tagChange(have.tags, plan.tags),
        ]
      : [];
    put(
      'guardrail',
      g.name,
      { policies: g.request, enforce: g.enforce },
      Boolean(have),
      diff,
    );
  } else if (cur.guardrail) {
    out.delete.push({
      resource: 'guardrail',
      name: cur.guardrail.arn + where,
      details: { versions: 'every version' },
    });
  }

  if (r.topic)
    put(
      'SNS topic',
      r.topic.arn,
      { policy: r.topic!.policy, emailSubscriptions: r.topic!.emails },
      Boolean(cur.topic),
      cur.topic
        ? [
            ...jsonDiff(cur.topic.policy, r.topic!.policy, 'policy'),
            ...jsonDiff(
              [...cur.subscriptions].sort(),
              r.topic!.emails,
              'emailSubscriptions',
            ),
            ...tagChange(cur.topic.tags, plan.tags),
          ]
        : [],
    );

  for (const alarm of r.alarms) {
    const have = cur.alarms.find(a => a.AlarmName === alarm.name);
    const details = alarmDetails(alarm);
    put(
      'CloudWatch alarm',
      alarm.name,
      details,
      Boolean(have),
      have
        ? [
            ...jsonDiff(Number(have.Threshold), alarm.threshold, 'threshold'),
            ...jsonDiff(
              normMetrics(have.Metrics),
              normMetrics(alarm.metrics),
              'metrics',
            ),
            ...jsonDiff(have.AlarmActions ?? [], [r.topic!.arn], 'actions'),
            ...tagChange(have.tags, plan.tags),
          ]
        : [],
    );
  }
  const alarmNames = new Set(r.alarms.map(a => a.name));
  for (const a of ownAlarms(cur.alarms, plan.tenantId)) {
    if (alarmNames.has(a.AlarmName!)) continue;
    out.delete.push({
      resource: 'CloudWatch alarm',
      name: a.AlarmName! + where,
      details: { threshold: a.Threshold },
    });
  }

  if (!r.topic && cur.topic) {
    out.delete.push({
      resource: 'SNS topic',
      name: `topic of ${plan.tenantId}${where}`,
    });
  }
}

/**
 * Compares the plan with the current state. `current` undefined: the state could not be read,
 * or nothing exists (a dry run without AWS): every planned resource is a create.
 */
export function previewTenant(
  plan: TenantPlan,
  current: CurrentTenant | undefined,
  note?: string,
  /** each region's state (the tenant's and any it no longer has); default: `current` for the first */
  byRegion?: Record<string, CurrentTenant>,
): TenantPreview {
  const out: TenantPreview = {
    create: [],
    update: [],
    delete: [],
    unchanged: [],
    ...(note ? { note } : {}),
  };
  const cur: CurrentTenant = current ?? {
    profiles: [],
    alarms: [],
    subscriptions: [],
  };
  const put = (
    resource: string,
    name: string,
    details: Record<string, unknown>,
    exists: boolean,
    diff: PlanDiff[],
  ) => {
    if (!exists) out.create.push({ resource, name, details });
    else if (diff.length) out.update.push({ resource, name, diff });
    else out.unchanged.push({ resource, name });
  };

  put(
    'IAM role',
    plan.role.name,
    { trustPolicy: plan.role.trustPolicy, tags: plan.role.tags },
    Boolean(cur.role),
    cur.role
      ? [
          ...jsonDiff(
            cur.role.trustPolicy,
            plan.role.trustPolicy,
            'trustPolicy',
          ),
          ...tagChange(cur.role.tags, plan.role.tags, [TAG_PRINCIPAL_ARNS]),
        ]
      : [],
  );
  put(
    'IAM inline policy',
    `${plan.role.name}/${plan.role.invokePolicyName}`,
    { policy: plan.role.invokePolicy },
    cur.invokePolicy !== undefined,
    jsonDiff(cur.invokePolicy, plan.role.invokePolicy, 'policy'),
  );

  for (const r of plan.regional) {
    const here =
      byRegion?.[r.region] ?? (r.region === plan.region ? cur : EMPTY);
    previewRegion(
      out,
      plan,
      r,
      here,
      plan.regions.length > 1 ? ` (${r.region})` : '',
    );
  }
  for (const [region, here] of Object.entries(byRegion ?? {})) {
    if (plan.regions.includes(region)) continue;
    // a region the tenant no longer has: everything of it goes
    previewRegion(
      out,
      plan,
      { region, profiles: [], alarms: [], topic: undefined },
      here,
      ` (${region})`,
    );
  }

  let body: unknown;
  try {
    body = cur.dashboard ? JSON.parse(cur.dashboard.body) : undefined;
  } catch {
    body = { unreadable: cur.dashboard?.body };
  }
  put(
    'CloudWatch dashboard',
    plan.dashboard.name,
    {
      widgets: (plan.dashboard.body.widgets as any[]).map(
        w => w.properties?.title ?? w.type,
      ),
    },
    Boolean(cur.dashboard),
    jsonDiff(body, plan.dashboard.body, 'body'),
  );

  const budget = plan.budget;
  put(
    'AWS Budget',
    budget.name,
    {
      limitUsd: budget.limitUsd,
      costFilters: budget.costFilters,
      notifications: budget.notifications.map(
        n => `${n.notificationType} > ${n.threshold}%`,
      ),
      subscriber: budget.subscriberTopicArn,
    },
    Boolean(cur.budget),
    cur.budget
      ? [
          ...jsonDiff(
            Number(cur.budget.BudgetLimit?.Amount),
            budget.limitUsd,
            'limitUsd',
          ),
          ...jsonDiff(
            cur.budget.CostFilters ?? {},
            budget.costFilters,
            'costFilters (the budget is replaced)',
          ),
        ]
      : [],
  );
  return out;
}
