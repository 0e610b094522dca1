/* A suspended tenant: an explicit Deny on its role and a record, on the role, of what was turned off. */
import { ALARM_KINDS, type AlarmKind, type TenantNames } from '../naming';
import { policy } from '../policies';
import type { AlarmState } from './alarms';
import type { RoleState } from './role';

/** Role tag that marks a suspended tenant; its value lists the alarm kinds whose actions suspend turned off. */
export const TAG_SUSPENDED = 'bedrock-tenancy:suspended-alarms';

/** The inline policy suspend puts on the tenant role. */
export const SUSPEND_POLICY = policy({
  Sid: 'TenantSuspended',
  Effect: 'Deny',
  Action: 'bedrock:*',
  Resource: '*',
});

/** The recorded alarm kinds (space-separated); undefined when the tenant is not suspended. */
export const suspensionRecord = (role: RoleState | undefined) =>
  role?.tags[TAG_SUSPENDED];

/** The record suspend writes: the kinds of the given alarms whose actions are on. */
export function recordOf(alarms: AlarmState[], names: TenantNames): string {
  return alarms
    .filter(a => a.ActionsEnabled)
    .map(a => a.AlarmName!.slice(names.alarmPrefix.length))
    .filter(k => (ALARM_KINDS as readonly string[]).includes(k))
    .join(' ');
}

/** The alarm names a record lists. */
export const recordedAlarmNames = (record: string, names: TenantNames) =>
  record
    .split(' ')
    .filter(Boolean)
    .map(k => names.alarmName(k as AlarmKind));
