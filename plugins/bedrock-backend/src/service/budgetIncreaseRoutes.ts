/* The temporary budget increase routes: a member asks, an admin decides, everyone who reads the tenant sees. */
import type {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  bedrockBindingManagePermission,
  bedrockUsageReadPermission,
  budgetIncreaseDecisionSchema,
  budgetIncreaseRequestSchema,
  type BudgetIncreaseList,
} from '@bedrock-tenancy/plugin-bedrock-common';
import type express from 'express';
import { z } from 'zod';
import type { TenantChangeAuthorizer } from '../bindings/TenantChangeAuthorizer';
import type { BindingStore } from '../bindings/types';
import type { BudgetIncreaseService } from '../increases/BudgetIncreaseService';
import type { Tenant } from '../tenant';
import {
  entityParamsSchema,
  parseParams,
  permittedTenant,
} from './entityAccess';
import type { EntityReader } from './EntityReader';

export interface BudgetIncreaseRouteOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  entities: EntityReader;
  bindings: BindingStore;
  changes: TenantChangeAuthorizer;
  increases: BudgetIncreaseService;
}

const idSchema = z.object({ id: z.string().uuid('a budget increase id') });

/** The first problem of a body, as a 400 the caller can act on. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new InputError(
    `invalid body: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`,
  );
}

export function addBudgetIncreaseRoutes(
  router: express.Router,
  o: BudgetIncreaseRouteOptions,
) {
  const { httpAuth, increases } = o;
  /** the tenant of the entity, when the caller may read it (403/404/409 otherwise) */
  const readTenant = (
    req: express.Request,
    credentials: BackstageCredentials,
  ) =>
    permittedTenant({
      ref: stringifyEntityRef(parseParams(entityParamsSchema, req.params)),
      permission: bedrockUsageReadPermission,
      credentials,
      permissions: o.permissions,
      entities: o.entities,
      bindings: o.bindings,
      catalog: o.catalog,
    });
  /** the person behind the request: only a signed-in user asks or decides */
  const person = async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) => (await o.userInfo.getUserInfo(credentials)).userEntityRef;
  const mayAsk = async (
    credentials: BackstageCredentials,
    tenant: Tenant,
  ): Promise<boolean> => {
    try {
      await o.changes.authorize(credentials, tenant.tenantId, {
        change: 'increase-budget',
        entityRef: tenant.entityRef,
      });
      return true;
    } catch (e) {
      if ((e as Error).name === 'NotAllowedError') return false;
      throw e;
    }
  };

  router.get(
    '/entity/:kind/:namespace/:name/budget-increases',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const tenant = await readTenant(req, credentials);
      const user = o.auth.isPrincipal(credentials, 'user');
      const [list, canRequest, canDecide] = await Promise.all([
        increases.list(tenant),
        user ? mayAsk(credentials, tenant) : false,
        user ? o.changes.isAdmin(credentials) : false,
      ]);
      const answer: BudgetIncreaseList = {
        increases: list,
        canRequest,
        canDecide,
        limits: increases.limits(),
      };
      res.json(answer);
    },
  );

  router.post(
    '/entity/:kind/:namespace/:name/budget-increases',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const tenant = await readTenant(req, credentials);
      // the one rule of every change: the tenant's owners or a Bedrock admin, for this person
      await o.changes.authorize(credentials, tenant.tenantId, {
        change: 'increase-budget',
        entityRef: tenant.entityRef,
      });
      const body = parseBody(budgetIncreaseRequestSchema, req.body);
      const created = await increases.request(tenant, body, {
        person: await person(credentials),
        request: req,
      });
      res.status(201).json(created);
    },
  );

  for (const decision of ['approve', 'decline'] as const) {
    router.post(`/budget-increases/:id/${decision}`, async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const { id } = parseParams(idSchema, req.params);
      if (!(await o.changes.isAdmin(credentials)))
        throw new NotAllowedError(
          `Only Bedrock admins (${bedrockBindingManagePermission.name}) may ${decision} a budget increase`,
        );
      const { note } = parseBody(budgetIncreaseDecisionSchema, req.body);
      const by = { person: await person(credentials), request: req };
      res.json(
        decision === 'approve'
          ? await increases.approve(id, by, note)
          : await increases.decline(id, by, note),
      );
    });
  }
}
