/*
 * Bench tenants: a catalog of N tenant components owned by teams under one org group, the
 * config that makes them readable, and their usage written straight into the bedrock plugin's
 * tables (30 days x 3 models of hourly rollups, collection state, budget and alarm snapshots).
 */
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ATTRIBUTION,
  ANNOTATION_INFERENCE_PROFILES,
  ANNOTATION_REGIONS,
  ANNOTATION_TENANT_ID,
} from '@bedrock-tenancy/plugin-bedrock-common';
import fs from 'node:fs';
import knexFactory, { Knex } from 'knex';
import { rewriteDays } from '../../plugins/bedrock-backend/src/database/dailyRollups';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const MODELS = [
  'amazon.nova-lite-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-pro-v1:0',
];
/** tenants per team; the org group has every team as a child */
/**
 * Tenants per team: 20, or more so that there are at most 20 teams. The bench user owns every
 * team, and its token carries one ownership claim per team: with 100 teams (2,000 tenants) the
 * token passed on to the catalog exceeds Node's 16 kB header limit (431).
 */
const teamSize = (n: number) => Math.max(20, Math.ceil(n / 20));
const HOUR = 3_600_000;

export const tenantName = (i: number) => `bench-tenant-${i}`;
export const ORG = 'bench-org';
/** a tenant of another group: the bench user must get 403 for it */
export const FOREIGN = 'bench-foreign';
const teamOf = (i: number, n: number) =>
  `bench-team-${Math.floor(i / teamSize(n))}`;
const teams = (n: number) => Math.max(1, Math.ceil(n / teamSize(n)));

/** How the suite learns which entity is which tenant (one place to change when that changes). */
function tenancyAnnotations(tenantId: string, i: number) {
  return {
    [ANNOTATION_TENANT_ID]: tenantId,
    [ANNOTATION_ACCOUNT_ID]: ACCOUNT,
    [ANNOTATION_REGIONS]: REGION,
    [ANNOTATION_ATTRIBUTION]: 'inference-profile',
    [ANNOTATION_INFERENCE_PROFILES]: MODELS.map(
      (m, k) => `p${i}x${k}=${m}`,
    ).join(','),
  };
}

/** The bindings: operator-configured tenants (`bedrock.tenants`), as the annotations say. */
export function tenancyConfig(n: number): Record<string, unknown> {
  const bound = (name: string, i: number) => ({
    tenantId: name,
    entityRef: `component:default/${name}`,
    accountId: ACCOUNT,
    regions: [REGION],
    attribution: 'inference-profile',
    inferenceProfiles: Object.fromEntries(
      MODELS.map((m, k) => [`p${i}x${k}`, m]),
    ),
  });
  return {
    tenants: [
      ...Array.from({ length: n }, (_, i) => bound(tenantName(i), i)),
      bound(FOREIGN, n),
    ],
  };
}

/** A component owned by `owner`: the tenant of index `i` (annotated as bound), or a plain one without `i`. */
export function component(name: string, owner: string, i?: number) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      ...(i === undefined ? {} : { annotations: tenancyAnnotations(name, i) }),
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

export const group = (name: string, type: string, children: string[] = []) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type, children },
});

/** Writes the catalog file (YAML documents as JSON) and returns the entity count. */
export function writeCatalog(file: string, n: number): number {
  const docs: object[] = [
    group(
      ORG,
      'organization',
      Array.from({ length: teams(n) }, (_, t) => `bench-team-${t}`),
    ),
    ...Array.from({ length: teams(n) }, (_, t) =>
      group(`bench-team-${t}`, 'team'),
    ),
    group('bench-other', 'team'),
    ...Array.from({ length: n }, (_, i) =>
      component(tenantName(i), teamOf(i, n), i),
    ),
    component(FOREIGN, 'bench-other', n),
  ];
  fs.writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return docs.length;
}

/** The guest user's ownership claims: every team under the org, not bench-other. */
export function ownership(n: number) {
  return [
    'user:default/bench-user',
    `group:default/${ORG}`,
    ...Array.from(
      { length: teams(n) },
      (_, t) => `group:default/bench-team-${t}`,
    ),
  ];
}

/**
 * Fills the bedrock plugin's tables (schema `bedrock`) in the database: 30 days of hourly rows
 * per tenant and model up to the current hour (and their daily sums, as the collector keeps
 * them), collection state, budget and alarm snapshots.
 * Returns the number of hourly rows.
 */
export async function fillUsage(knex: Knex, n: number, days = 32) {
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const start = end - days * 24 * HOUR;
  const total = n + 1;
  const inserted = await knex.raw(
    `INSERT INTO bedrock.bedrock_usage_hourly (tenant_id, account_id, region, model_id, hour,
         invocations, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
         client_errors, server_errors, throttles, latency_avg_ms, latency_max_ms, latency_p99_ms)
       SELECT CASE WHEN t = ? THEN ? ELSE 'bench-tenant-' || t END, ?, ?, m.model,
         to_char(h AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00.000"Z"'),
         c.calls, c.calls * 900, c.calls * 200, 0, 0, c.calls % 3, 0, c.calls % 2,
         800, 2400, 2000
       FROM generate_series(0, ? - 1) t
       CROSS JOIN unnest(?::text[]) WITH ORDINALITY AS m(model, k)
       CROSS JOIN generate_series(?::timestamptz, ?::timestamptz, interval '1 hour') h
       CROSS JOIN LATERAL (SELECT 50 + ((t * 7 + k * 3 + (extract(epoch from h) / 3600)::bigint * 13) % 100) AS calls) c`,
    [
      n,
      FOREIGN,
      ACCOUNT,
      REGION,
      total,
      MODELS,
      new Date(start).toISOString(),
      new Date(end - HOUR).toISOString(),
    ],
  );
  // the daily rollups, by the collector's own code
  const bedrock = knexFactory({
    client: 'pg',
    connection: knex.client.config.connection,
    searchPath: ['bedrock'],
    pool: { min: 0, max: 1 },
  });
  try {
    await bedrock.transaction(tx =>
      rewriteDays(tx, {
        tenantIds: [],
        from: new Date(start).toISOString(),
        to: new Date(end).toISOString(),
      }),
    );
  } finally {
    await bedrock.destroy();
  }
  const names = [
    ...Array.from({ length: n }, (_, i) => tenantName(i)),
    FOREIGN,
  ];
  const at = new Date().toISOString();
  const chunks = (size: number) =>
    Array.from({ length: Math.ceil(names.length / size) }, (_, c) =>
      names.slice(c * size, (c + 1) * size),
    );
  for (const chunk of chunks(500)) {
    await knex('bedrock.bedrock_tenant_state').insert(
      chunk.map(id => ({
        tenant_id: id,
        entity_ref: `component:default/${id}`,
        watermark: new Date(end).toISOString(),
        last_collected_at: at,
      })),
    );
    await knex('bedrock.bedrock_snapshots').insert(
      chunk.flatMap(id => [
        {
          kind: 'budget',
          key: id,
          payload: JSON.stringify({
            name: `bedrock-${id}`,
            limitUsd: 500,
            actualSpendUsd: 120,
            forecastedSpendUsd: 310,
            notifications: [
              { percent: 80, type: 'ACTUAL' },
              { percent: 100, type: 'FORECASTED' },
            ],
          }),
          error: null,
          fetched_at: at,
        },
        {
          kind: 'alarms',
          key: id,
          payload: JSON.stringify(
            ['tokens', 'errors'].map(m => ({
              name: `bedrock-${id}-${m}`,
              state: 'OK',
              reason:
                'Threshold Crossed: no datapoints were above the threshold',
              updatedAt: at,
              metricName: m,
              threshold: 1000,
              region: REGION,
              consoleUrl: `https://console.aws.amazon.com/cloudwatch/home?region=${REGION}`,
            })),
          ),
          error: null,
          fetched_at: at,
        },
      ]),
    );
  }
  return inserted.rowCount as number;
}
