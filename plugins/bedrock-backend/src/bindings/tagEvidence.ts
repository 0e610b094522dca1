/*
 * What the AWS tags of one tenant say, resource by resource, and the binding they make when they
 * all agree: never "first seen wins".
 */
import {
  BudgetEnforcement,
  defaultAlarmPrefix,
  defaultBudgetName,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { TenantBinding } from './types';

/**
 * What the AWS tags say about one tenant: the binding they describe when every resource tagged
 * for the tenant agrees, or why they do not agree.
 */
export type TaggedTenant =
  | { tenantId: string; binding: TenantBinding; conflict?: undefined }
  | { tenantId: string; binding?: undefined; conflict: string };

/** A resource tagged for a tenant, named as the suite names that tenant's resources. */
export interface Source {
  tenantId: string;
  accountId: string;
  entityRef: string;
  /** `profile <name> in <account>/<region>`, `role <name> in <account>` */
  where: string;
}
export interface ProfileSource extends Source {
  region: string;
  profileId: string;
  modelId: string;
}
export interface RoleSource extends Source {
  /** the role's attribution tag: `account` and `identity` tenants have no profiles */
  attribution?: string;
  regions: string[];
  principalArns: string[];
  budgetEnforcement: BudgetEnforcement | null;
}

/**
 * The binding of a tenant when all its sources agree; a conflict when they do not (never "first
 * seen wins"); undefined when there is nothing to bind (a role of an inference-profile tenant
 * whose profiles were not found).
 */
export function resolve(
  tenantId: string,
  profiles: ProfileSource[],
  roles: RoleSource[],
  at: string,
): TaggedTenant | undefined {
  const all: Source[] = [...roles, ...profiles];
  const says = (what: (s: Source) => string) =>
    all
      .slice(0, 10)
      .map(s => `${s.where} says ${what(s)}`)
      .join('; ') + (all.length > 10 ? `; and ${all.length - 10} more` : '');
  if (new Set(all.map(s => s.accountId)).size > 1) {
    return {
      tenantId,
      conflict: `tenant ${tenantId} is tagged in several accounts: ${says(
        s => `${s.accountId} ${s.entityRef}`,
      )}`,
    };
  }
  if (new Set(all.map(s => s.entityRef)).size > 1) {
    return {
      tenantId,
      conflict: `tenant ${tenantId} is tagged for several entities: ${says(
        s => s.entityRef,
      )}`,
    };
  }
  // one account: IAM role names are unique in it
  const role = roles[0];
  const mode = role?.attribution;
  if ((mode === 'account' || mode === 'identity') && profiles.length) {
    return {
      tenantId,
      conflict: `tenant ${tenantId}: ${
        role.where
      } says ${mode} attribution, but it has tagged inference profiles: ${profiles
        .slice(0, 10)
        .map(p => p.where)
        .join(', ')}`,
    };
  }
  const common = {
    tenantId,
    entityRef: all[0].entityRef,
    accountId: all[0].accountId,
    alarmPrefix: defaultAlarmPrefix(tenantId),
    budgetName: defaultBudgetName(tenantId),
    source: 'aws-tags' as const,
    updatedAt: at,
    updatedBy: 'aws-tags',
    // no role (a tenant made otherwise): left unset
    ...(role && { budgetEnforcement: role.budgetEnforcement }),
  };
  if (mode === 'account' || mode === 'identity') {
    return {
      tenantId,
      binding: {
        ...common,
        regions: role.regions,
        attribution: mode,
        inferenceProfiles: {},
        principalArns: role.principalArns,
      },
    };
  }
  if (!profiles.length) return undefined;
  return {
    tenantId,
    binding: {
      ...common,
      regions: [...new Set(profiles.map(p => p.region))].sort(),
      attribution: 'inference-profile',
      inferenceProfiles: Object.fromEntries(
        profiles.map(p => [p.profileId, p.modelId]),
      ),
      principalArns: [],
    },
  };
}
