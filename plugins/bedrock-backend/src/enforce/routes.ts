import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  EnforcementPlan,
} from '@bedrock-tenancy/plugin-bedrock-common';
import express from 'express';

/**
 * GET /enforcement/plan: what budget enforcement would do for each opted-in tenant right now
 * (suspend, resume, nothing, or why it cannot), with the figures it decides on. It reads AWS (each
 * tenant's role and alarms) and changes nothing. Bedrock admins only (bedrock.binding.manage):
 * it lists every opted-in tenant.
 */
export function addEnforcementRoutes(
  router: express.Router,
  o: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    plan: () => Promise<EnforcementPlan>;
  },
) {
  router.get('/enforcement/plan', async (req, res) => {
    const credentials = await o.httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await o.permissions.authorize(
      [{ permission: bedrockBindingManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The enforcement plan needs the permission ${bedrockBindingManagePermission.name} (Bedrock admins)`,
      );
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json(await o.plan());
  });
}
