/* The one AWS change of a budget increase: the limit of the tenant's AWS Budget. */
import {
  DescribeBudgetCommand,
  UpdateBudgetCommand,
  type Budget,
} from '@aws-sdk/client-budgets';
import {
  AwsClientFactory,
  GLOBAL_REGION,
} from '@bedrock-tenancy/plugin-bedrock-node';
import type { Tenant } from '../tenant';

/** The tenant's AWS Budget and its limit in USD; undefined when it has none. */
export interface TenantBudget {
  budget: Budget;
  limitUsd: number;
}

export async function readTenantBudget(
  clients: AwsClientFactory,
  tenant: Tenant,
): Promise<TenantBudget | undefined> {
  const { budgets } = await clients.forTarget(tenant.accountId, GLOBAL_REGION);
  try {
    const { Budget: budget } = await budgets.send(
      new DescribeBudgetCommand({
        AccountId: tenant.accountId,
        BudgetName: tenant.budgetName,
      }),
    );
    if (!budget) return undefined;
    return { budget, limitUsd: Number(budget.BudgetLimit?.Amount ?? 0) };
  } catch (e) {
    if ((e as Error).name === 'NotFoundException') return undefined;
    throw e;
  }
}

/**
 * Sets the budget's limit, keeping everything else of it (filters, period, type): UpdateBudget
 * replaces the whole budget, so it gets the budget as read, without what AWS computes.
 */
export async function writeBudgetLimit(
  clients: AwsClientFactory,
  tenant: Tenant,
  current: Budget,
  limitUsd: number,
): Promise<void> {
  const { budgets } = await clients.forTarget(tenant.accountId, GLOBAL_REGION);
  const { CalculatedSpend: _spend, LastUpdatedTime: _at, ...kept } = current;
  await budgets.send(
    new UpdateBudgetCommand({
      AccountId: tenant.accountId,
      NewBudget: {
        ...kept,
        BudgetLimit: {
          Amount: limitUsd.toFixed(2),
          Unit: current.BudgetLimit?.Unit ?? 'USD',
        },
      },
    }),
  );
}

/** Two limits are the same to the cent. */
export const sameCents = (a: number, b: number) =>
  Math.round(a * 100) === Math.round(b * 100);
