import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  bedrockUsageReadPermission,
  GroupRollup,
  GroupTenantRow,
  isBedrockTenantEntity,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { iso } from '../collector/hours';
import { tenantOf } from '../collector/tenants';
import { entityAuthorizer } from './entityAccess';
import { TimeRange } from './range';
import { SummaryService } from './SummaryService';

/** At most this many groups are visited below a group. */
const MAX_GROUPS = 200;

const title = (e: Entity) => e.metadata.title ?? e.metadata.name;

/** Roll-up of every tenant a group (and optionally its child groups) owns that the caller may read. */
export class GroupRollupService {
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #summary: SummaryService;

  static create(o: {
    catalog: CatalogService;
    permissions: PermissionsService;
    summary: SummaryService;
  }) {
    return new GroupRollupService(o);
  }

  private constructor(o: {
    catalog: CatalogService;
    permissions: PermissionsService;
    summary: SummaryService;
  }) {
    this.#catalog = o.catalog;
    this.#permissions = o.permissions;
    this.#summary = o.summary;
  }

  /** The group and, when asked, its descendants (spec.children / parentOf), as the caller sees them. */
  async #groups(
    group: Entity,
    includeChildren: boolean,
    credentials: BackstageCredentials,
  ) {
    const out = new Map<string, Entity>([[stringifyEntityRef(group), group]]);
    if (!includeChildren) return [...out.keys()];
    let frontier = [group];
    while (frontier.length && out.size < MAX_GROUPS) {
      const childRefs = new Set<string>();
      for (const g of frontier) {
        const ns = g.metadata.namespace ?? 'default';
        for (const c of (g.spec?.children as string[] | undefined) ?? []) {
          childRefs.add(
            stringifyEntityRef(
              parseEntityRef(c, { defaultKind: 'group', defaultNamespace: ns }),
            ),
          );
        }
        for (const r of g.relations ?? [])
          if (r.type === 'parentOf') childRefs.add(r.targetRef);
      }
      const fresh = [...childRefs].filter(r => !out.has(r));
      if (!fresh.length) break;
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: fresh },
        { credentials },
      );
      frontier = items.filter((e): e is Entity => Boolean(e));
      for (const e of frontier) out.set(stringifyEntityRef(e), e);
    }
    return [...out.keys()];
  }

  async rollup(options: {
    group: Entity;
    includeChildren: boolean;
    range: TimeRange;
    credentials: BackstageCredentials;
  }): Promise<GroupRollup> {
    const { group, includeChildren, range, credentials } = options;
    const groupRefs = await this.#groups(group, includeChildren, credentials);
    const owners = groupRefs.flatMap(ref => {
      const { namespace, name } = parseEntityRef(ref);
      return namespace === 'default' ? [ref, `group:${name}`, name] : [ref];
    });
    const { items } = await this.#catalog.getEntities(
      {
        filter: [{ 'relations.ownedBy': groupRefs }, { 'spec.owner': owners }],
      },
      { credentials },
    );
    const owned = new Map<string, Entity>();
    for (const e of items) {
      const ref = stringifyEntityRef(e);
      if (!groupRefs.includes(ref)) owned.set(ref, e);
    }
    const annotated = [...owned].filter(([, e]) => isBedrockTenantEntity(e));
    const unannotated = [...owned]
      .filter(([, e]) => !isBedrockTenantEntity(e) || !tenantOf(e))
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
    const permitted = annotated.flatMap(([entityRef, entity], i) => {
      const tenant = tenantOf(entity);
      return allowed[i] && tenant ? [{ entityRef, entity, tenant }] : [];
    });
    const figures = await this.#summary.rollupFigures(
      permitted.map(p => p.tenant),
      range,
    );
    const rows: GroupTenantRow[] = [];
    let pricedCost = 0;
    for (let i = 0; i < permitted.length; i++) {
      const { entityRef, entity, tenant } = permitted[i];
      const s = figures[i];
      const cost = s.cost.status === 'ok' ? s.cost.data : null;
      const budget = s.budget.status === 'ok' ? s.budget.data : null;
      pricedCost += cost?.rangeEstimatedUsd ?? 0;
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
      });
    }
    const sum = (f: (r: GroupTenantRow) => number | null) =>
      rows.reduce((n, r) => n + (f(r) ?? 0), 0);
    return {
      groupRef: stringifyEntityRef(group),
      includeChildren,
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
        unpricedTenants: rows.filter(r => r.estimatedCostUsd === null).length,
      },
      tenants: rows.sort(
        (a, b) => (b.estimatedCostUsd ?? 0) - (a.estimatedCostUsd ?? 0),
      ),
      unannotated: unannotated.sort((a, b) =>
        a.entityRef.localeCompare(b.entityRef),
      ),
    };
  }
}

/** The owner as a full entity ref (`group:default/team-a`), as spec.owner may be shorthand. */
function ownerRef(entity: Entity): string {
  const relation = entity.relations?.find(r => r.type === 'ownedBy');
  if (relation) return relation.targetRef;
  const owner = String(entity.spec?.owner ?? '');
  if (!owner) return '';
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}
