import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CostBlock,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { formatDate, formatUsd } from '../../lib/format';
import { SectionView } from '../SectionView';
import { BillVariance } from '../BillVariance';

/**
 * The bill month to date. With a reconciliation (the estimate compared over the days the bill is
 * complete for, next paragraph) no gap of unlike days is given: the last days' bill lags.
 */
function billedText(data: CostBlock): string {
  const b = data.billed!;
  const billed = ` Billed month to date (as of ${formatDate(
    b.asOf,
  )}): ${formatUsd(b.monthToDateUsd)}`;
  return data.reconciliation
    ? `${billed}.`
    : `${billed}; the estimate differs from it by ${formatUsd(
        Math.abs(b.gapUsd),
      )}.`;
}

/** What the cost figures include, assume and cannot see, and how the estimate compares with the bill. */
export const CostNotes = ({ cost }: { cost: Section<CostBlock> }) => (
  <InfoCard title="About these costs">
    <SectionView section={cost} name="Cost">
      {data => (
        <div data-testid="cost-notes">
          <Typography variant="body2" paragraph>
            Costs are <strong>estimates</strong> from token counts and public
            on-demand prices, not your AWS bill.
            {data.billed
              ? billedText(data)
              : ' No billed figure is available yet.'}
          </Typography>
          {data.reconciliation && (
            <BillVariance
              figures={data.reconciliation}
              testId="cost-bill-variance"
            />
          )}
          <Typography variant="subtitle2" component="h3">
            Included
          </Typography>
          <ul>
            {data.includes.map(i => (
              <li key={i}>
                <Typography variant="body2">{i}</Typography>
              </li>
            ))}
          </ul>
          <Typography variant="subtitle2" component="h3">
            Assumed
          </Typography>
          <ul data-testid="cost-assumptions">
            {data.assumptions.map(i => (
              <li key={i}>
                <Typography variant="body2">{i}</Typography>
              </li>
            ))}
          </ul>
          <Typography variant="subtitle2" component="h3">
            Not included
          </Typography>
          <ul data-testid="cost-excludes">
            {data.excludes.map(i => (
              <li key={i}>
                <Typography variant="body2">{i}</Typography>
              </li>
            ))}
          </ul>
          {data.unpricedModels.length > 0 && (
            <Alert severity="info">
              Unpriced models are not in the cost figures:{' '}
              {data.unpricedModels.join(', ')}
            </Alert>
          )}
          {data.anomaly && (
            <Alert severity="warning" data-testid="cost-anomaly">
              Unusual spend on {formatDate(data.anomaly.date)}:{' '}
              {formatUsd(data.anomaly.amountUsd)} against a usual{' '}
              {formatUsd(data.anomaly.baselineUsd)}.
            </Alert>
          )}
        </div>
      )}
    </SectionView>
  </InfoCard>
);
