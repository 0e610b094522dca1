/* TEST-ONLY: the scaffolder, the catalog and the bedrock backend with this module, on moto. */
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  bedrockBindingManagePermission,
  bedrockTenantManagePermission,
  bedrockUsageReadPermission,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { EMULATOR_CREDENTIALS } from '@bedrock-tenancy/aws-emulator';
import { scaffolderModuleBedrock } from '../module';
import { REGION, TestEnv, TEST_CONFIG } from './testEnv';

export const TEMPLATES = path.resolve(
  __dirname,
  '../../../../templates/all.yaml',
);

/**
 * The auth service of a real backend as far as the bindings need it: a plugin's request on
 * behalf of a user carries that plugin as the actor (the mock service drops it).
 */
const actorAuth = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => auth.authenticate(token, options),
      isPrincipal: ((credentials: any, type: any) =>
        auth.isPrincipal(credentials, type)) as typeof auth.isPrincipal,
      getNoneCredentials: () => auth.getNoneCredentials(),
      getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
      getLimitedUserToken: credentials => auth.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => auth.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const { principal } = options.onBehalfOf as any;
        if (principal.type !== 'user')
          return auth.getPluginRequestToken(options);
        return {
          token: mockCredentials.user.token(principal.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          }),
        };
      },
    };
  },
});

/**
 * The demo portal's policy in short: admins (group platform) may everything; a tenant's usage
 * and changes are its entity's owners'; bindings are the admins'.
 */
function policyModule(admins: string[]) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: {
          policy: policyExtensionPoint,
          userInfo: coreServices.userInfo,
        },
        async init({ policy, userInfo }) {
          policy.setPolicy({
            async handle(request, user) {
              const { permission } = request;
              const owned = [
                bedrockUsageReadPermission,
                bedrockTenantManagePermission,
              ].some(p => isPermission(permission, p));
              const admin = isPermission(
                permission,
                bedrockBindingManagePermission,
              );
              if (!owned && !admin) return { result: AuthorizeResult.ALLOW };
              if (!user) return { result: AuthorizeResult.DENY };
              const { ownershipEntityRefs: claims } =
                await userInfo.getUserInfo(user.credentials);
              if (claims.some(c => admins.includes(c)))
                return { result: AuthorizeResult.ALLOW };
              if (admin) return { result: AuthorizeResult.DENY };
              return createCatalogConditionalDecision(
                permission as ResourcePermission<'catalog-entity'>,
                catalogConditions.isEntityOwner({ claims }),
              );
            },
          });
        },
      });
    },
  });
}

export interface Portal {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The backend of a portal: the scaffolder with this module, the catalog (the templates and the
 * provisioned directory), the bedrock backend receiving the bindings. With `groups`, the
 * permission framework is on with the demo policy, users belonging to these groups.
 */
export async function startPortal(o: {
  env: TestEnv;
  provisioned: string;
  /** user ref -> the groups it belongs to; `group:default/platform` is the admins' */
  groups?: Record<string, string[]>;
  /** more catalog locations (files) */
  locations?: string[];
}): Promise<Portal> {
  const groups = o.groups;
  const backend = await startTestBackend({
    features: [
      // hoisted from packages/backend; see the README (not declared here: the lead adds them as devDependencies)
      require('@backstage/plugin-scaffolder-backend').default,
      require('@backstage/plugin-catalog-backend').default,
      require('@backstage/plugin-catalog-backend-module-scaffolder-entity-model')
        .default,
      scaffolderModuleBedrock,
      // receives the bindings the actions record (a workspace package; declaring it would only
      // change the lockfile)
      // eslint-disable-next-line @backstage/no-undeclared-imports
      require('@bedrock-tenancy/plugin-bedrock-backend').default,
      actorAuth,
      ...(groups
        ? [
            require('@backstage/plugin-permission-backend').default,
            policyModule(['group:default/platform']),
            mockServices.userInfo.mock({
              getUserInfo: async (credentials: any) => {
                const ref = credentials.principal.userEntityRef;
                return {
                  userEntityRef: ref,
                  ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
                };
              },
            }).factory,
          ]
        : []),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          permission: { enabled: !!groups },
          aws: {
            mainAccount: {
              accessKeyId: EMULATOR_CREDENTIALS.accessKeyId,
              secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey,
              region: REGION,
            },
          },
          bedrock: {
            // the stand-in answers the inference-profile API and forwards everything else to moto
            aws: { endpoint: o.env.bedrock.endpoint },
            collector: { enabled: false },
            provisioning: {
              ...TEST_CONFIG.bedrock.provisioning,
              catalogDirectory: o.provisioned,
            },
          },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'Group',
                  'User',
                  'Location',
                  'Template',
                ],
              },
            ],
            locations: [
              { type: 'file', target: TEMPLATES },
              { type: 'file', target: path.join(o.provisioned, '*.yaml') },
              ...(o.locations ?? []).map(target => ({ type: 'file', target })),
            ],
          },
        },
      }),
    ],
  });
  return {
    baseUrl: `http://localhost:${backend.server.port()}`,
    stop: () => backend.stop(),
  };
}

/** Polls `f` until it answers something other than undefined. */
export async function until<T>(
  what: string,
  f: () => Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** The portal's API as one signed-in user. */
export function portalClient(portal: Portal, user: string) {
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${portal.baseUrl}${p}`, {
      ...init,
      headers: {
        Authorization: mockCredentials.user.header(user),
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  /** Runs a template to its end: the task, and its log's messages. */
  async function run(name: string, values: Record<string, unknown>) {
    const res = await api('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({ templateRef: `template:default/${name}`, values }),
    });
    if (res.status !== 201) {
      throw new Error(`task ${name}: ${res.status} ${await res.text()}`);
    }
    const { id } = await res.json();
    const task = await until(`task ${id}`, async () => {
      const t = await (await api(`/api/scaffolder/v2/tasks/${id}`)).json();
      return ['completed', 'failed', 'cancelled'].includes(t.status)
        ? t
        : undefined;
    });
    const events = await (
      await api(`/api/scaffolder/v2/tasks/${id}/events`)
    ).json();
    const log: string = events
      .map((e: any) => e.body?.message)
      .filter(Boolean)
      .join('\n');
    return { task, log };
  }

  return {
    api,
    run,
    /** Runs a template that must complete. */
    async runTemplate(name: string, values: Record<string, unknown>) {
      const { task, log } = await run(name, values);
      if (task.status !== 'completed')
        throw new Error(`task ${name} ${task.status}: ${log}`);
      return task;
    },
    entity: (ref: string) => api(`/api/catalog/entities/by-name/${ref}`),
    /** The tenant's binding in the bedrock backend (admins only). */
    binding: (tenantId: string) => api(`/api/bedrock/bindings/${tenantId}`),
  };
}
