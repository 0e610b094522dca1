import {
  BackstageCredentials,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import {
  AuthorizePermissionRequest,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';

const MAX_ENTRIES = 10_000;

/**
 * The caller, as the key of its cached decisions: the whole principal (user entity ref, or
 * service subject with its access restrictions, and any actor), so different callers never
 * share a decision. Anonymous callers are not cached.
 */
export function callerKey(
  credentials: BackstageCredentials,
): string | undefined {
  const p = credentials.principal as { type?: string };
  if (!p || (p.type !== 'user' && p.type !== 'service')) return undefined;
  return JSON.stringify(p);
}

/**
 * The permission service with a short in-memory cache of conditional decisions, per caller and
 * permission: a conditional decision (`authorizeConditional`, no resource) depends on who asks
 * and on what, never on the entity, so an entity page's summary, its tabs and a roll-up's
 * requests from one person within `ttlMs` share one policy round trip. The decision (ALLOW,
 * DENY or the catalog conditions holding the caller's claims) is applied per entity as before.
 * A changed policy or group membership shows after at most `ttlMs`. `authorize` (per resource)
 * is never cached.
 */
export class PolicyDecisionCache implements PermissionsService {
  readonly #inner: PermissionsService;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<
    string,
    { until: number; decision: Promise<QueryPermissionResponse> }
  >();

  static wrap(o: {
    permissions: PermissionsService;
    ttlMs: number;
    now?: () => number;
  }): PermissionsService {
    return o.ttlMs > 0 ? new PolicyDecisionCache(o) : o.permissions;
  }

  private constructor(o: {
    permissions: PermissionsService;
    ttlMs: number;
    now?: () => number;
  }) {
    this.#inner = o.permissions;
    this.#ttlMs = o.ttlMs;
    this.#now = o.now ?? Date.now;
  }

  authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ) {
    return this.#inner.authorize(requests, options);
  }

  async authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    const caller = callerKey(options.credentials);
    if (!caller) return this.#inner.authorizeConditional(requests, options);
    const now = this.#now();
    return Promise.all(
      requests.map(request => {
        const key = `${caller}|${request.permission.name}|${request.permission.resourceType}`;
        const hit = this.#entries.get(key);
        if (hit && hit.until > now) return hit.decision;
        const decision = Promise.resolve(
          this.#inner.authorizeConditional([request], options),
        )
          // a mock may answer nothing: the caller treats that as no decision
          .then(answers => answers?.[0] as QueryPermissionResponse);
        // a failure is not remembered
        decision.catch(() => this.#entries.delete(key));
        this.#remember(key, { until: now + this.#ttlMs, decision }, now);
        return decision;
      }),
    );
  }

  #remember(
    key: string,
    entry: { until: number; decision: Promise<QueryPermissionResponse> },
    now: number,
  ) {
    if (this.#entries.size >= MAX_ENTRIES) {
      for (const [k, e] of this.#entries) {
        if (e.until <= now) this.#entries.delete(k);
      }
      // still full: drop the oldest (insertion order)
      while (this.#entries.size >= MAX_ENTRIES) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }
}
