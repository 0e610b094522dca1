import type {
  BindingSource,
  BudgetEnforcement,
  TenantRef,
} from '@bedrock-tenancy/plugin-bedrock-common';

/** A tenant binding: the catalog entity a tenant's usage, cost, alarms and budget belong to. */
export interface TenantBinding extends TenantRef {
  entityRef: string;
  source: BindingSource;
  updatedAt: string;
  /** who wrote it: a user or service principal, `config`, or `aws-tags` */
  updatedBy: string;
  /**
   * The tenant's opt-in to budget enforcement. Kept here, not in an annotation anyone who can
   * edit the catalog file could write: only the scaffolder's provisioning actions and Bedrock
   * admins write bindings. Undefined on a write keeps what the store has (a binding rebuilt
   * from AWS tags keeps the opt-in), null removes it.
   */
  budgetEnforcement?: BudgetEnforcement | null;
  /**
   * The bound entity as it was when bound: its `metadata.uid`, and the `spec.owner` it must
   * have. An entity under the same ref with another uid (removed and registered again) or owner
   * is not the bound one. Null until known: the first read of an entity with the recorded owner
   * (or any owner, when none is recorded) pins them. Undefined on a write keeps what is stored.
   */
  entityUid?: string | null;
  entityOwner?: string | null;
}

/**
 * What a binding holds exclusively. `profile` (application inference profile id), `principal`
 * (role ARN) and `account-region` (`<account>/<region>`, account attribution only).
 */
export type ClaimKind = 'profile' | 'principal' | 'account-region';
export interface Claim {
  kind: ClaimKind;
  value: string;
}
export interface HeldClaim extends Claim {
  tenantId: string;
  entityRef: string;
  /** true for a claim row; false for an account-region merely used by a binding in another mode */
  exclusive: boolean;
}

/** The claims a binding (or an entity's annotations) makes. */
export function claimsOf(
  t: Pick<
    TenantRef,
    | 'accountId'
    | 'regions'
    | 'attribution'
    | 'inferenceProfiles'
    | 'principalArns'
  >,
): Claim[] {
  return [
    ...Object.keys(t.inferenceProfiles).map(value => ({
      kind: 'profile' as const,
      value,
    })),
    ...t.principalArns.map(value => ({ kind: 'principal' as const, value })),
    ...(t.attribution === 'account'
      ? t.regions.map(r => ({
          kind: 'account-region' as const,
          value: `${t.accountId}/${r}`,
        }))
      : []),
  ];
}

/** The bindings of the plugin's database. All SQL lives in the implementation. */
export interface BindingStore {
  get(tenantId: string): Promise<TenantBinding | undefined>;
  /** the bindings of these tenant ids */
  getMany(tenantIds: string[]): Promise<TenantBinding[]>;
  list(): Promise<TenantBinding[]>;
  /** The holders of these claims, and every binding using an account-region of `accountRegions`. */
  findHolders(options: {
    claims: Claim[];
    accountRegions: string[];
  }): Promise<HeldClaim[]>;
  /**
   * Writes a binding and its claims in one transaction. Throws ConflictError naming the holder
   * when another tenant holds one of its claims. With `unlessSource`, a binding of one of these
   * sources is kept as it is (answer `kept`).
   */
  put(
    binding: TenantBinding,
    options?: { unlessSource?: BindingSource[] },
  ): Promise<'written' | 'kept'>;
  /**
   * Records the uid and owner of the bound entity where none is recorded yet (the first read of
   * a tenant bound before its entity existed, or bound before uids were kept).
   */
  pinEntity(
    tenantId: string,
    entity: { entityRef: string; uid: string; owner: string },
  ): Promise<void>;
  /**
   * Removes a binding and its claims, and everything stored under the tenant id (usage,
   * collection state, snapshots, notification history): a tenant id bound again later starts
   * empty, never with the previous holder's history. False when there was none.
   */
  delete(tenantId: string): Promise<boolean>;
}
