import { useState } from 'react';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type { GroupRollup } from '@bedrock-tenancy/plugin-bedrock-common';
import { bedrockApiRef } from '../../api';
import {
  useBedrockTabLink,
  useEntityLink,
} from '../../hooks/useBedrockTabLink';
import { formatCompact, formatInteger, formatUsd } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { SuiteView } from '../SuiteView';
import { Figure } from '../Figure';
import { formatVariance, varianceSentence } from '../BillVariance';
import { TenantTable } from './TenantTable';
import { ChargebackDownload } from './ChargebackDownload';
import { CountedGroups } from './CountedGroups';
import { useAutoRefreshSeconds } from '../../hooks/useAutoRefreshSeconds';
import { useTenantSignals } from '../../hooks/useTenantSignals';

const Totals = ({ totals }: { totals: GroupRollup['totals'] }) => (
  <Box display="flex" flexWrap="wrap">
    <Figure
      testId="group-total-tenants"
      label="Tenants"
      value={formatInteger(totals.tenants)}
      raw={totals.tenants}
    />
    <Figure
      testId="group-total-invocations"
      label="Invocations"
      value={formatInteger(totals.invocations)}
      raw={totals.invocations}
    />
    <Figure
      testId="group-total-tokens"
      label="Tokens (in / out)"
      value={`${formatCompact(totals.inputTokens)} / ${formatCompact(
        totals.outputTokens,
      )}`}
      exact={`${formatInteger(totals.inputTokens)} / ${formatInteger(
        totals.outputTokens,
      )}`}
      raw={totals.inputTokens + totals.outputTokens}
    />
    <Figure
      testId="group-total-month-to-date"
      label="Cost month to date"
      value={formatUsd(totals.monthToDateUsd)}
      raw={totals.monthToDateUsd}
      hint={
        totals.partial || totals.unpricedTenants
          ? `partial: priced usage only; ${totals.unpricedTenants} tenant(s) unpriced`
          : 'estimated'
      }
    />
    <Figure
      testId="group-total-projection"
      label="Month-end projection"
      value={formatUsd(totals.projectedMonthEndUsd)}
      raw={totals.projectedMonthEndUsd}
    />
    {totals.reconciliation && (
      <Figure
        testId="group-total-bill-variance"
        label="Bill vs estimate"
        value={
          totals.reconciliation.comparedThrough === null
            ? 'not available'
            : formatVariance(totals.reconciliation)
        }
        exact={varianceSentence(totals.reconciliation)}
        raw={
          totals.reconciliation.comparedThrough === null
            ? null
            : totals.reconciliation.varianceUsd
        }
        hint={`${totals.reconciliation.tenants} tenant(s) billed; ${totals.reconciliation.lagNote}`}
      />
    )}
    <Figure
      testId="group-total-budget"
      label="Budgets"
      value={formatUsd(totals.budgetLimitUsd)}
      raw={totals.budgetLimitUsd}
    />
    <Figure
      testId="group-total-alarms"
      label="Alarms in ALARM"
      value={formatInteger(totals.alarmsInAlarm)}
      raw={totals.alarmsInAlarm}
    />
  </Box>
);

/** "(12)", or "(1,200; the first 50)" when the answer lists only some of them. */
const countOf = (listed: number, count: number | undefined) =>
  count !== undefined && count > listed
    ? `(${formatInteger(count)}; the first ${formatInteger(listed)})`
    : `(${formatInteger(listed)})`;

const Unannotated = ({
  items,
  count,
}: {
  items: GroupRollup['unannotated'];
  count?: number;
}) => {
  const entityLink = useEntityLink();
  if (!items.length) return null;
  return (
    <Box mt={2} data-testid="group-unannotated">
      <Typography variant="subtitle2" component="h3">
        Owned entities without valid Bedrock tenant annotations{' '}
        {countOf(items.length, count)}
      </Typography>
      <ul>
        {items.map(i => (
          <li key={i.entityRef}>
            <Link to={entityLink(i.entityRef)} underline="always">
              {i.title}
            </Link>{' '}
            ({i.kind})
          </li>
        ))}
      </ul>
    </Box>
  );
};

/** Entities whose tenant annotations no binding confirms: listed apart, never in the totals. */
const Unverified = ({
  items,
  count,
}: {
  items: GroupRollup['unverified'];
  count?: number;
}) => {
  const entityLink = useEntityLink();
  if (!items?.length) return null;
  return (
    <Box mt={2} data-testid="group-unverified">
      <Typography variant="subtitle2" component="h3">
        Unverified tenants, not in the totals {countOf(items.length, count)}
      </Typography>
      <Typography variant="caption" component="div">
        Their annotations claim a Bedrock tenant that no binding confirms. A
        Bedrock admin binds a tenant with the Adopt step of the
        bedrock-tenant-lifecycle template.
      </Typography>
      <ul>
        {items.map(i => (
          <li key={i.entityRef}>
            <Link to={entityLink(i.entityRef)} underline="always">
              {i.title}
            </Link>{' '}
            ({i.kind}): {i.reason}
          </li>
        ))}
      </ul>
    </Box>
  );
};

/** The backend answers the most expensive tenants only: say how many the totals also count. */
const MoreTenants = ({ rollup }: { rollup: GroupRollup }) => {
  const more = (rollup.tenantCount ?? 0) - rollup.tenants.length;
  if (!rollup.truncated || more <= 0) return null;
  return (
    <Typography variant="body2" data-testid="group-more-tenants">
      and {formatInteger(more)} more tenant{more === 1 ? '' : 's'}, counted in
      the totals (the chargeback export lists every tenant)
    </Typography>
  );
};

/** Group-page card: Bedrock totals of every tenant the group owns, and the tenants by cost. */
export const BedrockGroupCard = () => {
  const { entity } = useEntity();
  const api = useApi(bedrockApiRef);
  const tabLink = useBedrockTabLink();
  // undefined until the user flips the switch: the backend's default decides (child groups on)
  const [includeChildren, setIncludeChildren] = useState<boolean>();
  const group = getCompoundEntityRef(entity);
  const key = stringifyEntityRef(group);
  const [tenantRefs, setTenantRefs] = useState<string[]>([]);
  const { version } = useTenantSignals(tenantRefs, {
    pollSeconds: useAutoRefreshSeconds(),
  });
  const { value, loading, error } = useAsync(async () => {
    const rollup = await api.getGroupRollup({
      group,
      range: { preset: 'mtd' },
      includeChildren,
    });
    setTenantRefs(rollup.tenants.map(t => t.entityRef));
    return rollup;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, includeChildren, version]);
  const counting = includeChildren ?? value?.includeChildren ?? true;

  return (
    <SuiteView name="group">
      <InfoCard
        title="Bedrock tenants"
        subheader="Month to date, across the tenants this group owns"
        action={
          <FormControlLabel
            control={
              <Switch
                checked={counting}
                onChange={e => setIncludeChildren(e.target.checked)}
                color="primary"
              />
            }
            label="Include child groups"
          />
        }
      >
        {loading && !value && <Progress />}
        {!loading && error && <ErrorState error={error} />}
        {value && (
          <>
            <Totals totals={value.totals} />
            <TenantTable
              tenants={value.tenants}
              linkToTab={tabLink}
              showOwner={counting}
            />
            <MoreTenants rollup={value} />
            <CountedGroups rollup={value} />
            <Unverified
              items={value.unverified}
              count={value.unverifiedCount}
            />
            <Unannotated
              items={value.unannotated}
              count={value.unannotatedCount}
            />
            <ChargebackDownload group={group} includeChildren={counting} />
          </>
        )}
      </InfoCard>
    </SuiteView>
  );
};
