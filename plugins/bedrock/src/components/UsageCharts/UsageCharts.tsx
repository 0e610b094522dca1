import { InfoCard } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import type { ReactElement } from 'react';
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
import { formatCompact, formatUsd } from '../../lib/format';
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
  children: ReactElement;
  wide?: boolean;
}) => (
  <Grid item xs={12} md={props.wide ? 12 : 6}>
    <InfoCard title={props.title} noPadding>
      <div
        style={{ width: '100%', height: 260 }}
        aria-label={props.title}
        role="img"
      >
        <ResponsiveContainer>{props.children}</ResponsiveContainer>
      </div>
    </InfoCard>
  </Grid>
);

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

  const perModel = (
    Chart: typeof AreaChart | typeof BarChart | typeof LineChart,
    ids: string[],
    value: Parameters<typeof pivotByModel>[1],
    format: (v: number) => string,
  ) => (
    <Chart data={pivotByModel(series, value)}>
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
          <Line key={id} {...common} stroke={color} dot={false} connectNulls />
        );
      })}
    </Chart>
  );

  return (
    <Grid container spacing={2} data-testid="usage-charts">
      <ChartCard title="Tokens per model">
        {perModel(
          AreaChart,
          modelIds,
          p => p.inputTokens + p.outputTokens,
          formatCompact,
        )}
      </ChartCard>
      <ChartCard title="Invocations per model">
        {perModel(AreaChart, modelIds, p => p.invocations, formatCompact)}
      </ChartCard>
      <ChartCard title="Estimated cost per model">
        {perModel(BarChart, pricedIds, p => p.estimatedCostUsd, formatUsd)}
      </ChartCard>
      <ChartCard title="Average latency (ms)">
        {perModel(LineChart, modelIds, p => p.latencyAvgMs, formatCompact)}
      </ChartCard>
      <ChartCard title="Errors and throttles" wide>
        <BarChart data={errorRows(series)}>
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
