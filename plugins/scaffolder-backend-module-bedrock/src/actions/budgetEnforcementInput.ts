import { InputError } from '@backstage/errors';
import type { BudgetEnforcement } from '@bedrock-tenancy/plugin-bedrock-common';
import { z } from 'zod';

const schema = z
  .object({
    suspendAtBudget: z.boolean().optional(),
    budgetBasis: z.enum(['actual', 'estimate']).optional(),
    autoResume: z.boolean().optional(),
  })
  .passthrough();

/**
 * The opt-in the inputs ask for: the setting, null to turn it off, undefined to leave it as it
 * is (an update that does not say).
 */
export function budgetEnforcementOf(
  input: unknown,
  mode: 'create' | 'update',
): BudgetEnforcement | null | undefined {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid input: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const { suspendAtBudget, budgetBasis, autoResume } = parsed.data;
  if (suspendAtBudget === undefined)
    return mode === 'create' ? null : undefined;
  if (!suspendAtBudget) return null;
  return {
    action: 'suspend',
    basis: budgetBasis ?? 'actual',
    autoResume: autoResume ?? false,
  };
}
