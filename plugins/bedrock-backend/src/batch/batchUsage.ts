import {
  normalizeModelId,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { tenantRoleName } from '@bedrock-tenancy/plugin-bedrock-node';
import { BATCH_SUFFIX } from '../database/types';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { floorHour, iso } from '../lib/time';
import type { Tenant } from '../tenant';
import type { BatchManifest, EndedBatchJob } from './BatchJobReader';

/** `arn:aws:iam::123456789012:role/path/name` -> `123456789012/name` (paths do not matter). */
function roleKey(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** The roles whose batch jobs are a tenant's: the role the suite made for it, and its callers. */
function rolesOf(t: Tenant): string[] {
  return [
    `${t.accountId}/${tenantRoleName(t.tenantId)}`,
    ...t.principalArns.map(roleKey),
  ].filter((k): k is string => !!k);
}

/**
 * Whose a batch job is, among the tenants bound in the job's account and region: the tenant
 * whose role ran it (the suite's tenant role, or an identity tenant's caller roles); otherwise
 * the tenant its `bedrock-tenancy:tenant` tag names, unless the job ran with another tenant's
 * role. A tag is read only when no role decides (`tags` is called lazily). A job two tenants'
 * roles claim is nobody's.
 */
export async function tenantOfJob(
  job: EndedBatchJob,
  tenants: Tenant[],
  tags: () => Promise<Record<string, string>>,
): Promise<Tenant | undefined> {
  const role = roleKey(job.roleArn);
  const byRole = tenants.filter(t => role && rolesOf(t).includes(role));
  if (byRole.length === 1) return byRole[0];
  if (byRole.length > 1) return undefined;
  const named = (await tags())[TAG_TENANT];
  return named ? tenants.find(t => t.tenantId === named) : undefined;
}

/**
 * A job's usage as an hourly row of its tenant: at the hour it ended, its model marked
 * `+batch` (priced by batch rows), its records and tokens from the manifest.
 */
export function batchRow(o: {
  job: EndedBatchJob;
  tenant: Tenant;
  manifest: BatchManifest;
  accountId: string;
  region: string;
}): HourlyUsageRow {
  const { job, tenant, manifest } = o;
  const model = normalizeModelId(job.modelId, tenant.inferenceProfiles);
  return {
    ...emptyUsageRow({
      tenantId: tenant.tenantId,
      accountId: o.accountId,
      region: o.region,
      modelId: `${model}${BATCH_SUFFIX}`,
      hour: iso(floorHour(job.endTime)),
    }),
    invocations:
      manifest.successRecordCount ?? manifest.processedRecordCount ?? 0,
    clientErrors: manifest.errorRecordCount ?? 0,
    inputTokens: manifest.inputTokenCount,
    outputTokens: manifest.outputTokenCount,
  };
}

/** Adds `row` into `rows` (keyed tenant|model|hour): jobs that end in one hour add up. */
export function addBatchRow(
  rows: Map<string, HourlyUsageRow>,
  row: HourlyUsageRow,
): void {
  const key = `${row.tenantId}|${row.modelId}|${row.hour}`;
  const into = rows.get(key);
  if (!into) {
    rows.set(key, row);
    return;
  }
  into.invocations += row.invocations;
  into.clientErrors += row.clientErrors;
  into.inputTokens += row.inputTokens;
  into.outputTokens += row.outputTokens;
}
