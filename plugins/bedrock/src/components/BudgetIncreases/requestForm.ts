import {
  budgetIncreaseRequestSchema,
  type BudgetIncreaseList,
  type BudgetIncreaseRequest,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { formatUsd } from '../../lib/format';

/** What the request dialog's fields hold, as typed. */
export interface RequestForm {
  amountUsd: string;
  endsOn: string;
  reason: string;
}

/** One message per field that is wrong. */
export type RequestFormErrors = Partial<Record<keyof RequestForm, string>>;

type Limits = BudgetIncreaseList['limits'];

/** Today, `YYYY-MM-DD` in UTC (the backend's days are UTC). */
export const todayUtc = () => new Date().toISOString().slice(0, 10);

function amountMessage(code: string, message: string): string {
  switch (code) {
    case 'invalid_type':
      return 'Enter an amount in USD';
    case 'too_small':
      return 'Enter an amount above $0.00';
    case 'too_big':
      return 'The amount is too large';
    case 'custom':
      return 'Use whole cents (at most 2 decimals)';
    default:
      return message;
  }
}

function reasonMessage(code: string, message: string): string {
  switch (code) {
    case 'too_small':
      return 'Say why the tenant needs the increase';
    case 'too_big':
      return 'At most 500 characters';
    default:
      return message;
  }
}

/**
 * Checks the dialog's fields with the shared `budgetIncreaseRequestSchema` (what the backend
 * checks too) and with the limits the backend announced: the request to post, or a message
 * per wrong field.
 */
export function validateRequestForm(
  form: RequestForm,
  limits: Limits,
  today: string = todayUtc(),
):
  | { ok: true; request: BudgetIncreaseRequest }
  | { ok: false; errors: RequestFormErrors } {
  const errors: RequestFormErrors = {};
  const parsed = budgetIncreaseRequestSchema.safeParse({
    amountUsd: form.amountUsd.trim() === '' ? NaN : Number(form.amountUsd),
    endsOn: form.endsOn,
    reason: form.reason,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof RequestForm;
      if (errors[field]) continue;
      if (field === 'amountUsd')
        errors.amountUsd = amountMessage(issue.code, issue.message);
      else if (field === 'endsOn') errors.endsOn = 'Enter a date (YYYY-MM-DD)';
      else if (field === 'reason')
        errors.reason = reasonMessage(issue.code, issue.message);
    }
  }
  const amount = Number(form.amountUsd);
  if (!errors.amountUsd && amount > limits.maxAmountUsd)
    errors.amountUsd = `At most ${formatUsd(limits.maxAmountUsd)} for now`;
  if (!errors.endsOn && form.endsOn < today)
    errors.endsOn = 'The end date is in the past';
  if (!errors.endsOn && form.endsOn > limits.latestEndsOn)
    errors.endsOn = `The end date may be ${limits.latestEndsOn} at the latest`;
  if (parsed.success && Object.keys(errors).length === 0)
    return { ok: true, request: parsed.data };
  return { ok: false, errors };
}
