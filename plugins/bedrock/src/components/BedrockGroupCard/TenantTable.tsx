import { Link, Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { GroupTenantRow } from '@bedrock-tenancy/plugin-bedrock-common';
import { formatPercent, formatUsd } from '../../lib/format';
import { formatVariance, varianceSentence } from '../BillVariance';

type Row = GroupTenantRow & { id: string };

const cost = (r: Row) => r.monthToDateUsd ?? -1;
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/**
 * Tenants of a group, most expensive month to date first; unpriced ones last. Calls and tokens
 * are in the card's totals: the table keeps to what fits a half-width card.
 */
export const TenantTable = (props: {
  tenants: GroupTenantRow[];
  linkToTab: (entityRef: string) => string;
  /** show the owner column, e.g. when child groups are included */
  showOwner?: boolean;
}) => {
  const columns: TableColumn<Row>[] = [
    {
      title: 'Tenant',
      field: 'title',
      highlight: true,
      // the owner goes under the name: a column of its own does not fit a half-width card
      render: r => (
        <>
          <Link to={props.linkToTab(r.entityRef)}>{r.title}</Link>
          {props.showOwner && (
            <Typography
              variant="caption"
              color="textSecondary"
              display="block"
              data-testid="tenant-owner"
            >
              {humanizeEntityRef(
                parseEntityRef(r.owner, { defaultKind: 'group' }),
                { defaultKind: 'group' },
              )}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Cost MTD',
      field: 'monthToDateUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      headerStyle: NO_WRAP,
      defaultSort: 'desc',
      customSort: (a, b) => cost(a) - cost(b),
      render: r =>
        r.monthToDateUsd === null ? (
          <em>unpriced</em>
        ) : (
          formatUsd(r.monthToDateUsd)
        ),
    },
    {
      title: 'Month end',
      field: 'projectedMonthEndUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      headerStyle: NO_WRAP,
      render: r =>
        r.projectedMonthEndUsd === null
          ? '–'
          : formatUsd(r.projectedMonthEndUsd),
    },
    {
      title: 'Budget',
      field: 'budgetUsedFraction',
      type: 'numeric',
      cellStyle: NO_WRAP,
      headerStyle: NO_WRAP,
      render: r =>
        r.budgetUsedFraction === null || r.budgetLimitUsd === null ? (
          'no budget'
        ) : (
          <Box minWidth={56}>
            <span title={`of ${formatUsd(r.budgetLimitUsd)}`}>
              {formatPercent(r.budgetUsedFraction)}
            </span>
            <LinearProgress
              variant="determinate"
              value={Math.min(100, r.budgetUsedFraction * 100)}
              color={r.budgetUsedFraction >= 1 ? 'secondary' : 'primary'}
              aria-label={`Budget used: ${formatPercent(
                r.budgetUsedFraction,
              )}, of ${formatUsd(r.budgetLimitUsd)}`}
            />
          </Box>
        ),
    },
    // estimate vs bill, once some tenant has billed figures (Cost Explorer on)
    ...(props.tenants.some(t => t.reconciliation)
      ? [
          {
            title: 'Bill vs est.',
            field: 'reconciliation.varianceUsd',
            type: 'numeric',
            cellStyle: NO_WRAP,
            headerStyle: NO_WRAP,
            sorting: false,
            render: r =>
              !r.reconciliation || r.reconciliation.comparedThrough === null ? (
                '–'
              ) : (
                <span
                  title={varianceSentence(r.reconciliation)}
                  data-testid="tenant-bill-variance"
                >
                  {formatVariance(r.reconciliation)}
                </span>
              ),
          } as TableColumn<Row>,
        ]
      : []),
    {
      title: 'Alarms',
      field: 'alarmsInAlarm',
      type: 'numeric',
      cellStyle: NO_WRAP,
      headerStyle: NO_WRAP,
      render: r => (r.alarmsInAlarm > 0 ? `⚠ ${r.alarmsInAlarm}` : '0'),
    },
  ];
  return (
    <Table<Row>
      title="Tenants"
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        toolbar: false,
        // column dragging nests a focusable handle in the sort button (axe nested-interactive)
        draggable: false,
      }}
      columns={columns}
      data={props.tenants.map(t => ({ ...t, id: t.entityRef }))}
      emptyContent={<Box p={2}>This group owns no Bedrock tenant.</Box>}
    />
  );
};
