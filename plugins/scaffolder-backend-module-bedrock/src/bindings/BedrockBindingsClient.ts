import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { TenantBindingBody } from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * Records tenant bindings in the bedrock backend (PUT/DELETE /api/bedrock/bindings/:tenantId):
 * which catalog entity a tenant's usage and cost belong to.
 */
export interface BindingsClient {
  /** `onBehalfOf`: act as this user (the adopt action), not as the scaffolder plugin. */
  put(
    tenantId: string,
    body: TenantBindingBody,
    options?: { onBehalfOf?: BackstageCredentials },
  ): Promise<void>;
  remove(tenantId: string): Promise<void>;
}

/** The bedrock backend's bindings API, called with a service token of this plugin. */
export class BedrockBindingsClient implements BindingsClient {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  static create(o: { discovery: DiscoveryService; auth: AuthService }) {
    return new BedrockBindingsClient(o.discovery, o.auth);
  }

  private constructor(discovery: DiscoveryService, auth: AuthService) {
    this.#discovery = discovery;
    this.#auth = auth;
  }

  async put(
    tenantId: string,
    body: TenantBindingBody,
    options: { onBehalfOf?: BackstageCredentials } = {},
  ) {
    await this.#send('PUT', tenantId, body, options.onBehalfOf);
  }

  async remove(tenantId: string) {
    await this.#send('DELETE', tenantId);
  }

  async #send(
    method: string,
    tenantId: string,
    body?: unknown,
    onBehalfOf?: BackstageCredentials,
  ) {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: onBehalfOf ?? (await this.#auth.getOwnServiceCredentials()),
      targetPluginId: 'bedrock',
    });
    const base = await this.#discovery.getBaseUrl('bedrock');
    let response: Response;
    try {
      response = await fetch(
        `${base}/bindings/${encodeURIComponent(tenantId)}`,
        {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        },
      );
    } catch (e) {
      throw new Error(
        `The bedrock backend (${base}) is not reachable: ${
          (e as Error).message
        }`,
      );
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
  }
}

/** The backend's own message of a failed call. */
export function bindingErrorMessage(e: unknown): string {
  if (e instanceof ResponseError) return e.body?.error?.message || e.message;
  return (e as Error).message;
}
