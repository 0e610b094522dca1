/*
 * Suspending a tenant, shared by the scaffolder's suspend/resume actions and the bedrock
 * backend's budget enforcement: one code path, so a tenant is suspended the same way whoever
 * suspends it. A suspended tenant has an explicit Deny inline policy on its role, the actions of
 * its alarms turned off, and two tags on the role: which alarms suspend turned off (so resume
 * restores exactly those) and who suspended it (so budget enforcement only ever resumes what it
 * suspended itself).
 */
import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../clients';
import { orUndefined } from '../errors';
import { setAlarmActions } from './alarms';
import type { RegionAlarms, SuspensionTarget } from './types';

/**
 * Role tag of a suspended tenant: the alarm kinds (name suffixes) whose actions suspend turned off,
 * space-separated. Its presence is what "suspended" means.
 *
 * @public
 */
export const TAG_SUSPENDED = 'bedrock-tenancy:suspended-alarms';

/**
 * Role tag naming who suspended the tenant: `budget:<period>` (budget enforcement, e.g.
 * `budget:2026-11`) or the entity ref of the person who ran the suspend action.
 *
 * @public
 */
export const TAG_SUSPENDED_BY = 'bedrock-tenancy:suspended-by';

/**
 * The inline policy name of a suspension.
 *
 * @public
 */
export const SUSPEND_POLICY_NAME = 'bedrock-tenancy-suspended';

/**
 * The inline policy a suspension puts on the tenant role: every Bedrock action denied.
 *
 * @public
 */
export const SUSPEND_POLICY = {
  Version: '2012-10-17' as const,
  Statement: [
    {
      Sid: 'TenantSuspended',
      Effect: 'Deny' as const,
      Action: 'bedrock:*',
      Resource: '*',
    },
  ],
};

/**
 * The IAM role of a tenant the suite provisioned (its workloads assume it; suspension denies it).
 *
 * @public
 */
export const tenantRoleName = (tenantId: string) =>
  `bedrock-tenant-${tenantId}`;

/**
 * The `suspended-by` value of budget enforcement for a budget period (`YYYY-MM`).
 *
 * @public
 */
export const budgetSuspender = (period: string) => `budget:${period}`;

/**
 * The budget period of a `suspended-by` value; undefined when a person (or an older suite
 * version, which wrote no marker) suspended the tenant.
 *
 * @public
 */
export function budgetPeriodOf(suspendedBy: string | null): string | undefined {
  return /^budget:(\d{4}-\d{2})$/.exec(suspendedBy ?? '')?.[1];
}

/**
 * A tenant's suspension as its role's tags record it.
 *
 * @public
 */
export interface SuspensionRecord {
  /** the alarm kinds whose actions suspend turned off */
  alarmKinds: string[];
  /** who suspended it; null when no marker was written (treated as a person) */
  suspendedBy: string | null;
}

/**
 * The suspension recorded on a role; undefined when the tenant is not suspended.
 *
 * @public
 */
export function suspensionOf(
  roleTags: Record<string, string> | undefined,
): SuspensionRecord | undefined {
  const recorded = roleTags?.[TAG_SUSPENDED];
  if (recorded === undefined) return undefined;
  return {
    alarmKinds: recorded.split(' ').filter(Boolean),
    suspendedBy: roleTags?.[TAG_SUSPENDED_BY] || null,
  };
}

/** Every region's alarms with its client: the given clients' region first. */
const everyRegion = (
  aws: SuspensionClients,
  target: SuspensionTarget,
): Array<Omit<RegionAlarms, 'region'> & { region?: string }> => [
  { aws, alarms: target.alarms },
  ...(target.otherRegions ?? []),
];

/**
 * Receives a description of each change made.
 *
 * @public
 */
export type ChangeListener = (
  change: string,
  meta?: Record<string, unknown>,
) => void;

/**
 * The clients a suspension needs.
 *
 * @public
 */
export type SuspensionClients = Pick<AwsClients, 'iam' | 'cloudwatch'>;

const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
};

/** The inline policy of the role as JSON (IAM URL-encodes documents); undefined when absent. */
async function readInlinePolicy(
  aws: SuspensionClients,
  RoleName: string,
  PolicyName: string,
) {
  const res = await orUndefined(
    () => aws.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })),
    'NoSuchEntity',
    'NoSuchEntityException',
  );
  if (!res) return undefined;
  const doc = res.PolicyDocument ?? '';
  try {
    return JSON.parse(
      doc.trim().startsWith('{') ? doc : decodeURIComponent(doc),
    ) as unknown;
  } catch {
    return null;
  }
}

const kindOf = (alarmName: string, prefix: string) =>
  alarmName.startsWith(prefix) ? alarmName.slice(prefix.length) : undefined;

/**
 * Suspends the tenant: records what it turns off (first, so a run that fails later still knows
 * what to restore), denies every Bedrock action to the role, turns off the actions of the
 * recorded alarms. Idempotent. `by` is written as who suspended it; a person suspending a tenant
 * that budget enforcement suspended takes the suspension over (it is then never auto-resumed).
 *
 * @public
 */
export async function suspendTenant(
  aws: SuspensionClients,
  target: SuspensionTarget,
  options: {
    by: string;
    onChange?: ChangeListener;
    alarmKinds?: readonly string[];
  },
): Promise<{ alarmsDisabled: string[]; suspendedBy: string }> {
  const { roleName: RoleName, alarmPrefix } = target;
  const log: ChangeListener = options.onChange ?? (() => {});
  const current = suspensionOf(target.roleTags);
  let kinds = current?.alarmKinds;
  if (!kinds) {
    kinds = target.alarms
      .filter(a => a.ActionsEnabled)
      .map(a => kindOf(a.AlarmName ?? '', alarmPrefix))
      .filter((k): k is string => Boolean(k))
      .filter(k => !options.alarmKinds || options.alarmKinds.includes(k));
    const recorded = kinds.join(' ');
    await aws.iam.send(
      new TagRoleCommand({
        RoleName,
        Tags: [
          { Key: TAG_SUSPENDED, Value: recorded },
          { Key: TAG_SUSPENDED_BY, Value: options.by },
        ],
      }),
    );
    log(`Recorded suspension on role ${RoleName}`, {
      alarms: recorded,
      suspendedBy: options.by,
    });
  } else if (current?.suspendedBy !== options.by) {
    await aws.iam.send(
      new TagRoleCommand({
        RoleName,
        Tags: [{ Key: TAG_SUSPENDED_BY, Value: options.by }],
      }),
    );
    log(`Recorded ${options.by} as the suspender of ${RoleName}`, {
      previously: current?.suspendedBy,
    });
  }
  const policy = await readInlinePolicy(aws, RoleName, SUSPEND_POLICY_NAME);
  if (canonical(policy) !== canonical(SUSPEND_POLICY)) {
    await aws.iam.send(
      new PutRolePolicyCommand({
        RoleName,
        PolicyName: SUSPEND_POLICY_NAME,
        PolicyDocument: JSON.stringify(SUSPEND_POLICY),
      }),
    );
    log(`Denied all Bedrock actions to ${RoleName}`, {
      policy: SUSPEND_POLICY,
    });
  }
  const names = kinds.map(k => `${alarmPrefix}${k}`);
  for (const r of everyRegion(aws, target)) {
    const stillEnabled = r.alarms.filter(
      a => names.includes(a.AlarmName!) && a.ActionsEnabled,
    );
    if (!stillEnabled.length) continue;
    await setAlarmActions(r.aws, stillEnabled, false);
    log(`Disabled actions of ${stillEnabled.length} alarms`, {
      ...(r.region && { region: r.region }),
      alarms: stillEnabled.map(a => a.AlarmName!),
    });
  }
  return { alarmsDisabled: names, suspendedBy: options.by };
}

/**
 * Undoes exactly what suspend recorded: the recorded alarms' actions back on, the Deny policy
 * removed, the record cleared. Nothing happens for a tenant that is not suspended.
 *
 * @public
 */
export async function resumeTenant(
  aws: SuspensionClients,
  target: SuspensionTarget,
  options: { onChange?: ChangeListener } = {},
): Promise<{ alarmsEnabled: string[]; resumed: boolean }> {
  const { roleName: RoleName, alarmPrefix } = target;
  const log: ChangeListener = options.onChange ?? (() => {});
  const current = suspensionOf(target.roleTags);
  if (!current) return { alarmsEnabled: [], resumed: false };
  const names = current.alarmKinds.map(k => `${alarmPrefix}${k}`);
  for (const r of everyRegion(aws, target)) {
    const disabled = r.alarms.filter(
      a => names.includes(a.AlarmName!) && !a.ActionsEnabled,
    );
    if (!disabled.length) continue;
    await setAlarmActions(r.aws, disabled, true);
    log(`Enabled actions of ${disabled.length} alarms`, {
      ...(r.region && { region: r.region }),
      alarms: disabled.map(a => a.AlarmName!),
    });
  }
  if (
    (await readInlinePolicy(aws, RoleName, SUSPEND_POLICY_NAME)) !== undefined
  ) {
    await aws.iam.send(
      new DeleteRolePolicyCommand({
        RoleName,
        PolicyName: SUSPEND_POLICY_NAME,
      }),
    );
    log(`Removed the Deny policy from ${RoleName}`);
  }
  await aws.iam.send(
    new UntagRoleCommand({
      RoleName,
      TagKeys: [TAG_SUSPENDED, TAG_SUSPENDED_BY],
    }),
  );
  log(`Cleared suspension record on ${RoleName}`);
  return { alarmsEnabled: names, resumed: true };
}
