import { lazy, Suspense, useState } from 'react';
import { ErrorBoundary, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { bedrockUsageRefreshPermission } from '@bedrock-tenancy/plugin-bedrock-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { bedrockApiRef, type BedrockRange } from '../../api';
import { useAutoRefreshSeconds } from '../../hooks/useAutoRefreshSeconds';
import { useInterval } from '../../hooks/useInterval';
import { useTenantSignals } from '../../hooks/useTenantSignals';
import { messageOf, statusOf } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { AdvicePanel } from '../AdvicePanel';
import { AlarmsPanel } from '../AlarmsPanel';
import { BudgetIncreases } from '../BudgetIncreases';
import { BudgetPanel } from '../BudgetPanel';
import { CostNotes } from '../CostNotes';
import { ErrorState } from '../ErrorState';
import { SuiteView } from '../SuiteView';
import { FreshnessBar } from '../FreshnessBar';
import { GovernancePanel } from '../GovernancePanel';
import { EnforcementBanner } from '../EnforcementBanner';
import { HeadlineFigures } from '../HeadlineFigures';
import { ModelTable } from '../ModelTable';
import { RangePicker } from '../RangePicker';
import { RegionTable } from '../RegionTable';
import { StateMessage } from '../StateMessage';
import { TenantAnnotationGate } from './TenantAnnotationGate';

const UsageCharts = lazy(() =>
  import('../UsageCharts').then(m => ({ default: m.UsageCharts })),
);

const BedrockTabContent = () => {
  const { entity } = useEntity();
  const api = useApi(bedrockApiRef);
  const autoRefreshSeconds = useAutoRefreshSeconds();
  const [range, setRange] = useState<BedrockRange>({ preset: '7d' });
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string>();
  const ref = getCompoundEntityRef(entity);
  const refKey = `${ref.kind}:${ref.namespace}/${ref.name}`;
  // the backend checks it too; this only spares a button that would answer 403
  const { allowed: mayRefresh } = usePermission({
    permission: bedrockUsageRefreshPermission,
    resourceRef: stringifyEntityRef(entity),
  });

  // refetch as soon as the backend says this tenant changed; polling below stays as the fallback
  const { version, live } = useTenantSignals([stringifyEntityRef(entity)]);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntitySummary({ entity: ref, range }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, refKey, JSON.stringify(range), version],
  );
  useInterval(retry, autoRefreshSeconds);

  const refresh = async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      await api.refreshEntity({ entity: ref });
    } catch (e) {
      setRefreshError(
        statusOf(e) === 429
          ? `Refresh is rate-limited: ${messageOf(e as Error)}`
          : `Refresh failed: ${messageOf(e as Error)}`,
      );
    } finally {
      setRefreshing(false);
      retry();
    }
  };

  const noDataYet =
    value &&
    value.freshness.lastCollectedAt === null &&
    value.totals.invocations === 0;

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Box
        display="flex"
        justifyContent="space-between"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <RangePicker value={range} onChange={setRange} />
        {value && (
          <FreshnessBar
            freshness={value.freshness}
            onRefresh={mayRefresh ? refresh : undefined}
            refreshing={refreshing}
            refreshError={refreshError}
            autoRefreshSeconds={autoRefreshSeconds}
            live={live}
          />
        )}
      </Box>
      {loading && !value && <Progress />}
      {loading && value && <LinearProgress aria-label="Reloading" />}
      {error && !value && <ErrorState error={error} />}
      {error && value && (
        <Alert severity="error">
          Reloading failed, showing the previous data: {messageOf(error)}
        </Alert>
      )}
      {value && <EnforcementBanner enforcement={value.enforcement} />}
      {value && noDataYet && (
        <StateMessage title="No data yet">
          Nothing has been collected for this tenant yet. Collection runs on a
          schedule; press Refresh to collect now.
        </StateMessage>
      )}
      {value && !noDataYet && (
        <>
          <InfoCard
            title="Usage"
            subheader={`${formatDateTime(value.range.from)} – ${formatDateTime(
              value.range.to,
            )} · tenant ${value.tenant.tenantId} in ${
              value.tenant.accountId
            } (${value.tenant.regions.join(', ')})`}
          >
            <HeadlineFigures summary={value} />
          </InfoCard>
          {value.series.length > 0 ? (
            <ErrorBoundary>
              <Suspense fallback={<Progress />}>
                <UsageCharts summary={value} />
              </Suspense>
            </ErrorBoundary>
          ) : (
            <Typography variant="body2">
              No usage over time in this range.
            </Typography>
          )}
          <ModelTable models={value.models} />
          {value.byRegion &&
            (value.byRegion.length > 1 || value.tenant.regions.length > 1) && (
              <RegionTable regions={value.byRegion} />
            )}
        </>
      )}
      {value && (
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <AlarmsPanel alarms={value.alarms} />
          </Grid>
          <Grid item xs={12} md={6}>
            <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
              <BudgetPanel budget={value.budget} />
              <BudgetIncreases
                entity={ref}
                version={version}
                onChange={retry}
              />
            </Box>
          </Grid>
          <Grid item xs={12} md={6}>
            <AdvicePanel idle={value.idle} suggestions={value.suggestions} />
          </Grid>
          <Grid item xs={12}>
            <GovernancePanel
              governance={value.governance}
              guardrails={value.guardrails}
            />
          </Grid>
          <Grid item xs={12}>
            <CostNotes cost={value.cost} />
          </Grid>
        </Grid>
      )}
    </Box>
  );
};

/** The Bedrock tab of a tenant entity: usage, cost, budget, alarms and governance. */
export const BedrockTab = () => (
  <SuiteView name="tab">
    <TenantAnnotationGate>
      <BedrockTabContent />
    </TenantAnnotationGate>
  </SuiteView>
);
