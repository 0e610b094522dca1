import { GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { normalizeModelId } from '@bedrock-tenancy/plugin-bedrock-common';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import { floorHour, iso, windows } from './hours';
import type { Tenant } from './tenants';

/** `arn:aws:sts::A:assumed-role/NAME/SESSION` -> `arn:aws:iam::A:role/NAME`; other ARNs unchanged. */
export function roleArnOf(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(
    arn,
  );
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

const THROTTLING = /throttl/i;
const SERVER =
  /(InternalServer|ServiceUnavailable|ModelError|ModelNotReady|ModelTimeout)/i;

/**
 * Aggregates invocation-log records (schema ModelInvocationLog 1.0) by tenant, model and hour.
 * Only counts and token numbers are read: prompts and responses are never kept or logged.
 */
export function aggregateLogRecords(options: {
  messages: string[];
  tenants: Tenant[];
  accountId: string;
  region: string;
}): HourlyUsageRow[] {
  const byArn = new Map<string, Tenant>();
  for (const t of options.tenants)
    for (const arn of t.principalArns) byArn.set(arn, t);
  const rows = new Map<string, HourlyUsageRow>();
  for (const message of options.messages) {
    let rec: any;
    try {
      rec = JSON.parse(message);
    } catch {
      continue;
    }
    const arn =
      typeof rec?.identity?.arn === 'string'
        ? roleArnOf(rec.identity.arn)
        : undefined;
    const tenant = arn ? byArn.get(arn) : undefined;
    const ts = Date.parse(rec?.timestamp);
    if (!tenant || !Number.isFinite(ts) || typeof rec.modelId !== 'string')
      continue;
    const modelId = normalizeModelId(rec.modelId, tenant.inferenceProfiles);
    const hour = iso(floorHour(ts));
    const key = `${tenant.tenantId}|${modelId}|${hour}`;
    const row =
      rows.get(key) ??
      emptyUsageRow({
        tenantId: tenant.tenantId,
        accountId: options.accountId,
        region: options.region,
        modelId,
        hour,
      });
    const code: string | undefined = rec.errorCode || undefined;
    if (!code) row.invocations++;
    else if (THROTTLING.test(code)) row.throttles++;
    else if (SERVER.test(code)) row.serverErrors++;
    else row.clientErrors++;
    row.inputTokens += Number(rec.input?.inputTokenCount) || 0;
    row.outputTokens += Number(rec.output?.outputTokenCount) || 0;
    row.cacheReadTokens += Number(rec.input?.cacheReadInputTokenCount) || 0;
    row.cacheWriteTokens += Number(rec.input?.cacheWriteInputTokenCount) || 0;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** Reads an account's invocation logs from CloudWatch Logs for identity-attributed tenants. */
export class IdentityLogReader {
  readonly #clients: AwsClientFactory;

  static create(options: { clients: AwsClientFactory }) {
    return new IdentityLogReader(options.clients);
  }

  private constructor(clients: AwsClientFactory) {
    this.#clients = clients;
  }

  async logGroupName(accountId: string, region: string): Promise<string> {
    const bedrock = (await this.#clients.forTarget(accountId, region)).bedrock;
    const res = await bedrock.send(
      new GetModelInvocationLoggingConfigurationCommand({}),
    );
    const name = res?.loggingConfig?.cloudWatchConfig?.logGroupName;
    if (!name) {
      throw new Error(
        `model invocation logging to CloudWatch Logs is not enabled in ${accountId}/${region}: identity attribution needs it`,
      );
    }
    return name;
  }

  async collect(options: {
    accountId: string;
    region: string;
    tenants: Tenant[];
    from: number;
    to: number;
    windowHours: number;
    onWindow: (
      from: number,
      to: number,
      rows: HourlyUsageRow[],
    ) => Promise<void>;
  }): Promise<void> {
    const { accountId, region } = options;
    const logGroupName = await this.logGroupName(accountId, region);
    const logs = (await this.#clients.forTarget(accountId, region)).logs;
    for (const [from, to] of windows(
      options.from,
      options.to,
      options.windowHours,
    )) {
      const messages: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await logs.send(
          new FilterLogEventsCommand({
            logGroupName,
            startTime: from,
            endTime: to - 1,
            nextToken,
          }),
        );
        for (const e of page?.events ?? []) {
          if (e.message && (e.timestamp ?? from) < to) messages.push(e.message);
        }
        nextToken = page?.nextToken;
      } while (nextToken);
      const rows = aggregateLogRecords({
        messages,
        tenants: options.tenants,
        accountId,
        region,
      });
      await options.onWindow(from, to, rows);
    }
  }
}
