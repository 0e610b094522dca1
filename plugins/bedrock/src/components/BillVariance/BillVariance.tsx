import Typography from '@material-ui/core/Typography';
import type { GroupReconciliation } from '@bedrock-tenancy/plugin-bedrock-common';
import { formatUsd } from '../../lib/format';

/** What a tenant's or a group's estimate-vs-bill line reads (BillingReconciliation has all of it). */
export type VarianceFigures = Pick<
  GroupReconciliation,
  | 'billedUsd'
  | 'estimatedUsd'
  | 'varianceUsd'
  | 'variancePercent'
  | 'comparedThrough'
  | 'lagNote'
> & { estimateComplete?: boolean };

/** "+$1.80 (+9.1%)": the bill above (+) or below (−) the estimate, signed. */
export function formatVariance(
  r: Pick<VarianceFigures, 'varianceUsd' | 'variancePercent'>,
): string {
  let sign = '';
  if (r.varianceUsd > 0) sign = '+';
  else if (r.varianceUsd < 0) sign = '−';
  const pct =
    r.variancePercent === null
      ? ''
      : ` (${sign}${Math.abs(r.variancePercent).toFixed(1)}%)`;
  return `${sign}${formatUsd(Math.abs(r.varianceUsd))}${pct}`;
}

/** The sentence comparing estimate and bill over the same days, the billing lag stated. */
export function varianceSentence(r: VarianceFigures): string {
  if (r.comparedThrough === null)
    return `No billed day to compare yet: ${r.lagNote}.`;
  const way =
    r.varianceUsd === 0
      ? 'equals the estimate'
      : `is ${formatVariance(r)} ${
          r.varianceUsd > 0 ? 'above' : 'below'
        } the estimate`;
  return `Billed ${formatUsd(r.billedUsd)} against an estimate of ${formatUsd(
    r.estimatedUsd,
  )} through ${r.comparedThrough}: the bill ${way}${
    r.estimateComplete === false
      ? ' (the estimate leaves out unpriced models)'
      : ''
  }. ${r.lagNote.charAt(0).toUpperCase()}${r.lagNote.slice(1)}.`;
}

/** Estimate vs bill for the month, as one line of body text. */
export const BillVariance = ({
  figures,
  testId = 'bill-variance',
}: {
  figures: VarianceFigures;
  testId?: string;
}) => (
  <Typography variant="body2" paragraph data-testid={testId}>
    {varianceSentence(figures)}
  </Typography>
);
