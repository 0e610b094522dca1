import {
  ListGuardrailsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import {
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  defaultGuardrailName,
  GuardrailInfo,
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { UsageStore } from '../database/types';
import {
  accountPolicySeries,
  addGuardrailResult,
  Buckets,
  GUARDRAIL_NAMESPACE,
  GUARDRAIL_WINDOW_DAYS,
  guardrailPolicySeries,
  guardrailQueries,
  GuardrailSeries,
  policyRows,
  totalSeries,
} from './guardrailMetrics';
import { DAY_MS, floorHour, iso } from './hours';
import { groupByAccountRegion, Tenant } from './tenants';

/** Snapshot kind of a tenant's guardrail in one region; key `<tenant id>/<region>`. */
export const GUARDRAIL_SNAPSHOT = 'guardrail';
export const guardrailSnapshotKey = (tenantId: string, region: string) =>
  `${tenantId}/${region}`;

export const NOTES = {
  noSeries:
    'CloudWatch has no figures with this guardrail in the last two weeks: no traffic went through it, or AWS publishes none per guardrail here.',
  sharedAccount:
    'Per policy type, AWS publishes figures for the whole account and region only; this account is shared with other tenants, so they are not shown as this tenant’s.',
  accountScope:
    'Per policy type: the whole account and region (the tenant owns this account).',
  noPolicy: 'CloudWatch has no per-policy figures in this account and region.',
};

interface Found {
  tenant: Tenant;
  guardrailId: string;
  guardrailArn: string;
  name: string;
  version: string | null;
}

const errorText = (e: unknown) =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);

/**
 * The tenants' guardrails and their `AWS/Bedrock/Guardrails` figures, per account and region:
 * ListGuardrails, the tags of the guardrails named for a tenant (only a guardrail the suite
 * tagged for that tenant counts), its versions, one ListMetrics listing and GetMetricData.
 * Stores one snapshot per tenant and region (null payload: no guardrail there).
 */
export class GuardrailCollector {
  readonly #store: UsageStore;
  readonly #clients: AwsClientFactory;
  readonly #logger: LoggerService;
  readonly #now: () => number;

  static create(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    now?: () => number;
  }) {
    return new GuardrailCollector(o);
  }

  private constructor(o: {
    store: UsageStore;
    clients: AwsClientFactory;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#store = o.store;
    this.#clients = o.clients;
    this.#logger = o.logger;
    this.#now = o.now ?? Date.now;
  }

  /** One result per account and region: false when its guardrails could not be read. */
  async collect(tenants: Tenant[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const g of groupByAccountRegion(tenants)) {
      const fetchedAt = iso(this.#now());
      let infos: Map<string, GuardrailInfo | null>;
      let error: string | null = null;
      try {
        infos = await this.collectRegion(g.accountId, g.region, g.tenants);
      } catch (e) {
        error = errorText(e);
        infos = new Map();
        this.#logger.warn('Bedrock guardrail fetch failed', {
          accountId: g.accountId,
          region: g.region,
          error,
        });
      }
      for (const t of g.tenants) {
        await this.#store.putSnapshot({
          kind: GUARDRAIL_SNAPSHOT,
          key: guardrailSnapshotKey(t.tenantId, g.region),
          payload: error ? null : infos.get(t.tenantId) ?? null,
          error,
          fetchedAt,
        });
      }
      out.push(!error);
    }
    return out;
  }

  /** tenant id -> its guardrail in this account and region with figures, or null. */
  async collectRegion(
    accountId: string,
    region: string,
    tenants: Tenant[],
  ): Promise<Map<string, GuardrailInfo | null>> {
    const found = await this.#find(accountId, region, tenants);
    const out = new Map<string, GuardrailInfo | null>(
      tenants.map(t => [t.tenantId, null]),
    );
    if (!found.length) return out;

    const series = await this.#series(accountId, region);
    const accountWide = accountPolicySeries(series);
    const wanted: Array<{ bucket: string; series: GuardrailSeries[] }> = [];
    const byType = (list: GuardrailSeries[], prefix: string) => {
      const types = new Set(list.map(s => s.dimensions.GuardrailPolicyType));
      for (const type of types)
        wanted.push({
          bucket: `${prefix}${type}`,
          series: list.filter(s => s.dimensions.GuardrailPolicyType === type),
        });
    };
    const plans = found.map(f => {
      const totals = totalSeries(series, f.guardrailArn);
      const own = guardrailPolicySeries(series, f.guardrailArn);
      wanted.push({ bucket: `total|${f.guardrailArn}`, series: totals });
      byType(own, `policy|${f.guardrailArn}|`);
      return { f, totals, own };
    });
    const anyAccountScope = plans.some(
      p => !p.own.length && p.f.tenant.attribution === 'account',
    );
    if (anyAccountScope) byType(accountWide, 'account|');

    const until = floorHour(this.#now());
    const buckets = await this.#sums(
      accountId,
      region,
      wanted,
      until - GUARDRAIL_WINDOW_DAYS * DAY_MS,
      until,
    );
    for (const { f, totals, own } of plans) {
      const notes: string[] = [];
      const counts = buckets.get(`total|${f.guardrailArn}`);
      if (!totals.length) notes.push(NOTES.noSeries);
      let byPolicy: GuardrailInfo['byPolicy'] = null;
      if (own.length) {
        byPolicy = {
          scope: 'guardrail',
          policies: policyRows(buckets, `policy|${f.guardrailArn}|`),
        };
      } else if (f.tenant.attribution !== 'account') {
        notes.push(NOTES.sharedAccount);
      } else if (accountWide.length) {
        byPolicy = {
          scope: 'account',
          policies: policyRows(buckets, 'account|'),
        };
        notes.push(NOTES.accountScope);
      } else notes.push(NOTES.noPolicy);
      out.set(f.tenant.tenantId, {
        region,
        guardrailId: f.guardrailId,
        guardrailArn: f.guardrailArn,
        name: f.name,
        version: f.version,
        windowDays: GUARDRAIL_WINDOW_DAYS,
        until: iso(until),
        totals: totals.length
          ? counts ?? { invocations: 0, intervened: 0, textUnits: 0 }
          : null,
        byPolicy,
        notes,
      });
    }
    return out;
  }

  /** The guardrails named for these tenants that the suite tagged for them, with their newest version. */
  async #find(
    accountId: string,
    region: string,
    tenants: Tenant[],
  ): Promise<Found[]> {
    const { bedrock } = await this.#clients.forTarget(accountId, region);
    const byName = new Map(
      tenants.map(t => [defaultGuardrailName(t.tenantId), t]),
    );
    const named: Array<{
      tenant: Tenant;
      id: string;
      arn: string;
      name: string;
    }> = [];
    let nextToken: string | undefined;
    do {
      const page = await bedrock.send(new ListGuardrailsCommand({ nextToken }));
      for (const g of page?.guardrails ?? []) {
        const tenant = g.name ? byName.get(g.name) : undefined;
        if (tenant && g.id && g.arn)
          named.push({ tenant, id: g.id, arn: g.arn, name: g.name! });
      }
      nextToken = page?.nextToken;
    } while (nextToken);

    const found: Found[] = [];
    for (const n of named) {
      const { tags } = await bedrock.send(
        new ListTagsForResourceCommand({ resourceARN: n.arn }),
      );
      const tag = (key: string) => tags?.find(t => t.key === key)?.value;
      if (
        tag(TAG_TENANT) !== n.tenant.tenantId ||
        tag(TAG_MANAGED_BY) !== MANAGED_BY_VALUE
      ) {
        this.#logger.warn(
          'Ignoring a guardrail named for a tenant but not tagged for it by the suite',
          {
            accountId,
            region,
            guardrailArn: n.arn,
            tenantId: n.tenant.tenantId,
          },
        );
        continue;
      }
      const versions: string[] = [];
      let token: string | undefined;
      do {
        const page = await bedrock.send(
          new ListGuardrailsCommand({
            guardrailIdentifier: n.id,
            nextToken: token,
          }),
        );
        for (const v of page?.guardrails ?? [])
          if (v.version && /^\d+$/.test(v.version)) versions.push(v.version);
        token = page?.nextToken;
      } while (token);
      found.push({
        tenant: n.tenant,
        guardrailId: n.id,
        guardrailArn: n.arn,
        name: n.name,
        version: versions.length
          ? String(Math.max(...versions.map(Number)))
          : null,
      });
    }
    return found;
  }

  /** Every guardrail series of the account and region with data in the last two weeks. */
  async #series(accountId: string, region: string): Promise<GuardrailSeries[]> {
    const { cloudwatch: cw } = await this.#clients.forTarget(accountId, region);
    // keyed by metric and dimensions: a listing may name one series more than once (moto does)
    const out = new Map<string, GuardrailSeries>();
    let NextToken: string | undefined;
    do {
      const page = await cw.send(
        new ListMetricsCommand({ Namespace: GUARDRAIL_NAMESPACE, NextToken }),
      );
      for (const m of page?.Metrics ?? []) {
        if (m.Namespace && m.Namespace !== GUARDRAIL_NAMESPACE) continue;
        if (!m.MetricName) continue;
        // queried back in the order listed: moto matches dimensions in that order only
        const dims = (m.Dimensions ?? [])
          .filter(d => d.Name && d.Value !== undefined)
          .map(d => [d.Name!, d.Value!] as [string, string]);
        const key = [...dims].sort(([a], [b]) => a.localeCompare(b));
        out.set(JSON.stringify([m.MetricName, key]), {
          metric: m.MetricName,
          dimensions: Object.fromEntries(dims),
        });
      }
      NextToken = page?.NextToken;
    } while (NextToken);
    return [...out.values()];
  }

  async #sums(
    accountId: string,
    region: string,
    wanted: Array<{ bucket: string; series: GuardrailSeries[] }>,
    from: number,
    to: number,
  ): Promise<Buckets> {
    const buckets: Buckets = new Map();
    const { batches, meta } = guardrailQueries(wanted);
    const { cloudwatch: cw } = await this.#clients.forTarget(accountId, region);
    for (const MetricDataQueries of batches) {
      let NextToken: string | undefined;
      do {
        const res = await cw.send(
          new GetMetricDataCommand({
            StartTime: new Date(from),
            EndTime: new Date(to),
            MetricDataQueries,
            NextToken,
          }),
        );
        for (const r of res?.MetricDataResults ?? [])
          addGuardrailResult(buckets, meta.get(r.Id ?? ''), r.Values ?? []);
        NextToken = res?.NextToken;
      } while (NextToken);
    }
    return buckets;
  }
}
