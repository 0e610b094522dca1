import { Table, type TableColumn } from '@backstage/core-components';
import {
  modelDisplayName,
  type RegionUsage,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { formatInteger, formatUsd } from '../../lib/format';

interface Row {
  id: string;
  region: string;
  /** undefined on a region's total row */
  modelId?: string;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number | null;
}

const cost = (usd: number | null) =>
  usd === null ? (
    <em title="Some of this traffic has no known price: its cost is not estimated">
      unpriced
    </em>
  ) : (
    formatUsd(usd)
  );

const columns: TableColumn<Row>[] = [
  {
    title: 'Region',
    field: 'region',
    render: row => (row.modelId ? '' : <strong>{row.region}</strong>),
  },
  {
    title: 'Model',
    field: 'modelId',
    render: row =>
      row.modelId ? (
        <span title={row.modelId}>{modelDisplayName(row.modelId)}</span>
      ) : (
        <strong>All models</strong>
      ),
  },
  {
    title: 'Calls',
    field: 'invocations',
    type: 'numeric',
    render: row => formatInteger(row.invocations),
  },
  {
    title: 'Input tokens',
    field: 'inputTokens',
    type: 'numeric',
    render: row => formatInteger(row.inputTokens),
  },
  {
    title: 'Output tokens',
    field: 'outputTokens',
    type: 'numeric',
    render: row => formatInteger(row.outputTokens),
  },
  {
    title: 'Estimated cost',
    field: 'estimatedCostUsd',
    type: 'numeric',
    render: row => cost(row.estimatedCostUsd),
  },
];

/** The range's usage by region (each priced at its region's rates), then by model. */
export const RegionTable = ({ regions }: { regions: RegionUsage[] }) => (
  <Table<Row>
    title="By region"
    options={{
      paging: false,
      search: false,
      sorting: false,
      padding: 'dense',
      draggable: false,
    }}
    columns={columns}
    data={regions.flatMap(r => [
      {
        id: r.region,
        region: r.region,
        invocations: r.invocations,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        estimatedCostUsd: r.estimatedCostUsd,
      },
      ...r.models.map(m => ({
        id: `${r.region}|${m.modelId}`,
        region: r.region,
        ...m,
      })),
    ])}
    emptyContent={
      <div style={{ padding: 16 }}>No invocations in this range.</div>
    }
  />
);
