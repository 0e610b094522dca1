import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_TENANT,
  tenantAlarmNames,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  readSuspensionTarget,
  tenantRoleName,
  type SuspensionTarget,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { Tenant } from '../tenant';

/** A role or alarm the suite made for this tenant (its tags say so). */
const isOwnBy = (tenantId: string) => (tags: Record<string, string>) =>
  tags[TAG_TENANT] === tenantId && tags[TAG_MANAGED_BY] === MANAGED_BY_VALUE;

/**
 * What a suspension of the tenant works on, read from AWS: its role and its own alarms in every
 * region; undefined when the tenant has no role the suite made for it.
 */
export async function readTenantTarget(
  clients: AwsClientFactory,
  tenant: Tenant,
): Promise<SuspensionTarget | undefined> {
  const aws = await clients.forTarget(tenant.accountId, tenant.regions[0]);
  return readSuspensionTarget(aws, {
    roleName: tenantRoleName(tenant.tenantId),
    alarmPrefix: tenant.alarmPrefix,
    // exactly the tenant's alarm names (tenant `checkout`'s prefix also starts
    // `checkout-assistant`'s), and of those only the ones tagged for it
    alarmNames: tenantAlarmNames(tenant.alarmPrefix),
    isOwn: isOwnBy(tenant.tenantId),
    // the tenant's alarms in every region are turned off (the same names in each)
    otherRegions: await Promise.all(
      tenant.regions.slice(1).map(async region => ({
        region,
        aws: await clients.forTarget(tenant.accountId, region),
      })),
    ),
  });
}
