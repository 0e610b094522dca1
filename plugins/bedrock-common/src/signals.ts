/**
 * The signal channel of one tenant: the backend publishes "this tenant changed" on it after
 * each collection or status refresh; pages showing the tenant refetch when it fires.
 */
export const tenantChannel = (entityRef: string) =>
  `bedrock:tenant:${entityRef.toLocaleLowerCase('en-US')}`;

/** The only message sent on a tenant channel: no figures, just which entity changed. */
export interface TenantChangedSignal {
  type: 'bedrock-tenant-changed';
  entityRef: string;
}
