import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  defaultAlarmPrefix,
  defaultBudgetName,
  TENANT_ID_PATTERN,
  tenantBindingBodySchema,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { z } from 'zod';
import { TenantBinding } from './types';

const entrySchema = tenantBindingBodySchema.extend({
  tenantId: z
    .string()
    .regex(TENANT_ID_PATTERN, 'a tenant id, e.g. checkout-assistant'),
});

/**
 * `bedrock.tenants`: bindings an operator declares for tenants the suite did not create.
 * Throws naming the bad entry.
 */
export function readConfigBindings(root: Config, at: string): TenantBinding[] {
  const raw = root.getOptional('bedrock.tenants') ?? [];
  const parsed = z.array(entrySchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `bedrock.tenants[${issue.path.join('.')}]: ${issue.message}`,
    );
  }
  const seen = new Set<string>();
  return parsed.data.map((e, i) => {
    if (seen.has(e.tenantId)) {
      throw new InputError(
        `bedrock.tenants[${i}]: tenant ${e.tenantId} is listed twice`,
      );
    }
    seen.add(e.tenantId);
    return {
      ...e,
      entityRef: stringifyEntityRef(parseEntityRef(e.entityRef)),
      alarmPrefix: e.alarmPrefix ?? defaultAlarmPrefix(e.tenantId),
      budgetName: e.budgetName ?? defaultBudgetName(e.tenantId),
      source: 'config',
      updatedAt: at,
      updatedBy: 'config',
    };
  });
}
