/**
 * An entity's annotations against the bindings: only the bound entity itself (same ref, uid and
 * owner), agreeing with every annotation, is a verified tenant.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { TenantRef } from '@bedrock-tenancy/plugin-bedrock-common';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { DatabaseBindingStore } from './DatabaseBindingStore';
import { TenantBinding } from './types';
import {
  notTheBoundEntity,
  ownerOf,
  sameRef,
  tenantOfBinding,
  verifyTenants,
} from './verify';

const REF = 'component:default/docs-bot';
const tenant: TenantRef = {
  tenantId: 'docs-bot',
  accountId: '123456789012',
  regions: ['us-east-1'],
  attribution: 'inference-profile',
  inferenceProfiles: { docsprofile1: 'amazon.nova-pro-v1:0' },
  principalArns: [],
  alarmPrefix: 'bedrock-docs-bot-',
  budgetName: 'bedrock-docs-bot',
};
const binding = (patch: Partial<TenantBinding> = {}): TenantBinding => ({
  ...tenant,
  entityRef: REF,
  source: 'provisioning',
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: 'user:default/dora',
  ...patch,
});
const entity = (
  uid: string,
  /** null: no owner */
  owner: string | null = 'team-docs',
  name = 'docs-bot',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', uid },
  spec: owner === null ? {} : { owner },
});

describe('ownerOf', () => {
  it('reads spec.owner as a full ref in the entity namespace', () => {
    expect(ownerOf(entity('u', 'team-docs'))).toBe('group:default/team-docs');
    expect(ownerOf(entity('u', 'user:default/dora'))).toBe('user:default/dora');
    expect(
      ownerOf({
        ...entity('u', 'team-docs'),
        metadata: { name: 'x', namespace: 'ops' },
      }),
    ).toBe('group:ops/team-docs');
    expect(ownerOf(entity('u', null))).toBeUndefined();
    expect(ownerOf(entity('u', ''))).toBeUndefined();
    expect(ownerOf({ ...entity('u'), spec: { owner: 42 } })).toBeUndefined();
    expect(ownerOf(entity('u', 'group:default/'))).toBeUndefined();
  });

  it('compares refs as Backstage does, case-insensitively', () => {
    expect(sameRef('Component:Default/Docs-Bot', REF)).toBe(true);
    expect(sameRef('component:default/docs', REF)).toBe(false);
  });
});

describe('notTheBoundEntity', () => {
  it('is the bound entity while uid and owner are those recorded, or none is', () => {
    const pinned = {
      entityUid: 'uid-1',
      entityOwner: 'group:default/team-docs',
    };
    expect(notTheBoundEntity(pinned, entity('uid-1'))).toBeUndefined();
    expect(notTheBoundEntity(pinned, entity('uid-2'))).toMatch(
      /removed from the catalog and registered again/,
    );
    expect(notTheBoundEntity(pinned, entity('uid-1', 'team-support'))).toMatch(
      /its owner is not the one recorded/,
    );
    expect(notTheBoundEntity(pinned, entity('uid-1', null))).toMatch(/owner/);
    expect(
      notTheBoundEntity(
        { entityUid: null, entityOwner: null },
        entity('any', 'anyone'),
      ),
    ).toBeUndefined();
    expect(
      notTheBoundEntity(
        { entityUid: null, entityOwner: 'group:default/TEAM-DOCS' },
        entity('any'),
      ),
    ).toBeUndefined();
  });
});

describe('verifyTenants', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: DatabaseBindingStore;
  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    store = DatabaseBindingStore.fromKnex(knex);
  });
  const verify = async (e: Entity, t: TenantRef = tenant, ref = REF) =>
    (
      await verifyTenants(store, [{ entityRef: ref, tenant: t, entity: e }])
    ).get(ref)!;

  it('verifies the bound entity and pins it at first sight: another one under its ref is not it', async () => {
    await store.put(binding());
    expect(await verify(entity('uid-1'))).toEqual({
      verified: true,
      tenant: tenantOfBinding(binding()),
    });
    expect(await store.get('docs-bot')).toMatchObject({
      entityUid: 'uid-1',
      entityOwner: 'group:default/team-docs',
    });
    const again = await verify(entity('uid-2'));
    expect(again).toEqual({
      verified: false,
      reason: `Tenant docs-bot is bound to ${REF}, but it was removed from the catalog and registered again since it was bound. A Bedrock admin adopts it again if it is the same tenant.`,
    });
    expect((await verify(entity('uid-1', 'team-support'))).verified).toBe(
      false,
    );
  });

  it('pins no entity whose owner is not the one recorded, nor one without an owner', async () => {
    await store.put(binding({ entityOwner: 'group:default/team-docs' }));
    expect((await verify(entity('uid-x', 'team-support'))).verified).toBe(
      false,
    );
    expect((await store.get('docs-bot'))?.entityUid).toBeNull();
    await store.put(binding({ entityOwner: null }));
    await verify(entity('uid-y', null));
    expect((await store.get('docs-bot'))?.entityUid).toBeNull();
    await verify({ ...entity('uid-z'), metadata: { name: 'docs-bot' } });
    expect((await store.get('docs-bot'))?.entityUid).toBeNull();
  });

  it('refuses annotations that disagree with the binding, naming what', async () => {
    await store.put(binding());
    const v = await verify(entity('uid-1'), {
      ...tenant,
      accountId: '210987654321',
      regions: ['us-west-2'],
      budgetName: 'other',
    });
    expect(v.verified).toBe(false);
    expect(!v.verified && v.reason).toMatch(
      /account 210987654321 \(bound: 123456789012\); regions us-west-2 \(bound: us-east-1\); budget name/,
    );
  });

  it('names the holder of a tenant bound elsewhere, and of a claim another tenant holds', async () => {
    await store.put(binding());
    const copy = await verify(
      entity('uid-9', 'team-support', 'copy'),
      tenant,
      'component:default/copy',
    );
    expect(copy).toMatchObject({ verified: false, holder: REF });
    const claim = await verify(
      entity('uid-9', 'team-support', 'copy'),
      { ...tenant, tenantId: 'copy-bot' },
      'component:default/copy',
    );
    expect(claim).toMatchObject({
      verified: false,
      holder: REF,
      reason: expect.stringContaining('inference profile docsprofile1'),
    });
    const none = await verify(
      entity('uid-9', 'team-support', 'copy'),
      { ...tenant, tenantId: 'copy-bot', inferenceProfiles: { x1: 'm' } },
      'component:default/copy',
    );
    expect(none).toEqual({
      verified: false,
      reason: 'No binding records tenant copy-bot for component:default/copy.',
    });
  });
});
