/* The shapes a suspension works on, shared by its role side (suspension.ts) and alarm side (alarms.ts). */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../clients';

/**
 * A CloudWatch alarm with its tags.
 *
 * @public
 */
export type TenantAlarm = MetricAlarm & { tags: Record<string, string> };

/**
 * What a suspension works on: the tenant's role (name and current tags) and the tenant's own
 * alarms as they are now (the suite's, checked by tag by the caller).
 *
 * @public
 */
export interface SuspensionTarget {
  roleName: string;
  roleTags: Record<string, string>;
  alarmPrefix: string;
  /** the tenant's alarms in the region of the clients the suspension is given */
  alarms: TenantAlarm[];
  /** the tenant's alarms in its other regions (the same names), with those regions' clients */
  otherRegions?: RegionAlarms[];
}

/**
 * A tenant's alarms in one more region, and that region's CloudWatch client.
 *
 * @public
 */
export interface RegionAlarms {
  region: string;
  aws: Pick<AwsClients, 'cloudwatch'>;
  alarms: TenantAlarm[];
}
