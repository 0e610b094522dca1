import { Table, type TableColumn } from '@backstage/core-components';
import type { ModelUsage } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  NOT_AVAILABLE,
  formatInteger,
  formatMs,
  formatPercent,
  formatUsd,
} from '../../lib/format';
import { PriceSource } from './PriceSource';

type Row = ModelUsage & { id: string };

/** Sorts unpriced models below every priced one, whichever the direction. */
const byCost = (a: Row, b: Row) =>
  (a.estimatedCostUsd ?? -1) - (b.estimatedCostUsd ?? -1);

const columns: TableColumn<Row>[] = [
  {
    title: 'Model',
    field: 'displayName',
    highlight: true,
    render: row => <span title={row.modelId}>{row.displayName}</span>,
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
    // no defaultSort (the rows come sorted, below): material-table re-applied it on the next
    // render, swallowing the first press on this header (seen with the keyboard in e2e/a11y)
    customSort: byCost,
    render: row =>
      row.priced && row.estimatedCostUsd !== null ? (
        formatUsd(row.estimatedCostUsd)
      ) : (
        <em title="No price is known for this model: its cost is not estimated">
          unpriced
        </em>
      ),
  },
  {
    title: 'Price',
    field: 'prices',
    sorting: false,
    // where each price used came from and from which day (a change in the range: two lines)
    render: row => <PriceSource prices={row.prices} />,
  },
  {
    title: 'Share of cost',
    field: 'costShare',
    type: 'numeric',
    render: row =>
      row.costShare === null ? '–' : formatPercent(row.costShare),
  },
  {
    title: 'Avg latency',
    field: 'latencyAvgMs',
    type: 'numeric',
    render: row =>
      row.latencyAvgMs === null ? NOT_AVAILABLE : formatMs(row.latencyAvgMs),
  },
  {
    title: 'Time to first token',
    field: 'ttftAvgMs',
    type: 'numeric',
    // streaming requests only: a model never streamed has no figure, not 0 ms
    render: row =>
      row.ttftAvgMs === null ? (
        NOT_AVAILABLE
      ) : (
        <span
          title={`average over ${formatInteger(
            row.streamingRequests,
          )} streaming requests; p99 ${
            row.ttftP99Ms === null ? NOT_AVAILABLE : formatMs(row.ttftP99Ms)
          }`}
        >
          {formatMs(row.ttftAvgMs)}
        </span>
      ),
  },
  {
    title: 'Error rate',
    field: 'errorRate',
    type: 'numeric',
    render: row =>
      row.errorRate === null ? NOT_AVAILABLE : formatPercent(row.errorRate),
  },
];

/** Per-model usage of the range, sortable, most expensive first. */
export const ModelTable = ({ models }: { models: ModelUsage[] }) => (
  <div data-testid="model-table">
    <Table<Row>
      title="Models"
      options={{
        paging: false,
        search: false,
        padding: 'dense',
        // column dragging nests a focusable handle in the sort button (axe nested-interactive)
        draggable: false,
      }}
      columns={columns}
      data={models
        .map(m => ({ ...m, id: m.modelId }))
        .sort((a, b) => byCost(b, a))}
      emptyContent={
        <div style={{ padding: 16 }}>No invocations in this range.</div>
      }
    />
  </div>
);
