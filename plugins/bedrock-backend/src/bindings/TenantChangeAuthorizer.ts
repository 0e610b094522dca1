import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  bedrockTenantManagePermission,
  TenantChangeCheck,
  TenantChangeDecision,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { entityAuthorizer } from '../access/entityAuthorizer';
import { BindingStore, claimsOf, TenantBinding } from './types';
import { notTheBoundEntity, ownerOf, sameRef } from './verify';

export interface TenantChangeAuthorizerOptions {
  store: BindingStore;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
}

/** The claims a binding write makes. */
type ClaimsOf = Pick<
  TenantBinding,
  | 'accountId'
  | 'regions'
  | 'attribution'
  | 'inferenceProfiles'
  | 'principalArns'
>;

/** A change allowed for this person, with what the write needs to know. */
export interface AllowedChange extends TenantChangeDecision {
  binding?: TenantBinding;
  /** the entity the tenant is, or is to be, bound to, when it is in the catalog */
  entity?: Entity;
}

/**
 * Decides whether a person may change a tenant: the one rule behind every write path (the
 * `bedrock:*` actions ask it before any AWS call, and again when they record the binding).
 *
 * - A bound tenant changes only at the request of someone holding `bedrock.tenant.manage` on the
 *   entity it is bound to (its owners, in the demo policy) or `bedrock.binding.manage` (admins),
 *   and only while that entity is the one bound (same uid and owner).
 * - Its entity and AWS account never change this way (admins move a binding with adopt), and
 *   delete touches only the account and regions that are bound.
 * - An unbound tenant can be created by an admin, or by a member of the owner the request names,
 *   when the entity to bind is not in the catalog yet or the person may manage it, and none of
 *   its claims is another tenant's. Anything else needs an admin.
 *
 * Messages never name the entity or account another team's tenant is bound to, except to admins.
 */
export class TenantChangeAuthorizer {
  readonly #o: TenantChangeAuthorizerOptions;

  static create(o: TenantChangeAuthorizerOptions) {
    return new TenantChangeAuthorizer(o);
  }

  private constructor(o: TenantChangeAuthorizerOptions) {
    this.#o = o;
  }

  /** Whether these user credentials hold bedrock.binding.manage. */
  async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.#o.permissions.authorize(
      [{ permission: bedrockBindingManagePermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Throws NotAllowedError (403) or ConflictError (409) unless the change is allowed. */
  async authorize(
    credentials: BackstageCredentials,
    tenantId: string,
    change: TenantChangeCheck,
    /** for a binding write: the claims the new binding makes */
    binding?: ClaimsOf,
  ): Promise<AllowedChange> {
    const admin = await this.isAdmin(credentials);
    const bound = await this.#o.store.get(tenantId);
    const verb =
      change.change === 'increase-budget'
        ? 'ask for a budget increase of'
        : change.change;
    const refused = (why: string) =>
      new NotAllowedError(
        `You may not ${verb} Bedrock tenant ${tenantId}: ${why}`,
      );
    if (bound) {
      this.#sameStack(tenantId, change, bound, admin);
      const entity = await this.read(bound.entityRef, credentials);
      const manage = `only the owners of the entity it is bound to and Bedrock admins may (${bedrockTenantManagePermission.name})`;
      if (!admin && !entity) {
        // bound before its entity exists (created, not yet in the catalog): the owner recorded
        if (
          bound.entityUid ||
          !bound.entityOwner ||
          !(await this.#isMemberOf(credentials, bound.entityOwner))
        )
          throw refused(manage);
      } else if (!admin && entity) {
        const impostor = notTheBoundEntity(bound, entity);
        if (impostor)
          throw refused(
            `the entity it is bound to is not the one it was bound to (${impostor}); a Bedrock admin adopts it again first`,
          );
        if (!(await this.#mayManage(credentials, entity)))
          throw refused(manage);
      }
      if (binding) await this.#claimsFree(tenantId, binding, admin);
      const owner = bound.entityOwner ?? (entity && ownerOf(entity));
      return {
        admin,
        bound: true,
        binding: bound,
        entity,
        ...(owner && { owner }),
        ...(bound.attribution === 'identity' && {
          principalArns: bound.principalArns,
        }),
      };
    }

    // no binding: only a create, or the catalog file of a tenant no binding records (a
    // deleted one), checked like a create; anything else needs an admin
    if (change.change !== 'create' && change.change !== 'publish' && !admin)
      throw refused(
        'no binding records it; a Bedrock admin adopts it first (the Adopt step of the bedrock-tenant-lifecycle template)',
      );
    const entity = change.entityRef
      ? await this.read(change.entityRef, credentials)
      : undefined;
    // the owner named, or the one the entity to bind has
    const owner = change.owner ?? (entity && ownerOf(entity));
    if (!admin) {
      if (!change.entityRef || !owner)
        throw refused(
          'a tenant no binding records needs the entity and owner to bind',
        );
      if (!(await this.#isMemberOf(credentials, owner)))
        throw refused(`you are not a member of ${owner}, its owner`);
      if (entity) {
        const current = ownerOf(entity);
        if (
          !current ||
          !sameRef(current, owner) ||
          !(await this.#mayManage(credentials, entity))
        )
          throw refused(
            `${change.entityRef} exists and is not yours to bind (${bedrockTenantManagePermission.name})`,
          );
      }
    }
    if (binding) await this.#claimsFree(tenantId, binding, admin);
    return { admin, bound: false, entity, ...(owner && { owner }) };
  }

  /** A change through the actions never moves a tenant to another entity, account or region. */
  #sameStack(
    tenantId: string,
    change: TenantChangeCheck,
    bound: TenantBinding,
    admin: boolean,
  ) {
    if (change.entityRef && !sameRef(change.entityRef, bound.entityRef)) {
      throw new ConflictError(
        `Tenant ${tenantId} is bound to ${
          admin ? bound.entityRef : 'another entity'
        }, not to ${
          change.entityRef
        }; moving a binding needs a Bedrock admin (the Adopt step of the bedrock-tenant-lifecycle template)`,
      );
    }
    if (change.attribution && change.attribution !== bound.attribution) {
      throw new ConflictError(
        `Tenant ${tenantId} uses ${bound.attribution} attribution; changing it to ${change.attribution} needs a Bedrock admin's adopt`,
      );
    }
    if (change.accountId && change.accountId !== bound.accountId) {
      throw new ConflictError(
        `Tenant ${tenantId} is bound to ${
          admin ? `account ${bound.accountId}` : 'another AWS account'
        }, not to ${change.accountId}`,
      );
    }
    const outside = (change.regions ?? []).filter(
      r => !bound.regions.includes(r),
    );
    if (
      outside.length &&
      (change.change === 'delete' ||
        change.change === 'suspend' ||
        change.change === 'resume')
    ) {
      throw new ConflictError(
        `Tenant ${tenantId} is not bound in ${outside.join(', ')}`,
      );
    }
  }

  /** 409 before any AWS call when a profile, role or account-region is another tenant's. */
  async #claimsFree(tenantId: string, b: ClaimsOf, admin: boolean) {
    const accountRegions = b.regions.map(r => `${b.accountId}/${r}`);
    const held = await this.#o.store.findHolders({
      claims: [
        ...claimsOf(b),
        ...accountRegions.map(value => ({
          kind: 'account-region' as const,
          value,
        })),
      ],
      accountRegions: b.attribution === 'account' ? accountRegions : [],
    });
    // the store's own rule (DatabaseBindingStore.put), asked before the AWS work
    const taken = held.find(h => h.tenantId !== tenantId);
    if (taken) {
      throw new ConflictError(
        `Cannot bind tenant ${tenantId}: ${taken.kind} ${
          taken.value
        } belongs to another tenant${
          admin ? ` (${taken.tenantId}, ${taken.entityRef})` : ''
        }`,
      );
    }
  }

  /** The entity as this person may read it; undefined when absent or hidden. */
  async read(ref: string, credentials: BackstageCredentials) {
    return this.#o.catalog
      .getEntityByRef(ref, { credentials })
      .catch(() => undefined);
  }

  async #mayManage(credentials: BackstageCredentials, entity: Entity) {
    const decide = await entityAuthorizer(
      this.#o.permissions,
      bedrockTenantManagePermission,
      credentials,
    );
    return (await decide([entity]))[0];
  }

  async #isMemberOf(credentials: BackstageCredentials, owner: string) {
    const { ownershipEntityRefs } = await this.#o.userInfo.getUserInfo(
      credentials,
    );
    return ownershipEntityRefs.some(ref => sameRef(ref, owner));
  }
}
