import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  TenantBindingBody,
  TenantChangeCheck,
  TenantChangeDecision,
} from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * The bedrock backend's tenant bindings API (`/api/bedrock/bindings/:tenantId`): which catalog
 * entity a tenant's usage and cost belong to, and who may change the tenant. Every call is made
 * on behalf of the person who started the task: the backend decides for that person.
 *
 * @public
 */
export interface BindingsClient {
  /** Whether the person may make this change (403/409 with the reason otherwise). */
  check(
    tenantId: string,
    change: TenantChangeCheck,
    options: { onBehalfOf: BackstageCredentials },
  ): Promise<TenantChangeDecision>;
  /**
   * Records the binding of a tenant the person created or changed; with `adopt`, binds it to the
   * entity the person (a Bedrock admin) names, or moves it there.
   */
  put(
    tenantId: string,
    body: TenantBindingBody,
    options: { onBehalfOf: BackstageCredentials; adopt?: boolean },
  ): Promise<void>;
  /**
   * Removes the binding of the deleted stack in `accountId`/`region`; a binding an operator or
   * an admin recorded is kept (`kept` says so).
   */
  remove(
    tenantId: string,
    stack: { accountId: string; region: string },
    options: { onBehalfOf: BackstageCredentials },
  ): Promise<{ removed: boolean; kept?: string }>;
}

/**
 * The bedrock backend's bindings API, called with a token of this plugin on behalf of the user.
 *
 * @public
 */
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

  async check(
    tenantId: string,
    change: TenantChangeCheck,
    options: { onBehalfOf: BackstageCredentials },
  ): Promise<TenantChangeDecision> {
    const response = await this.#send(
      'POST',
      `${encodeURIComponent(tenantId)}/check`,
      options.onBehalfOf,
      change,
    );
    return (await response.json()) as TenantChangeDecision;
  }

  async put(
    tenantId: string,
    body: TenantBindingBody,
    options: { onBehalfOf: BackstageCredentials; adopt?: boolean },
  ) {
    await this.#send(
      'PUT',
      `${encodeURIComponent(tenantId)}${options.adopt ? '?adopt=true' : ''}`,
      options.onBehalfOf,
      body,
    );
  }

  async remove(
    tenantId: string,
    stack: { accountId: string; region: string },
    options: { onBehalfOf: BackstageCredentials },
  ) {
    const query = new URLSearchParams(stack).toString();
    const response = await this.#send(
      'DELETE',
      `${encodeURIComponent(tenantId)}?${query}`,
      options.onBehalfOf,
    );
    return (await response.json()) as { removed: boolean; kept?: string };
  }

  async #send(
    method: string,
    path: string,
    onBehalfOf: BackstageCredentials,
    body?: unknown,
  ): Promise<Response> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'bedrock',
    });
    const base = await this.#discovery.getBaseUrl('bedrock');
    let response: Response;
    try {
      response = await fetch(`${base}/bindings/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new Error(
        `The bedrock backend (${base}) is not reachable: ${
          (e as Error).message
        }`,
      );
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }
}

/** The backend's own message of a failed call. */
export function bindingErrorMessage(e: unknown): string {
  if (e instanceof ResponseError) return e.body?.error?.message || e.message;
  return (e as Error).message;
}
