import { Link, Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import LinearProgress from '@material-ui/core/LinearProgress';
import type { GroupTenantRow } from '@bedrock-tenancy/plugin-bedrock-common';
import { formatInteger, formatPercent, formatUsd } from '../../lib/format';

type Row = GroupTenantRow & { id: string };

const cost = (r: Row) => r.monthToDateUsd ?? -1;

/** Tenants of a group, most expensive month to date first; unpriced ones last. */
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
      render: r => <Link to={props.linkToTab(r.entityRef)}>{r.title}</Link>,
    },
    {
      title: 'Owner',
      field: 'owner',
      hidden: !props.showOwner,
      render: r =>
        humanizeEntityRef(parseEntityRef(r.owner, { defaultKind: 'group' }), {
          defaultKind: 'group',
        }),
    },
    {
      title: 'Calls',
      field: 'invocations',
      type: 'numeric',
      render: r => formatInteger(r.invocations),
    },
    {
      title: 'Cost MTD',
      field: 'monthToDateUsd',
      type: 'numeric',
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
      title: 'Projection',
      field: 'projectedMonthEndUsd',
      type: 'numeric',
      render: r =>
        r.projectedMonthEndUsd === null
          ? '–'
          : formatUsd(r.projectedMonthEndUsd),
    },
    {
      title: 'Budget burn',
      field: 'budgetUsedFraction',
      type: 'numeric',
      render: r =>
        r.budgetUsedFraction === null || r.budgetLimitUsd === null ? (
          'no budget'
        ) : (
          <Box minWidth={70}>
            <span title={`of ${formatUsd(r.budgetLimitUsd)}`}>
              {formatPercent(r.budgetUsedFraction)}
            </span>
            <LinearProgress
              variant="determinate"
              value={Math.min(100, r.budgetUsedFraction * 100)}
              color={r.budgetUsedFraction >= 1 ? 'secondary' : 'primary'}
            />
          </Box>
        ),
    },
    {
      title: 'In alarm',
      field: 'alarmsInAlarm',
      type: 'numeric',
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
      }}
      columns={columns}
      data={props.tenants.map(t => ({ ...t, id: t.entityRef }))}
      emptyContent={<Box p={2}>This group owns no Bedrock tenant.</Box>}
    />
  );
};
