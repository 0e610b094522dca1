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
  type SuspensionTarget,
  type RegionAlarms,
} from './suspension';
export {
  readRoleTags,
  readSuspensionTarget,
  setAlarmActions,
  type TenantAlarm,
} from './alarms';
