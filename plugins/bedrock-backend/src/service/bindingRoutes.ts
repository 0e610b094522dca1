import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  BindingSource,
  defaultAlarmPrefix,
  defaultBudgetName,
  TENANT_ID_PATTERN,
  tenantBindingBodySchema,
  TenantBindingInfo,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';
import { BindingStore, TenantBinding } from '../bindings/types';
import { sameRef } from '../bindings/verify';

/** The service principal of the scaffolder, whose bedrock actions record bindings. */
export const SCAFFOLDER_SUBJECT = 'plugin:scaffolder';

export interface BindingRoutesOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  bindings: BindingStore;
  auditor?: AuditorService;
  now?: () => number;
}

/**
 * Who may write bindings: the scaffolder plugin (its provisioning actions; it may create and
 * update a binding but never move one to another entity), and users holding
 * bedrock.binding.manage (admins: adopt, move, remove). Everyone else gets 403.
 */
async function writer(
  o: BindingRoutesOptions,
  credentials: BackstageCredentials,
): Promise<{ source: BindingSource; by: string }> {
  if (o.auth.isPrincipal(credentials, 'service')) {
    if (credentials.principal.subject === SCAFFOLDER_SUBJECT) {
      return { source: 'provisioning', by: SCAFFOLDER_SUBJECT };
    }
    throw new NotAllowedError(
      `Only the scaffolder plugin may record tenant bindings, not ${credentials.principal.subject}`,
    );
  }
  if (o.auth.isPrincipal(credentials, 'user')) {
    const [decision] = await o.permissions.authorize(
      [{ permission: bedrockBindingManagePermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return { source: 'admin', by: credentials.principal.userEntityRef };
    }
  }
  throw new NotAllowedError(
    `Recording tenant bindings needs the permission ${bedrockBindingManagePermission.name} (Bedrock admins)`,
  );
}

function tenantIdOf(params: { tenantId?: string }): string {
  const id = params.tenantId ?? '';
  if (!TENANT_ID_PATTERN.test(id)) {
    throw new InputError(
      `invalid path: "${id}" is not a tenant id: use 3-32 lower-case letters, digits and dashes`,
    );
  }
  return id;
}

const info = (b: TenantBinding): TenantBindingInfo => ({ ...b });

/** GET, PUT and DELETE /bindings/:tenantId. */
export function addBindingRoutes(
  router: express.Router,
  o: BindingRoutesOptions,
) {
  const now = o.now ?? Date.now;

  router.get('/bindings/:tenantId', async (req, res) => {
    const tenantId = tenantIdOf(req.params);
    await writer(o, await o.httpAuth.credentials(req));
    const b = await o.bindings.get(tenantId);
    if (!b) throw new NotFoundError(`No binding records tenant ${tenantId}`);
    res.json(info(b));
  });

  router.put('/bindings/:tenantId', async (req, res) => {
    const tenantId = tenantIdOf(req.params);
    const audit = await o.auditor?.createEvent({
      eventId: 'binding-write',
      severityLevel: 'medium',
      request: req,
      meta: { tenantId },
    });
    try {
      const credentials = await o.httpAuth.credentials(req);
      const who = await writer(o, credentials);
      const body = tenantBindingBodySchema.safeParse(req.body);
      if (!body.success) {
        const issue = body.error.issues[0];
        throw new InputError(
          `invalid binding: ${issue.path.join('.') || 'body'}: ${
            issue.message
          }`,
        );
      }
      const entityRef = stringifyEntityRef(parseEntityRef(body.data.entityRef));
      const current = await o.bindings.get(tenantId);
      if (
        current &&
        who.source === 'provisioning' &&
        !sameRef(current.entityRef, entityRef)
      ) {
        throw new ConflictError(
          `Tenant ${tenantId} is bound to ${current.entityRef}; moving it to ${entityRef} needs a Bedrock admin (the adopt step of the bedrock-tenant-lifecycle template)`,
        );
      }
      const binding: TenantBinding = {
        ...body.data,
        tenantId,
        entityRef,
        alarmPrefix: body.data.alarmPrefix ?? defaultAlarmPrefix(tenantId),
        budgetName: body.data.budgetName ?? defaultBudgetName(tenantId),
        source: who.source,
        updatedAt: new Date(now()).toISOString(),
        updatedBy: who.by,
      };
      await o.bindings.put(binding);
      // absent in the body: the store kept the opt-in it had
      const budgetEnforcement =
        binding.budgetEnforcement === undefined
          ? current?.budgetEnforcement ?? null
          : binding.budgetEnforcement;
      await audit?.success({
        meta: {
          entityRef,
          previousEntityRef: current?.entityRef ?? null,
          source: who.source,
          budgetEnforcement,
        },
      });
      res.json(info({ ...binding, budgetEnforcement }));
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  });

  router.delete('/bindings/:tenantId', async (req, res) => {
    const tenantId = tenantIdOf(req.params);
    const audit = await o.auditor?.createEvent({
      eventId: 'binding-delete',
      severityLevel: 'medium',
      request: req,
      meta: { tenantId },
    });
    try {
      await writer(o, await o.httpAuth.credentials(req));
      const removed = await o.bindings.delete(tenantId);
      await audit?.success({ meta: { removed } });
      res.status(204).end();
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  });
}
