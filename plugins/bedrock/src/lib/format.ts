/*
 * Deterministic number and date formatting (en-US, UTC), so the page reads the same for every
 * viewer and browser tests can match the text.
 */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** Text shown in place of a figure the backend could not produce. */
export const NOT_AVAILABLE = 'not available';

/** `1,234,567` */
export const formatInteger = (value: number) => integer.format(value);
/** `1.2M`; the exact figure goes in a title. */
export const formatCompact = (value: number) => compact.format(value);
/** `$1,234.57` */
export const formatUsd = (value: number) => usd.format(value);
/** `12.5%` from a fraction 0..1 */
export const formatPercent = (fraction: number) => percent.format(fraction);
/** `1,234 ms` */
export const formatMs = (ms: number) => `${integer.format(ms)} ms`;

/** `2026-11-23 09:00 UTC` */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-11-23` */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

/** Budget used as a percentage, "no budget" when the tenant has none, else "not available". */
export function formatBudgetUsed(
  budget:
    | { status: 'ok'; data: { usedFraction: number } | null }
    | { status: string },
): string {
  if (budget.status !== 'ok' || !('data' in budget)) return NOT_AVAILABLE;
  return budget.data ? formatPercent(budget.data.usedFraction) : 'no budget';
}
