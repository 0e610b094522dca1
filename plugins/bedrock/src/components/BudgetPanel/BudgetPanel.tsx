import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import type {
  BudgetBlock,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { formatDate, formatPercent, formatUsd } from '../../lib/format';
import { SectionView } from '../SectionView';

const Row = (props: { label: string; value: string; testId: string }) => (
  <Box display="flex" justifyContent="space-between" data-testid={props.testId}>
    <Typography variant="body2" color="textSecondary">
      {props.label}
    </Typography>
    <Typography variant="body2">{props.value}</Typography>
  </Box>
);

/** What is left of the budget this month, never below zero: where a member stands. */
function leftText(limitUsd: number, actualSpendUsd: number): string {
  const left = limitUsd - actualSpendUsd;
  return left >= 0
    ? formatUsd(left)
    : `${formatUsd(0)} (over by ${formatUsd(-left)})`;
}

/** The tenant's AWS Budget: limit, spend, forecast, run-out date, thresholds. */
export const BudgetPanel = ({
  budget,
}: {
  budget: Section<BudgetBlock | null>;
}) => (
  <InfoCard title="Budget">
    <SectionView section={budget} name="The budget">
      {data =>
        data === null ? (
          <Typography variant="body2">
            This tenant has no AWS Budget. Add one to get alerts before the
            spend runs over.
          </Typography>
        ) : (
          <Box>
            <Typography variant="subtitle2" component="p">
              {data.name}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={Math.min(100, data.usedFraction * 100)}
              color={data.usedFraction >= 1 ? 'secondary' : 'primary'}
              aria-label={`Budget used: ${formatPercent(
                data.usedFraction,
              )}, of ${formatUsd(data.limitUsd)}`}
            />
            <Row
              testId="budget-limit"
              label="Limit"
              value={formatUsd(data.limitUsd)}
            />
            <Row
              testId="budget-spent"
              label="Spent"
              value={`${formatUsd(data.actualSpendUsd)} (${formatPercent(
                data.usedFraction,
              )})`}
            />
            <Row
              testId="budget-left"
              label="Left"
              value={leftText(data.limitUsd, data.actualSpendUsd)}
            />
            <Row
              testId="budget-forecast"
              label="Forecast"
              value={
                data.forecastedSpendUsd === null
                  ? 'not available'
                  : formatUsd(data.forecastedSpendUsd)
              }
            />
            <Row
              testId="budget-runs-out"
              label="Runs out on"
              value={
                data.runsOutOn ? formatDate(data.runsOutOn) : 'not this month'
              }
            />
            {data.thresholds.length > 0 && (
              <List dense aria-label="Budget thresholds">
                {data.thresholds.map(t => (
                  <ListItem key={`${t.type}-${t.percent}`} disableGutters>
                    <Typography variant="body2">
                      {t.crossed ? '⚠ Crossed' : '✓ Not crossed'}: {t.percent}%{' '}
                      {t.type === 'ACTUAL' ? 'of actual spend' : 'of forecast'}
                    </Typography>
                  </ListItem>
                ))}
              </List>
            )}
          </Box>
        )
      }
    </SectionView>
  </InfoCard>
);
