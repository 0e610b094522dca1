import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  bedrockUsageReadPermission,
  GroupRollup,
  GroupTenantRow,
  isBedrockTenantEntity,
  ModelUsage,
  TENANT_ENTITY_KINDS,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { iso } from '../lib/time';
import { Tenant, tenantOf } from '../tenant';
import { BindingStore } from '../bindings/types';
import { verifyTenants } from '../bindings/verify';
import { entityAuthorizer } from '../access/entityAuthorizer';
import { GroupTree, GroupTreeReader } from './GroupTreeReader';
import { ownerRef } from './ownership';
import { MemoCache } from './MemoCache';
import { callerKey } from './PolicyDecisionCache';
import { TimeRange } from './range';
import { monthOfRange, SummaryService, TenantFigures } from './SummaryService';
import { sumReconciliations } from './reconciliation';
import { visiblePart } from './visibleTree';

const title = (e: Entity) => e.metadata.title ?? e.metadata.name;
const mayBeTenant = (e: Entity) =>
  (TENANT_ENTITY_KINDS as readonly string[]).includes(e.kind.toLowerCase());

/** Rows a roll-up answers by default: the most expensive tenants; the totals count them all. */
export const DEFAULT_ROLLUP_LIMIT = 50;

/** What a caller may count of a group: the listing, permission and binding outcome, before figures. */
type RollupAccess = {
  groupRefs: string[];
  unreadableTenants: number;
  permitted: Array<{ entityRef: string; entity: Entity; tenant: Tenant }>;
  unannotated: GroupRollup['unannotated'];
  unverified: GroupRollup['unverified'];
};

/** The roll-up with its detailed rows. */
export type DetailedRollup = Omit<GroupRollup, 'tenants'> & {
  tenants: DetailedTenantRow[];
};

/** A roll-up row with what the chargeback export adds (per-model usage, billed cost). */
export type DetailedTenantRow = GroupTenantRow & {
  models: ModelUsage[];
  billedUsd: number | null;
  /** the priced part of estimatedCostUsd: what the totals count of this tenant */
  pricedCostUsd: number;
};

/** Roll-up of every tenant a group (and optionally its child groups) owns that the caller may read. */
export class GroupRollupService {
  readonly #tree: GroupTreeReader;
  readonly #auth: AuthService;
  readonly #permissions: PermissionsService;
  readonly #summary: SummaryService;
  readonly #bindings: BindingStore;
  /**
   * What each caller may count of a group (the shared tree as the caller's catalog read decision
   * lets it see it, the usage permission and binding outcome), per whole caller identity, group
   * and includeChildren, for `accessTtlMs`: never shared between callers. The figures are not in
   * it: they are read per request by the store's data version, so a collection shows at once.
   */
  readonly #access?: MemoCache<RollupAccess>;
  /**
   * Group trees read with the plugin's own credentials, per group and includeChildren, shared by
   * every caller for `treeTtlMs` and reloaded in the background from half of it: what a caller
   * may read of one is decided per caller from its catalog read decision (visibleTree.ts), so a
   * caller's first roll-up of a 1,000-group tree costs one policy decision, not a catalog walk.
   */
  readonly #trees?: MemoCache<GroupTree>;
  /**
   * Roll-ups assembled from one caller's access outcome (same group, includeChildren) and one
   * set of figures (same tenants, range and data version): while both are reused, so is the
   * roll-up, and it goes when either does. Never mutated by readers.
   */
  readonly #assembled = new WeakMap<
    RollupAccess,
    WeakMap<TenantFigures[], DetailedRollup>
  >();

  static create(o: {
    catalog: CatalogService;
    /** the plugin's own credentials read the shared trees */
    auth: AuthService;
    permissions: PermissionsService;
    summary: SummaryService;
    bindings: BindingStore;
    /** how long a caller's access outcome is reused (bedrock.permissions.decisionCacheSeconds); 0 = never */
    accessTtlMs?: number;
    /** how long a group tree is shared (bedrock.rollup.treeCacheSeconds); 0 = never */
    treeTtlMs?: number;
    /** bedrock.rollup.maxGroups: past it a roll-up is a 400 (default 2000) */
    maxGroups?: number;
    /** bedrock.rollup.maxEntities: past it a roll-up is a 400 (default 20000) */
    maxEntities?: number;
    now?: () => number;
  }) {
    return new GroupRollupService(o);
  }

  private constructor(o: {
    catalog: CatalogService;
    auth: AuthService;
    permissions: PermissionsService;
    summary: SummaryService;
    bindings: BindingStore;
    accessTtlMs?: number;
    treeTtlMs?: number;
    maxGroups?: number;
    maxEntities?: number;
    now?: () => number;
  }) {
    this.#tree = GroupTreeReader.create({
      catalog: o.catalog,
      maxGroups: o.maxGroups,
      maxEntities: o.maxEntities,
    });
    this.#auth = o.auth;
    this.#permissions = o.permissions;
    this.#summary = o.summary;
    this.#bindings = o.bindings;
    if (o.accessTtlMs && o.accessTtlMs > 0) {
      this.#access = new MemoCache({
        ttlMs: o.accessTtlMs,
        // a busy caller's listing (seconds for 2,000 entities) reloads before it expires
        refreshAfterMs: o.accessTtlMs / 2,
        maxEntries: 1000,
        now: o.now,
      });
    }
    if (o.treeTtlMs && o.treeTtlMs > 0) {
      this.#trees = new MemoCache({
        ttlMs: o.treeTtlMs,
        refreshAfterMs: o.treeTtlMs / 2,
        // each tree holds at most bedrock.rollup.maxEntities entities
        maxEntries: 16,
        now: o.now,
      });
    }
  }

  /**
   * The roll-up as the card draws it: totals over every tenant, and the `limit` most expensive
   * rows (`tenantCount` counts them all, `truncated` tells that some were left out); the
   * unannotated and unverified entities by ref, at most `limit` of each, with their counts.
   */
  async rollup(options: {
    group: Entity;
    includeChildren: boolean;
    range: TimeRange;
    credentials: BackstageCredentials;
    limit?: number;
  }): Promise<GroupRollup> {
    const { group, includeChildren, range, credentials } = options;
    const limit = options.limit ?? DEFAULT_ROLLUP_LIMIT;
    const rollup = await this.#rollup(
      group,
      includeChildren,
      range,
      credentials,
    );
    return {
      ...rollup,
      tenantCount: rollup.tenants.length,
      truncated: rollup.tenants.length > limit,
      tenants: rollup.tenants
        .slice(0, limit)
        .map(({ models, billedUsd, pricedCostUsd, ...row }) => row),
      // a department's thousands of components without annotations are counted, listed in part
      unannotated: rollup.unannotated.slice(0, limit),
      unannotatedCount: rollup.unannotated.length,
      unverified: rollup.unverified.slice(0, limit),
      unverifiedCount: rollup.unverified.length,
    };
  }

  /** The roll-up with, per tenant, its usage per model and its billed cost: the chargeback export's input. */
  async detailedRollup(options: {
    group: Entity;
    includeChildren: boolean;
    range: TimeRange;
    credentials: BackstageCredentials;
  }): Promise<DetailedRollup> {
    const { group, includeChildren, range, credentials } = options;
    return this.#rollup(group, includeChildren, range, credentials);
  }

  /** The caller's access outcome, reused per whole caller identity for a few seconds. */
  #accessOf(
    group: Entity,
    includeChildren: boolean,
    credentials: BackstageCredentials,
  ): Promise<RollupAccess> {
    const caller = callerKey(credentials);
    const load = () => this.#loadAccess(group, includeChildren, credentials);
    if (!this.#access || !caller) return load();
    return this.#access.get(
      JSON.stringify([caller, stringifyEntityRef(group), includeChildren]),
      load,
    );
  }

  /** The whole tree, read in bounded catalog requests with the plugin's own credentials. */
  #treeOf(group: Entity, includeChildren: boolean): Promise<GroupTree> {
    const load = async () =>
      this.#tree.read({
        group,
        includeChildren,
        credentials: await this.#auth.getOwnServiceCredentials(),
      });
    if (!this.#trees) return load();
    return this.#trees.get(
      JSON.stringify([stringifyEntityRef(group), includeChildren]),
      load,
    );
  }

  async #loadAccess(
    group: Entity,
    includeChildren: boolean,
    credentials: BackstageCredentials,
  ): Promise<RollupAccess> {
    // the tree and what it owns, as the caller may read them
    const [tree, canRead] = await Promise.all([
      this.#treeOf(group, includeChildren),
      entityAuthorizer(
        this.#permissions,
        catalogEntityReadPermission,
        credentials,
      ),
    ]);
    const { groupRefs, owned } = await visiblePart(tree, canRead);
    const annotated = [...owned].filter(([, e]) => isBedrockTenantEntity(e));
    // a System or an API is not meant to be a tenant: only tenant kinds lack the annotations
    const unannotated = [...owned]
      .filter(([, e]) =>
        isBedrockTenantEntity(e) ? !tenantOf(e) : mayBeTenant(e),
      )
      .map(([entityRef, e]) => ({ entityRef, title: title(e), kind: e.kind }));
    const allowed = annotated.length
      ? await (
          await entityAuthorizer(
            this.#permissions,
            bedrockUsageReadPermission,
            credentials,
          )
        )(annotated.map(([, e]) => e))
      : [];
    const unreadableTenants = allowed.filter(a => !a).length;
    const readable = annotated.flatMap(([entityRef, entity], i) => {
      const claimed = tenantOf(entity);
      return allowed[i] && claimed ? [{ entityRef, entity, claimed }] : [];
    });
    // only a binding of the entity itself brings figures: copies are listed apart, never summed
    const verdicts = await verifyTenants(
      this.#bindings,
      readable.map(r => ({
        entityRef: r.entityRef,
        tenant: r.claimed,
        entity: r.entity,
      })),
    );
    const permitted: Array<{
      entityRef: string;
      entity: Entity;
      tenant: Tenant;
    }> = [];
    const unverified: GroupRollup['unverified'] = [];
    for (const r of readable) {
      const v = verdicts.get(r.entityRef)!;
      if (v.verified) permitted.push({ ...r, tenant: v.tenant });
      else
        unverified.push({
          entityRef: r.entityRef,
          title: title(r.entity),
          kind: r.entity.kind,
          reason: v.reason,
        });
    }
    return { groupRefs, unreadableTenants, permitted, unannotated, unverified };
  }

  async #rollup(
    group: Entity,
    includeChildren: boolean,
    range: TimeRange,
    credentials: BackstageCredentials,
  ): Promise<DetailedRollup> {
    const access = await this.#accessOf(group, includeChildren, credentials);
    const figures = await this.#summary.rollupFigures(
      access.permitted.map(p => p.tenant),
      range,
    );
    let byFigures = this.#assembled.get(access);
    if (!byFigures) this.#assembled.set(access, (byFigures = new WeakMap()));
    let rollup = byFigures.get(figures);
    if (!rollup) {
      rollup = this.#assemble(group, includeChildren, range, access, figures);
      byFigures.set(figures, rollup);
    }
    return rollup;
  }

  #assemble(
    group: Entity,
    includeChildren: boolean,
    range: TimeRange,
    access: RollupAccess,
    figures: TenantFigures[],
  ): DetailedRollup {
    const { groupRefs, unreadableTenants, permitted, unannotated, unverified } =
      access;
    const rows: DetailedTenantRow[] = [];
    let pricedCost = 0;
    let costFailed = 0;
    for (let i = 0; i < permitted.length; i++) {
      const { entityRef, entity, tenant } = permitted[i];
      const s = figures[i];
      const cost = s.cost.status === 'ok' ? s.cost.data : null;
      const budget = s.budget.status === 'ok' ? s.budget.data : null;
      pricedCost += cost?.rangeEstimatedUsd ?? 0;
      if (!cost) costFailed++;
      rows.push({
        entityRef,
        title: title(entity),
        tenantId: tenant.tenantId,
        owner: ownerRef(entity),
        invocations: s.totals.invocations,
        inputTokens: s.totals.inputTokens,
        outputTokens: s.totals.outputTokens,
        estimatedCostUsd: s.totals.estimatedCostUsd,
        monthToDateUsd: cost?.monthToDateUsd ?? null,
        projectedMonthEndUsd: cost?.projectedMonthEndUsd ?? null,
        budgetLimitUsd: budget?.limitUsd ?? null,
        budgetUsedFraction: budget?.usedFraction ?? null,
        alarmsInAlarm:
          s.alarms.status === 'ok'
            ? s.alarms.data.filter(a => a.state === 'ALARM').length
            : 0,
        reconciliation: s.reconciliation ?? null,
        models: s.models ?? [],
        billedUsd: s.billedUsd ?? null,
        pricedCostUsd: cost?.rangeEstimatedUsd ?? 0,
      });
    }
    const sum = (f: (r: GroupTenantRow) => number | null) =>
      rows.reduce((n, r) => n + (f(r) ?? 0), 0);
    const unpricedTenants = rows.filter(
      r => r.estimatedCostUsd === null,
    ).length;
    const reasons = [
      unpricedTenants
        ? `${unpricedTenants} tenant(s) use models without a price: only their priced traffic is counted`
        : '',
      costFailed
        ? `the cost of ${costFailed} tenant(s) could not be computed: not counted`
        : '',
    ].filter(Boolean);
    return {
      groupRef: stringifyEntityRef(group),
      includeChildren,
      groups: groupRefs,
      unreadableTenants,
      range: { from: iso(range.from), to: iso(range.to) },
      totals: {
        tenants: rows.length,
        invocations: sum(r => r.invocations),
        inputTokens: sum(r => r.inputTokens),
        outputTokens: sum(r => r.outputTokens),
        // priced traffic only; tenants with unpriced models are counted in unpricedTenants
        estimatedCostUsd: pricedCost,
        monthToDateUsd: sum(r => r.monthToDateUsd),
        projectedMonthEndUsd: sum(r => r.projectedMonthEndUsd),
        budgetLimitUsd: sum(r => r.budgetLimitUsd),
        alarmsInAlarm: sum(r => r.alarmsInAlarm),
        unpricedTenants,
        partial: reasons.length > 0,
        partialReason: reasons.length ? reasons.join('; ') : null,
        reconciliation: sumReconciliations(
          rows.map(r => r.reconciliation),
          monthOfRange(range) ?? '',
        ),
      },
      tenants: rows.sort(
        (a, b) => (b.estimatedCostUsd ?? 0) - (a.estimatedCostUsd ?? 0),
      ),
      // copies: the cached access outcome is never mutated
      unannotated: [...unannotated].sort((a, b) =>
        a.entityRef.localeCompare(b.entityRef),
      ),
      unverified: [...unverified].sort((a, b) =>
        a.entityRef.localeCompare(b.entityRef),
      ),
    };
  }
}
