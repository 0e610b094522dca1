import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  bedrockUsageReadPermission,
  bedrockUsageRefreshPermission,
  EnforcementPlan,
  RefreshResult,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { Tenant } from '../tenant';
import {
  authorizeEntity,
  entityParamsSchema,
  groupParamsSchema,
  parseParams,
  permittedTenant,
  verifiedTenant,
} from './entityAccess';
import { entityAuthorizer } from '../access/entityAuthorizer';
import { EntityReader } from './EntityReader';
import { BindingStore } from '../bindings/types';
import { addBindingRoutes } from './bindingRoutes';
import { TenantChangeAuthorizer } from '../bindings/TenantChangeAuthorizer';
import { addChargebackRoutes } from './chargebackRoutes';
import { addBudgetIncreaseRoutes } from './budgetIncreaseRoutes';
import type { BudgetIncreaseService } from '../increases/BudgetIncreaseService';
import { addEnforcementRoutes } from '../enforce/routes';
import { GroupRollupService } from './GroupRollupService';
import { resolveRange } from './range';
import { RefreshLimiter } from './RefreshLimiter';
import { SummaryService } from './SummaryService';
import { unavailableErrors } from './unavailable';

export interface RouterOptions {
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  /** the entity reads of the routes (default: the catalog, read every time) */
  entities?: EntityReader;
  summary: SummaryService;
  groups: GroupRollupService;
  bindings: BindingStore;
  /** Re-collects one tenant now. */
  refresh: (tenant: Tenant) => Promise<{ ok: boolean; message?: string }>;
  /** Throws AccountNotConfiguredError when the backend has no credentials for the account. */
  checkAccount: (accountId: string) => Promise<void>;
  limiter: RefreshLimiter;
  /** Records refresh requests (who asked to re-collect what, and the outcome). */
  auditor?: AuditorService;
  /** whether a roll-up without includeChildren counts the child groups (bedrock.rollup.includeChildGroups) */
  includeChildGroups?: boolean;
  /** what budget enforcement would do now, for GET /enforcement/plan; the route is absent without it */
  enforcementPlan?: () => Promise<EnforcementPlan>;
  /** temporary budget increases; their routes are absent without it */
  increases?: BudgetIncreaseService;
  /** the chargeback export's unattributed rows for admins (unattributed/UnattributedService) */
  unattributed?: Parameters<typeof addChargebackRoutes>[1]['unattributed'];
  now?: () => number;
}

/** The most rows a roll-up answers; the totals always count every tenant. */
const MAX_ROLLUP_LIMIT = 2000;

const groupQuerySchema = z
  .object({
    includeChildren: z.enum(['true', 'false']).optional(),
    limit: z
      .string()
      .regex(/^[0-9]+$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_ROLLUP_LIMIT))
      .optional(),
  })
  .passthrough();

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    catalog,
    summary,
    groups,
    limiter,
    logger,
    bindings,
  } = options;
  const entities =
    options.entities ?? EntityReader.create({ catalog, ttlMs: 0 });
  const now = options.now ?? Date.now;
  const includeChildGroups = options.includeChildGroups ?? true;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const changes = TenantChangeAuthorizer.create({
    store: bindings,
    permissions,
    userInfo: options.userInfo,
    catalog,
  });
  addBindingRoutes(router, {
    httpAuth,
    auth: options.auth,
    bindings,
    changes,
    auditor: options.auditor,
    now,
  });

  if (options.increases) {
    addBudgetIncreaseRoutes(router, {
      auth: options.auth,
      httpAuth,
      permissions,
      userInfo: options.userInfo,
      catalog,
      entities,
      bindings,
      changes,
      increases: options.increases,
    });
  }

  addChargebackRoutes(router, {
    httpAuth,
    catalog,
    entities,
    groups,
    includeChildGroups,
    now,
    auditor: options.auditor,
    unattributed: options.unattributed,
  });

  if (options.enforcementPlan) {
    addEnforcementRoutes(router, {
      httpAuth,
      permissions,
      plan: options.enforcementPlan,
    });
  }

  router.get('/entity/:kind/:namespace/:name/summary', async (req, res) => {
    const p = parseParams(entityParamsSchema, req.params);
    const range = resolveRange(req.query, now());
    const tenant = await permittedTenant({
      ref: stringifyEntityRef(p),
      permission: bedrockUsageReadPermission,
      credentials: await httpAuth.credentials(req),
      permissions,
      entities,
      bindings,
      catalog,
    });
    res.type('json').send(await summary.entitySummaryJson(tenant, range));
  });

  router.get('/group/:namespace/:name/rollup', async (req, res) => {
    const p = parseParams(groupParamsSchema, req.params);
    const q = groupQuerySchema.safeParse(req.query);
    if (!q.success) {
      throw new InputError(
        `invalid query: includeChildren must be true or false, limit a whole number from 1 to ${MAX_ROLLUP_LIMIT}`,
      );
    }
    const { includeChildren, limit, ...rangeQuery } = q.data;
    const range = resolveRange(rangeQuery, now());
    const credentials = await httpAuth.credentials(req);
    const group = await entities.read(
      stringifyEntityRef({
        kind: 'group',
        namespace: p.namespace,
        name: p.name,
      }),
      credentials,
    );
    res.json(
      await groups.rollup({
        group,
        includeChildren: includeChildren
          ? includeChildren === 'true'
          : includeChildGroups,
        range,
        credentials,
        limit,
      }),
    );
  });

  router.post('/entity/:kind/:namespace/:name/refresh', async (req, res) => {
    const p = parseParams(entityParamsSchema, req.params);
    const audit = await options.auditor?.createEvent({
      eventId: 'usage-refresh',
      severityLevel: 'low',
      request: req,
      meta: { entityRef: stringifyEntityRef(p) },
    });
    try {
      const credentials = await httpAuth.credentials(req);
      const [entity, authorizer] = await Promise.all([
        entities.read(stringifyEntityRef(p), credentials),
        entityAuthorizer(
          permissions,
          bedrockUsageRefreshPermission,
          credentials,
        ),
      ]);
      const ref = stringifyEntityRef(entity);
      await authorizeEntity(authorizer, bedrockUsageRefreshPermission, entity);
      // the binding's entity is this entity: the permission above was checked on it
      const tenant = await verifiedTenant({
        entity,
        bindings,
        catalog,
        credentials,
      });
      await options.checkAccount(tenant.accountId);
      const wait = await limiter.take(tenant.tenantId);
      if (wait > 0) {
        await audit?.success({ meta: { rateLimited: true } });
        res.setHeader('Retry-After', String(wait));
        res.status(429).json({
          error: {
            name: 'TooManyRequestsError',
            message: `Tenant ${tenant.tenantId} was refreshed moments ago and refreshes are rate-limited per tenant: try again in ${wait} s`,
          },
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 429 },
        });
        return;
      }
      const result = await options.refresh(tenant);
      if (!result.ok) {
        logger.warn('Bedrock refresh failed', {
          entityRef: ref,
          error: result.message,
        });
        throw new ServiceUnavailableError(
          `Could not collect ${ref} from AWS now (${result.message}); the scheduled collector tries again on its next run`,
        );
      }
      const body: RefreshResult = {
        entityRef: ref,
        tenantId: tenant.tenantId,
        collectedAt: new Date(now()).toISOString(),
      };
      await audit?.success();
      res.json(body);
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  });

  // a dependency that is down (PostgreSQL, the catalog) answers 503 with Retry-After, never 500
  router.use(unavailableErrors());
  return router;
}
