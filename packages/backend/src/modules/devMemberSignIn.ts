/*
 * LOCAL PORTAL ONLY: a second sign-in, as a member of one team who is not a Bedrock admin, so a
 * person or a test can see the portal as most engineers do. It registers only when
 * `auth.providers.guest-member` is configured (app-config.yaml; never in production config), and,
 * like the guest provider, refuses to run outside development unless told otherwise.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** Answered as 403 by the error middleware, which maps errors by name. */
class NotAllowedError extends Error {
  name = 'NotAllowedError';
}

const memberAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    return {
      userEntityRef: config.getString('userEntityRef'),
      disabled:
        process.env.NODE_ENV !== 'development' &&
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !==
          true,
    };
  },
  async authenticate(_, ctx) {
    if (ctx.disabled) {
      throw new NotAllowedError(
        'The guest-member sign-in is for the local portal only',
      );
    }
    return { result: { userEntityRef: ctx.userEntityRef } };
  },
});

export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-member-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.has('auth.providers.guest-member')) return;
        providers.registerProvider({
          providerId: 'guest-member',
          factory: createProxyAuthProviderFactory({
            authenticator: memberAuthenticator,
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
