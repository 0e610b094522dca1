/* The tenant's CloudWatch dashboard: its metrics per model and who called what (from the logs). */
import {
  DeleteDashboardsCommand,
  GetDashboardCommand,
  PutDashboardCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { MANAGED_BY_VALUE } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { isAwsError, orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { sameJson } from '../policies';
import { tagList, type Tags } from './tags';

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

/**
 * The dashboard's widgets. `profiles` are the ModelId dimensions the tenant's traffic is reported
 * under (its profiles, or in account mode the allowed models). An identity tenant shares its
 * account's metrics: it gets only the invocation-log table, filtered on its callers.
 */
export function planDashboardBody(
  target: {
    tenantId: string;
    region: string;
    attribution?: 'inference-profile' | 'account' | 'identity';
    principalArns?: string[];
  },
  profiles: DashboardProfile[],
  logGroupName: string,
): Record<string, unknown> {
  const { region, tenantId } = target;
  const identity = target.attribution === 'identity';
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
  // the logs name a caller that assumed a role by its session: match the role's name in it
  const callers = (target.principalArns ?? []).flatMap(a => {
    const role = /:role\/(?:.*\/)?([^/]+)$/.exec(a)?.[1];
    return [
      `identity.arn = ${JSON.stringify(a)}`,
      ...(role
        ? [`identity.arn like ${JSON.stringify(`:assumed-role/${role}/`)}`]
        : []),
    ];
  });
  let logFilter = ` | filter modelId in [${arns}]`;
  if (identity) logFilter = ` | filter ${callers.join(' or ')}`;
  // the tenant owns the account: every invocation in its logs is the tenant's
  if (target.attribution === 'account') logFilter = '';
  const header = {
    type: 'text',
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown: `# Bedrock tenant ${tenantId}\n${dashboardMarker(tenantId)}`,
    },
  };
  const logTable = (x: number, y: number, width: number) => ({
    type: 'log',
    x,
    y,
    width,
    height: 6,
    properties: {
      title: 'Invocations by caller and model (invocation logs)',
      region,
      view: 'table',
      query:
        `SOURCE '${logGroupName}' | fields @timestamp, identity.arn, modelId${logFilter}` +
        ' | stats sum(input.inputTokenCount) as inTok, sum(output.outputTokenCount) as outTok, count(*) as calls by identity.arn, modelId',
    },
  });
  if (identity) return { widgets: [header, logTable(0, 2, 24)] };
  return {
    widgets: [
      header,
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
      logTable(12, 14, 12),
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

/** `arn:aws:cloudwatch::<account>:dashboard/<name>`: dashboards are global, the ARN has no region. */
export const dashboardArn = (accountId: string, name: string) =>
  `arn:aws:cloudwatch::${accountId}:dashboard/${name}`;

/**
 * Puts the dashboard when its body differs, and tags it when it puts it. CloudWatch cannot list a
 * dashboard by tag, so the suite still recognises its dashboards by the marker widget; the tags
 * serve ownership and cost reports. An endpoint that cannot tag dashboards (moto) answers
 * ResourceNotFound: logged, not fatal.
 */
export async function convergeDashboard(
  aws: CloudWatch & Pick<AwsClients, 'accountId'>,
  dashboard: { name: string; body: Record<string, unknown> },
  tags: Tags,
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
  try {
    await aws.cloudwatch.send(
      new TagResourceCommand({
        ResourceARN: dashboardArn(aws.accountId, dashboard.name),
        Tags: tagList(tags),
      }),
    );
  } catch (e) {
    if (!isAwsError(e, 'ResourceNotFoundException')) throw e;
    log.add(
      `Dashboard ${dashboard.name} left untagged: the endpoint cannot tag dashboards`,
    );
  }
}

export async function removeDashboard(aws: CloudWatch, DashboardName: string) {
  await aws.cloudwatch.send(
    new DeleteDashboardsCommand({ DashboardNames: [DashboardName] }),
  );
}
