import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CHARGEBACK_MONTH_PATTERN,
  ChargebackExport,
  ChargebackUnattributed,
  splitServiceTier,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { floorHour, HOUR_MS, iso } from '../lib/time';
import type { DetailedRollup } from './GroupRollupService';
import { entitiesByRefs } from './GroupTreeReader';
import type { TimeRange } from './range';

/** Parent groups are followed up to this depth (a cycle in the catalog cannot loop). */
const MAX_PARENT_DEPTH = 20;
/** What the walk reads of a group: its ref, spec.parent and the childOf relation. */
const PARENT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.parent',
  'relations',
];

/**
 * The hours of a calendar month (UTC): the whole month, or up to the end of the current hour for
 * the current month. A month that has not started is a 400.
 */
export function monthRange(month: string, now: number): TimeRange {
  if (!CHARGEBACK_MONTH_PATTERN.test(month))
    throw new InputError(
      `invalid month "${month}": use YYYY-MM, e.g. ${iso(now).slice(0, 7)}`,
    );
  const [y, m] = month.split('-').map(Number);
  const from = Date.UTC(y, m - 1, 1);
  const to = Math.min(Date.UTC(y, m, 1), floorHour(now) + HOUR_MS);
  if (to <= from) throw new InputError(`month ${month} has not started yet`);
  return { from, to };
}

/**
 * Each owner's parent groups, nearest first (spec.parent, or the childOf relation), read with
 * the caller's credentials, level by level in batches of bounded size: a parent the caller
 * cannot see ends the chain.
 */
export async function ownerParents(
  catalog: CatalogService,
  owners: string[],
  credentials: BackstageCredentials,
): Promise<Map<string, string[]>> {
  const known = new Map<string, Entity | null>();
  const parentOf = (e: Entity | null | undefined): string | null => {
    if (!e) return null;
    const rel = e.relations?.find(r => r.type === 'childOf')?.targetRef;
    if (rel) return rel;
    const parent = e.spec?.parent as string | undefined;
    if (!parent) return null;
    return stringifyEntityRef(
      parseEntityRef(parent, {
        defaultKind: 'group',
        defaultNamespace: e.metadata.namespace ?? 'default',
      }),
    );
  };
  let wanted = [...new Set(owners.filter(Boolean))];
  for (let depth = 0; depth <= MAX_PARENT_DEPTH && wanted.length; depth++) {
    const items = await entitiesByRefs(
      catalog,
      wanted,
      credentials,
      PARENT_FIELDS,
    );
    wanted.forEach((ref, i) => known.set(ref, items[i] ?? null));
    wanted = [
      ...new Set(
        items
          .map(parentOf)
          .filter((r): r is string => Boolean(r) && !known.has(r!)),
      ),
    ];
  }
  const out = new Map<string, string[]>();
  for (const owner of new Set(owners)) {
    const chain: string[] = [];
    let next = parentOf(known.get(owner));
    while (next && !chain.includes(next) && chain.length < MAX_PARENT_DEPTH) {
      chain.push(next);
      next = parentOf(known.get(next));
    }
    out.set(owner, chain);
  }
  return out;
}

/** The export of one month, from the detailed roll-up of that month for the same caller. */
export function buildChargeback(o: {
  rollup: DetailedRollup;
  month: string;
  parents: Map<string, string[]>;
  now: number;
  /** admins only: the month's unattributed usage per account and region */
  unattributed?: ChargebackUnattributed[];
}): ChargebackExport {
  const { rollup } = o;
  const billed = rollup.tenants.map(t => t.billedUsd);
  return {
    groupRef: rollup.groupRef,
    month: o.month,
    range: rollup.range,
    includeChildren: rollup.includeChildren,
    groups: rollup.groups ?? [rollup.groupRef],
    currency: 'USD',
    generatedAt: iso(o.now),
    totals: {
      ...rollup.totals,
      billedCostUsd: billed.some(b => b !== null)
        ? billed.reduce<number>((s, b) => s + (b ?? 0), 0)
        : null,
    },
    tenants: rollup.tenants.map(t => ({
      entityRef: t.entityRef,
      title: t.title,
      tenantId: t.tenantId,
      owner: t.owner,
      ownerParents: o.parents.get(t.owner) ?? [],
      invocations: t.invocations,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      // the priced part, as the roll-up's total counts it
      estimatedCostUsd: t.pricedCostUsd,
      costComplete: t.estimatedCostUsd !== null,
      billedCostUsd: t.billedUsd,
      budgetLimitUsd: t.budgetLimitUsd,
      reconciliation: t.reconciliation ?? null,
      models: t.models.map(m => ({
        modelId: m.modelId,
        displayName: m.displayName,
        serviceTier: splitServiceTier(m.modelId).tier,
        invocations: m.invocations,
        inputTokens: m.inputTokens,
        outputTokens: m.outputTokens,
        estimatedCostUsd: m.estimatedCostUsd,
      })),
    })),
    unreadableTenants: rollup.unreadableTenants ?? 0,
    unverified: rollup.unverified,
    ...(o.unattributed ? { unattributed: o.unattributed } : {}),
  };
}

/**
 * The chargeback export of `month` for this caller: the group read with the caller's
 * credentials (404 when the catalog hides it), its detailed roll-up for the same caller (tenants
 * the caller may not read are left out and counted), with the owners' parent groups. What the
 * download route and the chargeback action answer.
 */
export async function groupChargeback(o: {
  catalog: CatalogService;
  entities: { read(ref: string, c: BackstageCredentials): Promise<Entity> };
  groups: {
    detailedRollup(options: {
      group: Entity;
      includeChildren: boolean;
      range: TimeRange;
      credentials: BackstageCredentials;
    }): Promise<DetailedRollup>;
  };
  groupRef: string;
  month: string;
  includeChildren: boolean;
  credentials: BackstageCredentials;
  now: number;
  /**
   * The unattributed usage of the range for an admin, undefined for anyone else (whose export
   * then has no `unattributed`): see unattributed/UnattributedService.
   */
  unattributed?: (
    credentials: BackstageCredentials,
    range: TimeRange,
  ) => Promise<ChargebackUnattributed[] | undefined>;
}): Promise<ChargebackExport> {
  const range = monthRange(o.month, o.now);
  const group = await o.entities.read(o.groupRef, o.credentials);
  const rollup = await o.groups.detailedRollup({
    group,
    includeChildren: o.includeChildren,
    range,
    credentials: o.credentials,
  });
  const parents = await ownerParents(
    o.catalog,
    rollup.tenants.map(t => t.owner),
    o.credentials,
  );
  const unattributed = await o.unattributed?.(o.credentials, range);
  return buildChargeback({
    rollup,
    month: o.month,
    parents,
    now: o.now,
    unattributed,
  });
}
