/* Everything a tenant has in AWS, read before the first change, and the check that it is all the tenant's. */
import type { Budget } from '@aws-sdk/client-budgets';
import { ConflictError } from '@backstage/errors';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { tenantArns, tenantNames } from '../naming';
import { alarmProblems, readAlarms, type AlarmState } from './alarms';
import { budgetProblem, readBudget } from './budget';
import {
  dashboardProblem,
  readDashboard,
  type DashboardState,
} from './dashboard';
import { defaultGuardrailName } from '@bedrock-tenancy/plugin-bedrock-common';
import { readGuardrail, type GuardrailState } from './guardrail';
import { readProfiles, type ProfileState } from './profiles';
import { readRole, type RoleState } from './role';
import { tenantOwnershipProblem } from './tags';
import { readTopic, type TopicState } from './topic';

/** The tenant's resources as they exist now (read-only view). */
export interface TenantInventory {
  role?: RoleState;
  /** application inference profiles tagged for this tenant or carrying a desired name */
  profiles: ProfileState[];
  topic?: TopicState;
  alarms: AlarmState[];
  dashboard?: DashboardState;
  budget?: Budget;
  guardrail?: GuardrailState;
}

/** Reads every resource of the tenant; `profileNames` are profiles the run is about to create. */
export async function readTenantInventory(
  aws: AwsClients,
  tenantId: string,
  profileNames: string[],
): Promise<TenantInventory> {
  const names = tenantNames(tenantId);
  const arns = tenantArns(tenantId, aws.accountId, aws.region);
  return {
    role: await readRole(aws, names.roleName),
    profiles: await readProfiles(aws, tenantId, profileNames),
    topic: await readTopic(aws, arns.topic),
    alarms: await readAlarms(aws, names, tenantId),
    dashboard: await readDashboard(aws, names.dashboardName),
    budget: await readBudget(aws, aws.accountId, names.budgetName),
    guardrail: await readGuardrail(aws, defaultGuardrailName(tenantId)),
  };
}

/** Every resource that carries one of the tenant's names must carry the tenant's tags. */
export function assertTenantOwned(
  inv: TenantInventory,
  tenantId: string,
  accountId: string,
) {
  const names = tenantNames(tenantId);
  const problems = [
    inv.role &&
      tenantOwnershipProblem(`role ${names.roleName}`, inv.role.tags, tenantId),
    ...inv.profiles.map(p =>
      tenantOwnershipProblem(
        `inference profile ${p.inferenceProfileName}`,
        p.tags,
        tenantId,
      ),
    ),
    inv.topic &&
      tenantOwnershipProblem(
        `topic ${names.topicName}`,
        inv.topic.tags,
        tenantId,
      ),
    ...alarmProblems(inv.alarms, names, tenantId),
    dashboardProblem(inv.dashboard, names.dashboardName, tenantId),
    budgetProblem(inv.budget, names.budgetName, tenantId, accountId),
    inv.guardrail &&
      tenantOwnershipProblem(
        `guardrail ${defaultGuardrailName(tenantId)}`,
        inv.guardrail.tags,
        tenantId,
      ),
  ].filter((p): p is string => Boolean(p));
  if (problems.length) {
    throw new ConflictError(
      `Resources of tenant ${tenantId} clash with resources this suite does not own for it: ${problems.join(
        '; ',
      )}. Nothing was changed.`,
    );
  }
}
