import { InfoCard, Progress, TrendLine } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { bedrockApiRef } from '../../api';
import { useBedrockTabLink } from '../../hooks/useBedrockTabLink';
import {
  NOT_AVAILABLE,
  formatDateTime,
  formatInteger,
  formatUsd,
  formatBudgetUsed,
} from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { SuiteView } from '../SuiteView';
import { Figure } from '../Figure';
import { TenantAnnotationGate } from '../BedrockTab/TenantAnnotationGate';
import { useAutoRefreshSeconds } from '../../hooks/useAutoRefreshSeconds';
import { useTenantSignals } from '../../hooks/useTenantSignals';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';

const Figures = ({ summary }: { summary: EntitySummary }) => {
  const { cost, budget, alarms } = summary;
  const costData = cost.status === 'ok' ? cost.data : undefined;
  const budgetData = budget.status === 'ok' ? budget.data : undefined;
  const inAlarm =
    alarms.status === 'ok'
      ? alarms.data.filter(a => a.state === 'ALARM').length
      : null;
  const daily = costData?.daily.map(d => d.estimatedUsd) ?? [];
  return (
    <Box>
      <Box display="flex" flexWrap="wrap">
        <Figure
          testId="overview-month-to-date"
          label="Cost month to date"
          value={costData ? formatUsd(costData.monthToDateUsd) : NOT_AVAILABLE}
          raw={costData?.monthToDateUsd ?? null}
        />
        <Figure
          testId="overview-projection"
          label="Month-end projection"
          value={
            costData ? formatUsd(costData.projectedMonthEndUsd) : NOT_AVAILABLE
          }
          raw={costData?.projectedMonthEndUsd ?? null}
        />
        <Figure
          testId="overview-budget-used"
          label="Budget used"
          value={formatBudgetUsed(budget)}
          raw={budgetData?.usedFraction ?? null}
          hint={budgetData ? `of ${formatUsd(budgetData.limitUsd)}` : undefined}
        />
        <Figure
          testId="overview-alarms"
          label="Alarms in ALARM"
          value={inAlarm === null ? NOT_AVAILABLE : formatInteger(inAlarm)}
          raw={inAlarm}
        />
      </Box>
      {daily.length > 1 && (
        <Box
          data-testid="overview-trend"
          aria-label="Daily estimated cost this month"
        >
          <TrendLine
            data={daily}
            title="Daily estimated cost"
            min={0}
            max={Math.max(...daily) || 1}
            width={240}
            height={40}
            svgWidth={240}
            svgHeight={40}
          />
        </Box>
      )}
      {summary.freshness.stale && (
        <Typography variant="caption" color="error" component="div">
          Stale data
        </Typography>
      )}
      <Typography variant="caption" color="textSecondary">
        {summary.freshness.dataUntil
          ? `Data until ${formatDateTime(
              summary.freshness.dataUntil,
            )}; estimated, not billed`
          : 'No data collected yet'}
      </Typography>
    </Box>
  );
};

const OverviewContent = () => {
  const { entity } = useEntity();
  const api = useApi(bedrockApiRef);
  const ref = getCompoundEntityRef(entity);
  const key = stringifyEntityRef(ref);
  const { version } = useTenantSignals([key], {
    pollSeconds: useAutoRefreshSeconds(),
  });
  const { value, loading, error } = useAsync(
    () => api.getEntitySummary({ entity: ref, range: { preset: 'mtd' } }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, version],
  );
  // a refetch keeps showing the previous figures until the new ones arrive
  if (loading && !value) return <Progress />;
  if (error && !value) return <ErrorState error={error} />;
  return value ? <Figures summary={value} /> : null;
};

/** Overview-page card: this month's Bedrock cost, projection, budget, alarms and trend. */
export const BedrockOverviewCard = () => {
  const { entity } = useEntity();
  const tabLink = useBedrockTabLink();
  return (
    <SuiteView name="overview">
      <InfoCard
        title="Bedrock usage"
        deepLink={{
          title: 'View Bedrock usage',
          link: tabLink(stringifyEntityRef(entity)),
        }}
      >
        <TenantAnnotationGate>
          <OverviewContent />
        </TenantAnnotationGate>
      </InfoCard>
    </SuiteView>
  );
};
