export {
  TAG_SUSPENDED,
  TAG_SUSPENDED_BY,
  SUSPEND_POLICY,
  SUSPEND_POLICY_NAME,
  budgetSuspender,
  tenantRoleName,
  budgetPeriodOf,
  suspensionOf,
  suspendTenant,
  resumeTenant,
  type ChangeListener,
  type SuspensionRecord,
  type SuspensionClients,
} from './suspension';
export type { RegionAlarms, SuspensionTarget, TenantAlarm } from './types';
export { readRoleTags, readSuspensionTarget, setAlarmActions } from './alarms';
