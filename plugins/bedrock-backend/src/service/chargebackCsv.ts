import type {
  ChargebackExport,
  ChargebackUnattributed,
} from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * The CSV columns. One file, three row types, so a spreadsheet can pivot on any of them:
 * `model` rows (a tenant's usage and estimate per model), `tenant` rows (the tenant's estimate,
 * billed cost and budget: sum these, never the model rows and the tenant rows together) and one
 * `total` row (the roll-up's totals).
 */
export const CHARGEBACK_CSV_COLUMNS = [
  'month',
  'row_type',
  'group',
  'tenant_entity_ref',
  'tenant_title',
  'tenant_id',
  'owner',
  'owner_parent_groups',
  'model_id',
  'model_name',
  'service_tier',
  'invocations',
  'input_tokens',
  'output_tokens',
  'estimated_cost_usd',
  'cost_status',
  'billed_cost_usd',
  'budget_limit_usd',
  // estimate vs bill, tenant and total rows: the days the bill is complete for, compared
  'billing_source',
  'billed_through',
  'reconciled_billed_usd',
  'reconciled_estimated_usd',
  'variance_usd',
  'variance_percent',
  'billing_lag',
] as const;

/** The estimate-vs-bill cells of a tenant or total row; empty without billed figures. */
function varianceCells(
  r:
    | {
        source?: string;
        comparedThrough: string | null;
        billedUsd: number;
        estimatedUsd: number;
        varianceUsd: number;
        variancePercent: number | null;
        lagNote: string;
      }
    | null
    | undefined,
): Cell[] {
  if (!r) return ['', '', null, null, null, null, ''];
  return [
    r.source ?? '',
    r.comparedThrough ?? '',
    r.billedUsd,
    r.estimatedUsd,
    r.varianceUsd,
    r.variancePercent,
    r.lagNote,
  ];
}

type Cell = string | number | null | undefined;

/** Up to 6 decimals, no thousands separator or currency symbol; empty for null. */
function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return String(Number(v.toFixed(6)));
}

/**
 * One text cell: a leading = + - @ (or tab / carriage return) would make a spreadsheet run it as
 * a formula, so such a cell starts with an apostrophe (OWASP "CSV injection"); a cell with a
 * comma, quote or line break is quoted, quotes doubled (RFC 4180).
 */
export function csvText(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const cell = (v: Cell) =>
  typeof v === 'number' || v === null || v === undefined
    ? num(v as number | null)
    : csvText(v);

/** The export as CSV: UTF-8 with a byte-order mark (spreadsheets then read names right), CRLF lines. */
export function chargebackCsv(e: ChargebackExport): string {
  const lines: Cell[][] = [[...CHARGEBACK_CSV_COLUMNS]];
  for (const t of e.tenants) {
    const tenant = [
      e.month,
      '',
      e.groupRef,
      t.entityRef,
      t.title,
      t.tenantId,
      t.owner,
      t.ownerParents.join(';'),
    ];
    for (const m of t.models) {
      lines.push([
        ...tenant.slice(0, 1),
        'model',
        ...tenant.slice(2),
        m.modelId,
        m.displayName,
        m.serviceTier,
        m.invocations,
        m.inputTokens,
        m.outputTokens,
        m.estimatedCostUsd,
        m.estimatedCostUsd === null ? 'unpriced' : 'estimated',
        null,
        null,
        ...varianceCells(null),
      ]);
    }
    lines.push([
      ...tenant.slice(0, 1),
      'tenant',
      ...tenant.slice(2),
      '',
      '',
      '',
      t.invocations,
      t.inputTokens,
      t.outputTokens,
      t.estimatedCostUsd,
      t.costComplete ? 'estimated' : 'partial',
      t.billedCostUsd,
      t.budgetLimitUsd,
      ...varianceCells(t.reconciliation),
    ]);
  }
  for (const u of e.unattributed ?? []) lines.push(unattributedCsvRow(e, u));
  lines.push([
    e.month,
    'total',
    e.groupRef,
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    e.totals.invocations,
    e.totals.inputTokens,
    e.totals.outputTokens,
    e.totals.estimatedCostUsd,
    e.totals.partial ? 'partial' : 'estimated',
    e.totals.billedCostUsd,
    e.totals.budgetLimitUsd,
    ...varianceCells(e.totals.reconciliation),
  ]);
  return `\uFEFF${lines.map(l => l.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * An `unattributed` row (admins' exports only): the usage of one account and region that no bound
 * tenant is attributed, named `unattributed <account>/<region>` in tenant_title. The `tenant`
 * rows plus these equal the accounts' Bedrock usage when the export covers every tenant of those
 * accounts; the `total` row stays the tenants' total.
 */
function unattributedCsvRow(
  e: ChargebackExport,
  u: ChargebackUnattributed,
): Cell[] {
  const values: Partial<Record<(typeof CHARGEBACK_CSV_COLUMNS)[number], Cell>> =
    {
      month: e.month,
      row_type: 'unattributed',
      group: e.groupRef,
      tenant_title: `unattributed ${u.accountId}/${u.region}`,
      invocations: u.invocations,
      input_tokens: u.inputTokens,
      output_tokens: u.outputTokens,
      estimated_cost_usd: u.estimatedCostUsd,
      cost_status: u.costComplete ? 'estimated' : 'partial',
    };
  return CHARGEBACK_CSV_COLUMNS.map(c => values[c] ?? '');
}
