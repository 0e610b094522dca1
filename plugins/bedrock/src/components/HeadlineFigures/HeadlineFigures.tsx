import Box from '@material-ui/core/Box';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  NOT_AVAILABLE,
  formatCompact,
  formatInteger,
  formatMs,
  formatPercent,
  formatUsd,
  formatBudgetUsed,
} from '../../lib/format';
import { Figure } from '../Figure';
import { formatVariance } from '../BillVariance';

const usdOrNa = (value: number | null | undefined) =>
  value === null || value === undefined ? NOT_AVAILABLE : formatUsd(value);

function costHint(unpriced: number, priced: boolean) {
  if (unpriced) return `priced models only; ${unpriced} unpriced`;
  return priced ? 'estimate, not the bill' : undefined;
}

const msOrNa = (value: number | null) =>
  value === null ? NOT_AVAILABLE : formatMs(value);

/**
 * Time to first token: the average over the range's streaming requests and the p99, both
 * named in the figure's accessible name; "not available" without streaming traffic.
 */
function ttftFigure(totals: EntitySummary['totals']) {
  const { ttftAvgMs: avg, ttftP99Ms: p99, streamingRequests } = totals;
  if (avg === null) {
    return {
      value: NOT_AVAILABLE,
      exact: `${NOT_AVAILABLE}, no streaming requests`,
      hint: 'streaming requests only',
    };
  }
  return {
    value: formatMs(avg),
    exact: `${formatMs(avg)} average, p99 ${msOrNa(p99)}`,
    hint: `p99 ${msOrNa(p99)} · ${formatInteger(
      streamingRequests,
    )} streaming requests`,
  };
}

function budgetHint(budget: EntitySummary['budget']) {
  if (budget.status !== 'ok') return undefined;
  return budget.data ? `of ${formatUsd(budget.data.limitUsd)}` : 'no budget';
}

/** The headline figures of a tenant's range; each has a `headline-*` test id. */
export const HeadlineFigures = ({ summary }: { summary: EntitySummary }) => {
  const { totals, cost, budget } = summary;
  const costData = cost.status === 'ok' ? cost.data : undefined;
  const budgetData = budget.status === 'ok' ? budget.data : undefined;
  const unpriced = costData?.unpricedModels.length ?? 0;
  const rangeCost = costData?.rangeEstimatedUsd ?? totals.estimatedCostUsd;
  // all of the range's traffic is unpriced: a $0.00 would read as "free"
  const allUnpriced =
    unpriced > 0 && !summary.models.some(m => m.priced && m.invocations > 0);

  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      <Figure
        testId="headline-invocations"
        label="Invocations"
        value={formatInteger(totals.invocations)}
        raw={totals.invocations}
      />
      <Figure
        testId="headline-input-tokens"
        label="Input tokens"
        value={formatCompact(totals.inputTokens)}
        exact={formatInteger(totals.inputTokens)}
        raw={totals.inputTokens}
      />
      <Figure
        testId="headline-output-tokens"
        label="Output tokens"
        value={formatCompact(totals.outputTokens)}
        exact={formatInteger(totals.outputTokens)}
        raw={totals.outputTokens}
      />
      <Figure
        testId="headline-estimated-cost"
        label="Estimated cost"
        value={allUnpriced ? 'unpriced' : usdOrNa(rangeCost)}
        raw={allUnpriced ? null : rangeCost ?? null}
        hint={costHint(unpriced, Boolean(costData))}
      />
      <Figure
        testId="headline-projection"
        label="Month-end projection"
        value={usdOrNa(costData?.projectedMonthEndUsd)}
        raw={costData?.projectedMonthEndUsd ?? null}
        hint={
          costData
            ? `run rate ${formatUsd(costData.dailyRunRateUsd)}/day`
            : undefined
        }
      />
      {costData?.reconciliation && (
        <Figure
          testId="headline-bill-variance"
          label="Bill vs estimate"
          value={
            costData.reconciliation.comparedThrough === null
              ? NOT_AVAILABLE
              : formatVariance(costData.reconciliation)
          }
          raw={
            costData.reconciliation.comparedThrough === null
              ? null
              : costData.reconciliation.varianceUsd
          }
          hint={costData.reconciliation.lagNote}
        />
      )}
      <Figure
        testId="headline-budget-used"
        label="Budget used"
        value={formatBudgetUsed(budget)}
        raw={budgetData?.usedFraction ?? null}
        hint={budgetHint(budget)}
      />
      <Figure
        testId="headline-error-rate"
        label="Error rate"
        value={
          totals.errorRate === null
            ? NOT_AVAILABLE
            : formatPercent(totals.errorRate)
        }
        exact={
          totals.errorRate === null
            ? undefined
            : `${(totals.errorRate * 100).toFixed(4)}%`
        }
        raw={totals.errorRate}
        hint={`${formatInteger(totals.clientErrors)} client, ${formatInteger(
          totals.serverErrors,
        )} server`}
      />
      <Figure
        testId="headline-latency-avg"
        label="Average latency"
        value={
          totals.latencyAvgMs === null
            ? NOT_AVAILABLE
            : formatMs(totals.latencyAvgMs)
        }
        exact={
          totals.latencyAvgMs === null ? undefined : `${totals.latencyAvgMs} ms`
        }
        raw={totals.latencyAvgMs}
      />
      <Figure
        testId="headline-latency-p99"
        label="p99 latency"
        value={
          totals.latencyP99Ms === null
            ? NOT_AVAILABLE
            : formatMs(totals.latencyP99Ms)
        }
        exact={
          totals.latencyP99Ms === null ? undefined : `${totals.latencyP99Ms} ms`
        }
        raw={totals.latencyP99Ms}
      />
      <Figure
        testId="headline-ttft"
        label="Time to first token"
        raw={totals.ttftAvgMs}
        {...ttftFigure(totals)}
      />
      <Figure
        testId="headline-throttles"
        label="Throttles"
        value={formatInteger(totals.throttles)}
        raw={totals.throttles}
      />
    </Box>
  );
};
