import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  bedrockBindingManagePermission,
  BindingSource,
  defaultAlarmPrefix,
  defaultBudgetName,
  TENANT_ID_PATTERN,
  tenantBindingBodySchema,
  TenantBindingInfo,
  tenantChangeCheckSchema,
  TenantChangeDecision,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';
import { z } from 'zod';
import { TenantChangeAuthorizer } from '../bindings/TenantChangeAuthorizer';
import { BindingStore, TenantBinding } from '../bindings/types';
import { ownerOf } from '../bindings/verify';

/** The service principal of the scaffolder, whose bedrock actions record bindings. */
export const SCAFFOLDER_SUBJECT = 'plugin:scaffolder';

export interface BindingRoutesOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  bindings: BindingStore;
  changes: TenantChangeAuthorizer;
  auditor?: AuditorService;
  now?: () => number;
}

/**
 * Who writes a binding, and so which rules apply:
 * - `provisioning`: the scaffolder's actions, on behalf of the person who started the task
 *   (a user token whose actor is the scaffolder): {@link TenantChangeAuthorizer} decides for
 *   that person, and the write never moves a tenant.
 * - `admin`: a user holding bedrock.binding.manage, directly (adopt, move, remove).
 * A service token without a user behind it (the scaffolder's own included) writes nothing.
 */
async function writer(
  o: BindingRoutesOptions,
  credentials: BackstageCredentials,
  options: { adopt?: boolean } = {},
): Promise<{ source: BindingSource; by: string }> {
  if (o.auth.isPrincipal(credentials, 'user')) {
    const { actor, userEntityRef } = credentials.principal;
    if (actor?.subject === SCAFFOLDER_SUBJECT && !options.adopt) {
      return { source: 'provisioning', by: userEntityRef };
    }
    // an admin's adopt, directly or through the scaffolder's adopt action
    if (
      (!actor || actor.subject === SCAFFOLDER_SUBJECT) &&
      (await o.changes.isAdmin(credentials))
    ) {
      return { source: 'admin', by: userEntityRef };
    }
  }
  throw new NotAllowedError(
    `Tenant bindings are recorded by Bedrock admins (${bedrockBindingManagePermission.name}), or by the bedrock:* scaffolder actions on behalf of the person who started the task`,
  );
}

/** DELETE's query from the scaffolder: the account and region of the deleted stack. */
const deleteQuerySchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/),
});

function tenantIdOf(params: { tenantId?: string }): string {
  const id = params.tenantId ?? '';
  if (!TENANT_ID_PATTERN.test(id)) {
    throw new InputError(
      `invalid path: "${id}" is not a tenant id: use 3-32 lower-case letters, digits and dashes`,
    );
  }
  return id;
}

const info = ({
  entityUid: _uid,
  entityOwner,
  ...b
}: TenantBinding): TenantBindingInfo => ({ ...b, owner: entityOwner ?? null });

/** GET, PUT and DELETE /bindings/:tenantId. */
export function addBindingRoutes(
  router: express.Router,
  o: BindingRoutesOptions,
) {
  const now = o.now ?? Date.now;

  router.get('/bindings/:tenantId', async (req, res) => {
    const tenantId = tenantIdOf(req.params);
    const who = await writer(o, await o.httpAuth.credentials(req));
    if (who.source !== 'admin') {
      throw new NotAllowedError(
        `Reading a binding needs ${bedrockBindingManagePermission.name}`,
      );
    }
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
      const who = await writer(o, credentials, {
        adopt: req.query.adopt === 'true',
      });
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
      const { owner, ...fields } = body.data;
      let entity: { uid: string | null; owner: string | null } | undefined;
      if (who.source === 'provisioning') {
        // the person behind the task may make this change: checked again after the AWS work
        const allowed = await o.changes.authorize(
          credentials,
          tenantId,
          {
            change: current ? 'update' : 'create',
            accountId: fields.accountId,
            regions: fields.regions,
            entityRef,
            owner,
            attribution: fields.attribution,
          },
          { ...fields, inferenceProfiles: fields.inferenceProfiles ?? {} },
        );
        // a new binding records its entity; an existing one keeps what it recorded
        if (!current) {
          entity = {
            uid: allowed.entity?.metadata.uid ?? null,
            owner:
              owner ??
              (allowed.entity ? ownerOf(allowed.entity) : null) ??
              null,
          };
        }
      } else {
        // an admin's adopt names the entity as it is now
        const found = await o.changes.read(entityRef, credentials);
        entity = {
          uid: found?.metadata.uid ?? null,
          owner: owner ?? (found ? ownerOf(found) : null) ?? null,
        };
      }
      const binding: TenantBinding = {
        ...fields,
        tenantId,
        entityRef,
        alarmPrefix: fields.alarmPrefix ?? defaultAlarmPrefix(tenantId),
        budgetName: fields.budgetName ?? defaultBudgetName(tenantId),
        source: who.source,
        updatedAt: new Date(now()).toISOString(),
        updatedBy: who.by,
        ...(entity && { entityUid: entity.uid, entityOwner: entity.owner }),
      };
      // a provisioning write never changes the source of an operator's or admin's binding
      await o.bindings.put(
        who.source === 'provisioning' &&
          current &&
          current.source !== 'provisioning'
          ? { ...binding, source: current.source }
          : binding,
      );
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
      res.json(
        info({
          ...binding,
          budgetEnforcement,
          entityOwner: binding.entityOwner ?? current?.entityOwner ?? null,
        }),
      );
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
      const credentials = await o.httpAuth.credentials(req);
      const who = await writer(o, credentials);
      let removed = false;
      let kept: string | undefined;
      if (who.source === 'provisioning') {
        // the deleted stack's account and region: only the stack that is bound unbinds it
        const stack = deleteQuerySchema.safeParse(req.query);
        if (!stack.success) {
          throw new InputError(
            'invalid query: accountId (12 digits) and region (e.g. us-east-1) name the deleted stack',
          );
        }
        const { binding, admin } = await o.changes.authorize(
          credentials,
          tenantId,
          {
            change: 'delete',
            accountId: stack.data.accountId,
            regions: [stack.data.region],
          },
        );
        // what provisioning recorded goes with the stack; an admin's binding only when an
        // admin deletes it; an operator's (bedrock.tenants) stays in the config
        if (
          binding?.source === 'provisioning' ||
          (binding?.source === 'admin' && admin)
        ) {
          removed = await o.bindings.delete(tenantId);
        } else if (binding) {
          kept = `the binding of tenant ${tenantId} is kept: it came from ${binding.source}, and only a Bedrock admin removes it`;
        }
      } else {
        removed = await o.bindings.delete(tenantId);
      }
      await audit?.success({ meta: { removed, by: who.by } });
      res.json({ removed, ...(kept && { kept }) });
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/bindings/:tenantId/check', async (req, res) => {
    const tenantId = tenantIdOf(req.params);
    const credentials = await o.httpAuth.credentials(req);
    await writer(o, credentials);
    const body = tenantChangeCheckSchema.safeParse(req.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      throw new InputError(
        `invalid check: ${issue.path.join('.') || 'body'}: ${issue.message}`,
      );
    }
    const entityRef =
      body.data.entityRef &&
      stringifyEntityRef(parseEntityRef(body.data.entityRef));
    const { admin, bound, owner } = await o.changes.authorize(
      credentials,
      tenantId,
      { ...body.data, ...(entityRef && { entityRef }) },
    );
    const answer: TenantChangeDecision = {
      admin,
      bound,
      ...(owner && { owner }),
    };
    res.json(answer);
  });
}
