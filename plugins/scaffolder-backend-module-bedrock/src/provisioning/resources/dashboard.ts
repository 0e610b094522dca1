/* The tenant's CloudWatch dashboard: its metrics per model and who called what (from the logs). */
import {
  DeleteDashboardsCommand,
  GetDashboardCommand,
  PutDashboardCommand,
} from '@aws-sdk/client-cloudwatch';
import { MANAGED_BY_VALUE } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { sameJson } from '../policies';

export interface DashboardState {
  body: string;
}

/** A profile as the dashboard shows it. */
interface DashboardProfile {
  modelId: string;
  id: string;
  arn: string;
}

type CloudWatch = Pick<AwsClients, 'cloudwatch'>;

/** Text the tenant's dashboard carries, so the suite recognises its own dashboards. */
export const dashboardMarker = (tenantId: string) =>
  `Managed by ${MANAGED_BY_VALUE} for tenant ${tenantId}. Do not edit: changes are overwritten.`;

export function planDashboardBody(
  target: { tenantId: string; region: string },
  profiles: DashboardProfile[],
  logGroupName: string,
): Record<string, unknown> {
  const { region, tenantId } = target;
  const series = (metric: string, stat: string, suffix = '') =>
    profiles.map(p => [
      'AWS/Bedrock',
      metric,
      'ModelId',
      p.id,
      { label: `${p.modelId}${suffix}`, stat },
    ]);
  const widget = (
    title: string,
    metrics: unknown[],
    period: number,
    x: number,
    y: number,
  ) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region,
      view: 'timeSeries',
      stacked: false,
      period,
      metrics,
    },
  });
  const arns = profiles.map(p => JSON.stringify(p.arn)).join(', ');
  return {
    widgets: [
      {
        type: 'text',
        x: 0,
        y: 0,
        width: 24,
        height: 2,
        properties: {
          markdown: `# Bedrock tenant ${tenantId}\n${dashboardMarker(
            tenantId,
          )}`,
        },
      },
      widget('Invocations', series('Invocations', 'Sum'), 300, 0, 2),
      widget(
        'Tokens in / out',
        [
          ...series('InputTokenCount', 'Sum', ' in'),
          ...series('OutputTokenCount', 'Sum', ' out'),
        ],
        300,
        12,
        2,
      ),
      widget(
        'Latency (ms, average)',
        series('InvocationLatency', 'Average'),
        300,
        0,
        8,
      ),
      widget(
        'Client / server errors',
        [
          ...series('InvocationClientErrors', 'Sum', ' client'),
          ...series('InvocationServerErrors', 'Sum', ' server'),
        ],
        300,
        12,
        8,
      ),
      widget('Throttles', series('InvocationThrottles', 'Sum'), 300, 0, 14),
      {
        type: 'log',
        x: 12,
        y: 14,
        width: 12,
        height: 6,
        properties: {
          title: 'Invocations by caller and model (invocation logs)',
          region,
          view: 'table',
          query:
            `SOURCE '${logGroupName}' | fields @timestamp, identity.arn, modelId` +
            ` | filter modelId in [${arns}]` +
            ' | stats sum(input.inputTokenCount) as inTok, sum(output.outputTokenCount) as outTok, count(*) as calls by identity.arn, modelId',
        },
      },
    ],
  };
}

export async function readDashboard(
  aws: CloudWatch,
  DashboardName: string,
): Promise<DashboardState | undefined> {
  const dashboard = await orUndefined(
    () => aws.cloudwatch.send(new GetDashboardCommand({ DashboardName })),
    'ResourceNotFound',
    'ResourceNotFoundException',
  );
  return dashboard && { body: dashboard.DashboardBody ?? '' };
}

/** Dashboards carry no tags: the marker text tells the tenant's from someone else's. */
export function dashboardProblem(
  current: DashboardState | undefined,
  DashboardName: string,
  tenantId: string,
) {
  return current && !current.body.includes(dashboardMarker(tenantId))
    ? `dashboard ${DashboardName} exists but was not made for this tenant`
    : undefined;
}

export async function convergeDashboard(
  aws: CloudWatch,
  dashboard: { name: string; body: Record<string, unknown> },
  current: DashboardState | undefined,
  log: ChangeLog,
) {
  let have: unknown;
  try {
    have = current ? JSON.parse(current.body) : undefined;
  } catch {
    have = undefined;
  }
  if (sameJson(have, dashboard.body)) return;
  await aws.cloudwatch.send(
    new PutDashboardCommand({
      DashboardName: dashboard.name,
      DashboardBody: JSON.stringify(dashboard.body),
    }),
  );
  log.add(`Put dashboard ${dashboard.name}`);
}

export async function removeDashboard(aws: CloudWatch, DashboardName: string) {
  await aws.cloudwatch.send(
    new DeleteDashboardsCommand({ DashboardNames: [DashboardName] }),
  );
}
