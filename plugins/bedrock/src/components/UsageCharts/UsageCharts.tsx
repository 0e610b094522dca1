import { useState, type ReactElement } from 'react';
import { InfoCard } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { EntitySummary } from '@bedrock-tenancy/plugin-bedrock-common';
import { modelDisplayName } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  formatCompact,
  formatInteger,
  formatMs,
  formatUsd,
} from '../../lib/format';
import { ChartDataTable } from './ChartDataTable';
import {
  chartTable,
  describeChart,
  type ChartSeries,
  type ChartTable,
} from './chartText';
import { errorRows, pivotByModel, type PivotRow } from './pivot';

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
];

const tick = (granularity: 'hour' | 'day') => (iso: string) =>
  granularity === 'hour' ? iso.slice(11, 16) : iso.slice(5, 10);

const ChartCard = (props: {
  title: string;
  /** what the chart shows, in one sentence (its text alternative) */
  summary: string;
  /** the same points as a table, shown instead of the chart on request */
  table: ChartTable;
  children: ReactElement;
  wide?: boolean;
}) => {
  const [asTable, setAsTable] = useState(false);
  const id = `bedrock-chart-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <Grid item xs={12} md={props.wide ? 12 : 6}>
      <InfoCard
        title={props.title}
        noPadding
        action={
          <Button
            size="small"
            aria-controls={id}
            onClick={() => setAsTable(v => !v)}
          >
            {asTable ? 'Show as chart' : 'Show as table'}
          </Button>
        }
      >
        <Typography
          variant="body2"
          component="p"
          style={{ padding: '0 16px' }}
          data-testid="chart-summary"
        >
          {props.summary}
        </Typography>
        <div id={id}>
          {asTable ? (
            <ChartDataTable title={props.title} table={props.table} />
          ) : (
            <div
              style={{ width: '100%', height: 260 }}
              aria-label={`${props.title}. ${props.summary}`}
              role="img"
            >
              <ResponsiveContainer>{props.children}</ResponsiveContainer>
            </div>
          )}
        </div>
      </InfoCard>
    </Grid>
  );
};

/** Usage over time: tokens, invocations, cost per model, latency, errors and throttles. */
export const UsageCharts = ({ summary }: { summary: EntitySummary }) => {
  const { series, models, range } = summary;
  const names = new Map(models.map(m => [m.modelId, m.displayName]));
  const modelIds = [...new Set(series.map(p => p.modelId))];
  const nameOf = (id: string) => names.get(id) ?? modelDisplayName(id);
  const pricedIds = modelIds.filter(
    id => models.find(m => m.modelId === id)?.priced !== false,
  );
  const x = (
    <XAxis dataKey="timestamp" tickFormatter={tick(range.granularity)} />
  );

  /** A chart of one value per model, with its sentence and its table of the same points. */
  const perModel = (o: {
    title: string;
    Chart: typeof AreaChart | typeof BarChart | typeof LineChart;
    ids: string[];
    value: Parameters<typeof pivotByModel>[1];
    /** for the axis, the tooltip and the sentence */
    format: (v: number) => string;
    /** the exact figure, for the table */
    exact: (v: number) => string;
    aggregate?: 'sum' | 'mean';
  }) => {
    const { Chart, ids, format } = o;
    const rows = pivotByModel(series, o.value);
    const drawn: ChartSeries[] = ids.map(id => ({ key: id, name: nameOf(id) }));
    return (
      <ChartCard
        title={o.title}
        summary={describeChart(rows, drawn, format, o.aggregate)}
        table={chartTable(rows, drawn, o.exact)}
      >
        <Chart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          {x}
          <YAxis tickFormatter={format} />
          <Tooltip formatter={(v: number) => format(v)} />
          <Legend />
          {ids.map((id, i) => {
            const common = {
              // model ids hold dots, which recharts would read as a path: use a function
              dataKey: (row: PivotRow) => row[id],
              name: nameOf(id),
              isAnimationActive: false,
            };
            const color = COLORS[i % COLORS.length];
            if (Chart === AreaChart)
              return (
                <Area
                  key={id}
                  {...common}
                  stackId="1"
                  stroke={color}
                  fill={color}
                />
              );
            if (Chart === BarChart)
              return <Bar key={id} {...common} stackId="1" fill={color} />;
            return (
              <Line
                key={id}
                {...common}
                stroke={color}
                dot={false}
                connectNulls
              />
            );
          })}
        </Chart>
      </ChartCard>
    );
  };

  const errors = errorRows(series);
  const errorSeries: ChartSeries[] = [
    { key: 'clientErrors', name: 'Client errors' },
    { key: 'serverErrors', name: 'Server errors' },
    { key: 'throttles', name: 'Throttles' },
  ];

  return (
    <Grid container spacing={2} data-testid="usage-charts">
      {perModel({
        title: 'Tokens per model',
        Chart: AreaChart,
        ids: modelIds,
        value: p => p.inputTokens + p.outputTokens,
        format: formatCompact,
        exact: formatInteger,
      })}
      {perModel({
        title: 'Invocations per model',
        Chart: AreaChart,
        ids: modelIds,
        value: p => p.invocations,
        format: formatCompact,
        exact: formatInteger,
      })}
      {perModel({
        title: 'Estimated cost per model',
        Chart: BarChart,
        ids: pricedIds,
        value: p => p.estimatedCostUsd,
        format: formatUsd,
        exact: formatUsd,
      })}
      {perModel({
        title: 'Average latency (ms)',
        Chart: LineChart,
        ids: modelIds,
        value: p => p.latencyAvgMs,
        format: formatCompact,
        exact: formatMs,
        aggregate: 'mean',
      })}
      <ChartCard
        title="Errors and throttles"
        wide
        summary={describeChart(errors, errorSeries, formatInteger)}
        table={chartTable(errors, errorSeries, formatInteger)}
      >
        <BarChart data={errors}>
          <CartesianGrid strokeDasharray="3 3" />
          {x}
          <YAxis />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="clientErrors"
            name="Client errors"
            isAnimationActive={false}
            stackId="e"
            fill="#ff7f0e"
          />
          <Bar
            dataKey="serverErrors"
            name="Server errors"
            isAnimationActive={false}
            stackId="e"
            fill="#d62728"
          />
          <Bar
            dataKey="throttles"
            name="Throttles"
            fill="#9467bd"
            isAnimationActive={false}
          />
        </BarChart>
      </ChartCard>
    </Grid>
  );
};
