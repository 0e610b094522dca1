import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { TenantRef } from '@bedrock-tenancy/plugin-bedrock-common';
import type { Tenant } from '../tenant';
import { BindingStore, claimsOf, HeldClaim, TenantBinding } from './types';

/** How an admin binds a tenant: said in every unverified answer. */
export const HOW_TO_BIND =
  'A Bedrock admin (permission bedrock.binding.manage) binds a tenant to its entity with the ' +
  '"Adopt" step of the bedrock-tenant-lifecycle template, PUT /api/bedrock/bindings/<tenant id>, ' +
  'or an entry under bedrock.tenants in the app config.';

/**
 * The outcome of checking an entity's tenant annotations against the recorded bindings. An
 * annotation is a request: only a binding of exactly this entity, agreeing with every annotation,
 * turns it into a tenant whose data may be served.
 */
export type Verification =
  | { verified: true; tenant: Tenant }
  | {
      verified: false;
      /** what is wrong, without naming another entity */
      reason: string;
      /** the entity holding the tenant or one of its claims, to name if the caller may read it */
      holder?: string;
    };

/** A binding as the Tenant the collector and summaries work with. */
export function tenantOfBinding(b: TenantBinding): Tenant {
  return {
    tenantId: b.tenantId,
    entityRef: b.entityRef,
    accountId: b.accountId,
    regions: b.regions,
    attribution: b.attribution,
    inferenceProfiles: b.inferenceProfiles,
    principalArns: b.principalArns,
    alarmPrefix: b.alarmPrefix,
    budgetName: b.budgetName,
  };
}

/** Entity refs compare case-insensitively in Backstage. */
export const sameRef = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** The entity's `spec.owner` as a full ref (`group:<its namespace>/x` for a bare `x`), if any. */
export function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Why `entity` is not the entity the binding was made for (another uid: removed and registered
 * again; another owner), or undefined when it is, as far as the binding recorded.
 */
export function notTheBoundEntity(
  b: Pick<TenantBinding, 'entityUid' | 'entityOwner'>,
  entity: Entity,
): string | undefined {
  if (b.entityUid && entity.metadata.uid !== b.entityUid)
    return 'it was removed from the catalog and registered again since it was bound';
  const owner = ownerOf(entity);
  if (b.entityOwner && (!owner || !sameRef(owner, b.entityOwner)))
    return 'its owner is not the one recorded when it was bound';
  return undefined;
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length &&
  [...a].sort().join('\n') === [...b].sort().join('\n');

function disagreements(t: TenantRef, b: TenantBinding): string[] {
  const out: string[] = [];
  if (t.accountId !== b.accountId)
    out.push(`account ${t.accountId} (bound: ${b.accountId})`);
  if (!sameSet(t.regions, b.regions))
    out.push(`regions ${t.regions.join(',')} (bound: ${b.regions.join(',')})`);
  if (t.attribution !== b.attribution)
    out.push(`attribution ${t.attribution} (bound: ${b.attribution})`);
  const profiles = (p: Record<string, string>) =>
    Object.entries(p).map(([k, v]) => `${k}=${v}`);
  if (!sameSet(profiles(t.inferenceProfiles), profiles(b.inferenceProfiles)))
    out.push('inference profiles');
  if (!sameSet(t.principalArns, b.principalArns)) out.push('principal ARNs');
  if (t.alarmPrefix !== b.alarmPrefix) out.push('alarm prefix');
  if (t.budgetName !== b.budgetName) out.push('budget name');
  return out;
}

const CLAIM_LABEL: Record<HeldClaim['kind'], string> = {
  profile: 'inference profile',
  principal: 'role',
  'account-region': 'account-region',
};
const what = (h: HeldClaim) => `${CLAIM_LABEL[h.kind]} ${h.value}`;

/**
 * Checks entities' annotations against the bindings, in two batched reads however many entities
 * are asked (the Group roll-up verifies all of a group's entities at once).
 */
export async function verifyTenants(
  store: BindingStore,
  requests: Array<{ entityRef: string; tenant: TenantRef; entity: Entity }>,
): Promise<Map<string, Verification>> {
  const bindings = new Map(
    (await store.getMany(requests.map(r => r.tenant.tenantId))).map(b => [
      b.tenantId,
      b,
    ]),
  );
  const unbound = requests.filter(r => {
    const b = bindings.get(r.tenant.tenantId);
    return !b || !sameRef(b.entityRef, r.entityRef);
  });
  const held = unbound.length
    ? await store.findHolders({
        claims: unbound.flatMap(r => [
          ...claimsOf(r.tenant),
          ...r.tenant.regions.map(region => ({
            kind: 'account-region' as const,
            value: `${r.tenant.accountId}/${region}`,
          })),
        ]),
        accountRegions: unbound.flatMap(r =>
          r.tenant.attribution === 'account'
            ? r.tenant.regions.map(region => `${r.tenant.accountId}/${region}`)
            : [],
        ),
      })
    : [];

  const out = new Map<string, Verification>();
  for (const { entityRef, tenant, entity } of requests) {
    const b = bindings.get(tenant.tenantId);
    if (b && sameRef(b.entityRef, entityRef)) {
      const impostor = notTheBoundEntity(b, entity);
      if (impostor) {
        out.set(entityRef, {
          verified: false,
          reason: `Tenant ${tenant.tenantId} is bound to ${entityRef}, but ${impostor}. A Bedrock admin adopts it again if it is the same tenant.`,
        });
        continue;
      }
      const owner = ownerOf(entity);
      if (!b.entityUid && entity.metadata.uid && owner) {
        // first sight of the bound entity: from now on only this one is it
        await store.pinEntity(b.tenantId, {
          entityRef: b.entityRef,
          uid: entity.metadata.uid,
          owner,
        });
      }
      const diff = disagreements(tenant, b);
      out.set(
        entityRef,
        diff.length
          ? {
              verified: false,
              reason: `The Bedrock annotations of ${entityRef} disagree with the binding of tenant ${
                tenant.tenantId
              }: ${diff.join(
                '; ',
              )}. Fix the annotations to match the binding, or have an admin update the binding.`,
            }
          : { verified: true, tenant: tenantOfBinding(b) },
      );
      continue;
    }
    if (b) {
      out.set(entityRef, {
        verified: false,
        reason: `Tenant ${tenant.tenantId} is bound to another entity, not to ${entityRef}.`,
        holder: b.entityRef,
      });
      continue;
    }
    const regions = new Set(
      tenant.regions.map(r => `${tenant.accountId}/${r}`),
    );
    // in account mode the tenant's own claims are its account-regions: any holder of one is taken
    const own = new Set(claimsOf(tenant).map(c => `${c.kind}|${c.value}`));
    const taken = held.find(
      h =>
        !sameRef(h.entityRef, entityRef) &&
        (own.has(`${h.kind}|${h.value}`) ||
          (h.kind === 'account-region' && regions.has(h.value) && h.exclusive)),
    );
    out.set(
      entityRef,
      taken
        ? {
            verified: false,
            reason: `No binding records tenant ${
              tenant.tenantId
            }, and the ${what(
              taken,
            )} that ${entityRef} claims is bound to another entity.`,
            holder: taken.entityRef,
          }
        : {
            verified: false,
            reason: `No binding records tenant ${tenant.tenantId} for ${entityRef}.`,
          },
    );
  }
  return out;
}
