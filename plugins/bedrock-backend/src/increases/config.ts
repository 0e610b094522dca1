import { Config } from '@backstage/config';

export interface BudgetIncreaseSettings {
  /** the most one request may add, USD; default 10,000 */
  maxAmountUsd: number;
  /** the furthest a request's last day may be, in days from today; default 90 */
  maxDays: number;
  /** who is asked to decide (user or group refs); default `bedrock.bindings.adminRecipients` */
  adminRecipients: string[];
}

/** Reads `bedrock.budgetIncreases`. */
export function readBudgetIncreaseSettings(
  config: Config,
): BudgetIncreaseSettings {
  const c = config.getOptionalConfig('bedrock.budgetIncreases');
  const maxAmountUsd = c?.getOptionalNumber('maxAmountUsd') ?? 10_000;
  const maxDays = c?.getOptionalNumber('maxDays') ?? 90;
  if (!(maxAmountUsd > 0))
    throw new Error('bedrock.budgetIncreases.maxAmountUsd must be positive');
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > 366)
    throw new Error(
      'bedrock.budgetIncreases.maxDays must be a whole number of days from 1 to 366',
    );
  return {
    maxAmountUsd,
    maxDays,
    adminRecipients:
      c?.getOptionalStringArray('adminRecipients') ??
      config.getOptionalStringArray('bedrock.bindings.adminRecipients') ??
      [],
  };
}
