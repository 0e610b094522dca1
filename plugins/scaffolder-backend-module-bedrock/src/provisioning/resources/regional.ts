/* A tenant's checks and removals that span its regions. */
import { ConflictError, NotFoundError } from '@backstage/errors';
import { TAG_REGIONS } from '@bedrock-tenancy/plugin-bedrock-common';
import type { TenantSpec } from '../inputs';
import { tenantArns, tenantNames } from '../naming';
import type { RegionRead } from '../preview';
import { ownAlarms, removeAlarms } from './alarms';
import { removeGuardrail } from './guardrail';
import type { TenantInventory } from './inventory';
import { removeProfiles } from './profiles';
import { suspensionRecord } from './suspension';
import { removeTopic } from './topic';

/** An update needs the tenant; nothing changes a suspended tenant. */
export function assertChangeable(
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

/** The regions the tenant role's tag records (what the last create or update made). */
export function roleRegions(role: TenantInventory['role']): string[] {
  return (role?.tags[TAG_REGIONS] ?? '').split(' ').filter(Boolean);
}

/** Removes the tenant's regional resources of one region: alarms, topic, profiles, guardrail. */
export async function removeRegional(
  s: RegionRead,
  tenantId: string,
  done: (what: string) => void,
) {
  const alarms = ownAlarms(s.inv.alarms, tenantId).map(a => a.AlarmName!);
  if (alarms.length) {
    await removeAlarms(s.aws, alarms);
    alarms.forEach(a => done(`alarm ${a} in ${s.region}`));
  }
  if (s.inv.topic) {
    const topicArn = tenantArns(tenantId, s.aws.accountId, s.region).topic;
    await removeTopic(s.aws, topicArn);
    done(`topic ${topicArn}`);
  }
  await removeProfiles(s.aws, s.inv.profiles, tenantId, undefined, done);
  if (s.inv.guardrail) {
    await removeGuardrail(s.aws, s.inv.guardrail.arn);
    done(`guardrail ${s.inv.guardrail.arn}`);
  }
}
