/**
 * An entity's annotations against the bindings: only the bound entity itself (same ref, uid and
 * owner), agreeing with every annotation, is a verified tenant.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  bedrockBindingManagePermission,
  TenantRef,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { DatabaseBindingStore } from './DatabaseBindingStore';
import { TenantBinding } from './types';
import {
  HOW_TO_BIND,
  notTheBoundEntity,
  ownerOf,
  sameRef,
  tenantOfBinding,
  verifyTenants,
} from './verify';

const REF = 'component:default/docs-bot';
const ROLE = 'arn:aws:iam::123456789012:role/docs-bot';
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

  it('reads a bare owner in the default namespace when the entity names none', () => {
    expect(
      ownerOf({ ...entity('u', 'team-docs'), metadata: { name: 'docs-bot' } }),
    ).toBe('group:default/team-docs');
  });

  it('has no owner without a spec, nor one that is not a string ref', () => {
    const { spec: _, ...bare } = entity('u');
    expect(ownerOf(bare)).toBeUndefined();
    // parseEntityRef would take this object for a ref: only a string is an owner
    expect(
      ownerOf({
        ...entity('u'),
        spec: { owner: { kind: 'group', name: 'team-docs' } },
      }),
    ).toBeUndefined();
  });

  it('compares refs as Backstage does, case-insensitively', () => {
    expect(sameRef('Component:Default/Docs-Bot', REF)).toBe(true);
    expect(sameRef('component:default/docs', REF)).toBe(false);
  });
});

describe('tenantOfBinding', () => {
  it('keeps what the tenant is, not how or by whom it was bound', () => {
    expect(
      tenantOfBinding(
        binding({
          budgetEnforcement: null,
          entityUid: 'uid-1',
          entityOwner: 'group:default/team-docs',
        }),
      ),
    ).toEqual({
      tenantId: 'docs-bot',
      entityRef: REF,
      accountId: '123456789012',
      regions: ['us-east-1'],
      attribution: 'inference-profile',
      inferenceProfiles: { docsprofile1: 'amazon.nova-pro-v1:0' },
      principalArns: [],
      alarmPrefix: 'bedrock-docs-bot-',
      budgetName: 'bedrock-docs-bot',
    });
  });
});

describe('HOW_TO_BIND', () => {
  it('names the permission, the template step, the endpoint and the config key that bind', () => {
    expect(HOW_TO_BIND).toContain(
      `permission ${bedrockBindingManagePermission.name}`,
    );
    expect(HOW_TO_BIND).toContain(
      '"Adopt" step of the bedrock-tenant-lifecycle template',
    );
    expect(HOW_TO_BIND).toContain('PUT /api/bedrock/bindings/<tenant id>');
    expect(HOW_TO_BIND).toContain('bedrock.tenants in the app config');
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
    // neither half of a pin without a uid: the owner alone would bind the next entity's owner
    expect(await store.get('docs-bot')).toMatchObject({
      entityUid: null,
      entityOwner: null,
    });
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
    expect(copy).toEqual({
      verified: false,
      reason:
        'Tenant docs-bot is bound to another entity, not to component:default/copy.',
      holder: REF,
    });
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
  const disagreeing = (diff: string) =>
    `The Bedrock annotations of ${REF} disagree with the binding of tenant docs-bot: ${diff}. Fix the annotations to match the binding, or have an admin update the binding.`;

  it.each<[string, Partial<TenantRef>, string]>([
    [
      'account',
      { accountId: '210987654321' },
      'account 210987654321 (bound: 123456789012)',
    ],
    [
      'region',
      { regions: ['us-east-1', 'eu-west-1'] },
      'regions us-east-1,eu-west-1 (bound: us-east-1)',
    ],
    [
      'attribution',
      { attribution: 'account' },
      'attribution account (bound: inference-profile)',
    ],
    [
      'profile model',
      { inferenceProfiles: { docsprofile1: 'amazon.nova-lite-v1:0' } },
      'inference profiles',
    ],
    [
      'profile id',
      { inferenceProfiles: { otherprofile1: 'amazon.nova-pro-v1:0' } },
      'inference profiles',
    ],
    ['principal', { principalArns: [ROLE] }, 'principal ARNs'],
    ['alarm prefix', { alarmPrefix: 'bedrock-other-' }, 'alarm prefix'],
    ['budget', { budgetName: 'bedrock-other' }, 'budget name'],
  ])(
    'refuses the bound entity when only its %s annotation differs',
    async (_, patch, diff) => {
      await store.put(binding());
      expect(await verify(entity('uid-1'), { ...tenant, ...patch })).toEqual({
        verified: false,
        reason: disagreeing(diff),
      });
    },
  );

  it('compares regions, profiles and roles as sets, each entry whole', async () => {
    const roleB = 'arn:aws:iam::123456789012:role/docs-bot-b';
    await store.put(
      binding({
        regions: ['us-east-1', 'us-west-2'],
        // stored in this order: the binding's side is not sorted either
        inferenceProfiles: {
          zprofile: 'amazon.nova-pro-v1:0',
          aprofile: 'amazon.nova-lite-v1:0',
        },
        principalArns: [ROLE, roleB],
      }),
    );
    const annotated: TenantRef = {
      ...tenant,
      regions: ['us-west-2', 'us-east-1'],
      inferenceProfiles: {
        aprofile: 'amazon.nova-lite-v1:0',
        zprofile: 'amazon.nova-pro-v1:0',
      },
      principalArns: [roleB, ROLE],
    };
    expect(await verify(entity('uid-1'), annotated)).toMatchObject({
      verified: true,
      tenant: { regions: ['us-east-1', 'us-west-2'] },
    });
    expect(
      await verify(entity('uid-1'), {
        ...annotated,
        regions: ['us-west-2', 'eu-west-1'],
      }),
    ).toEqual({
      verified: false,
      reason: disagreeing(
        'regions us-west-2,eu-west-1 (bound: us-east-1,us-west-2)',
      ),
    });
    // one ARN holding both lines is not the two bound roles
    expect(
      await verify(entity('uid-1'), {
        ...annotated,
        principalArns: [`${ROLE}\n${roleB}`],
      }),
    ).toEqual({ verified: false, reason: disagreeing('principal ARNs') });
  });

  it('holds no claim of an entity against itself: a renamed tenant id is merely unbound', async () => {
    await store.put(binding());
    expect(
      await verify(entity('uid-1'), { ...tenant, tenantId: 'docs-bot-2' }),
    ).toEqual({
      verified: false,
      reason: `No binding records tenant docs-bot-2 for ${REF}.`,
    });
  });

  it('names the role another binding holds', async () => {
    await store.put(
      binding({
        tenantId: 'role-bot',
        entityRef: 'component:default/role-bot',
        inferenceProfiles: {},
        principalArns: [ROLE],
      }),
    );
    expect(
      await verify(
        entity('uid-9', 'team-support', 'copy'),
        {
          ...tenant,
          tenantId: 'copy-bot',
          inferenceProfiles: {},
          principalArns: [ROLE],
        },
        'component:default/copy',
      ),
    ).toEqual({
      verified: false,
      reason: `No binding records tenant copy-bot, and the role ${ROLE} that component:default/copy claims is bound to another entity.`,
      holder: 'component:default/role-bot',
    });
  });

  /** docs-bot (inference profiles, us-east-1) and whole-bot (the whole of eu-west-1). */
  const WHOLE = 'component:default/whole-bot';
  const bindBoth = async () => {
    await store.put(binding());
    await store.put(
      binding({
        tenantId: 'whole-bot',
        entityRef: WHOLE,
        attribution: 'account',
        regions: ['eu-west-1'],
        inferenceProfiles: {},
      }),
    );
  };
  const unbound = (name: string, patch: Partial<TenantRef>) => ({
    entityRef: `component:default/${name}`,
    tenant: {
      ...tenant,
      tenantId: `${name}-bot`,
      inferenceProfiles: { [`${name}profile1`]: 'amazon.nova-pro-v1:0' },
      ...patch,
    },
    entity: entity(`uid-${name}`, 'team-support', name),
  });
  const takenBy = (name: string, claim: string, holder: string) => ({
    verified: false,
    reason: `No binding records tenant ${name}-bot, and the ${claim} that component:default/${name} claims is bound to another entity.`,
    holder,
  });
  const notBound = (name: string) => ({
    verified: false,
    reason: `No binding records tenant ${name}-bot for component:default/${name}.`,
  });

  it('holds an account-mode binding its account-regions, and an account-mode claim every binding there', async () => {
    await bindBoth();
    const one = async (r: ReturnType<typeof unbound>) =>
      (await verifyTenants(store, [r])).get(r.entityRef);
    // whole-bot's spend in eu-west-1 is all of that account-region's: no one else claims it
    expect(await one(unbound('eu', { regions: ['eu-west-1'] }))).toEqual(
      takenBy('eu', 'account-region 123456789012/eu-west-1', WHOLE),
    );
    // nor may an entity claim the whole of us-east-1, where docs-bot is bound
    expect(
      await one(
        unbound('greedy', { attribution: 'account', inferenceProfiles: {} }),
      ),
    ).toEqual(takenBy('greedy', 'account-region 123456789012/us-east-1', REF));
    // sharing us-east-1 by inference profiles takes nothing from docs-bot
    expect(await one(unbound('fresh', {}))).toEqual(notBound('fresh'));
  });

  it('judges each entity of a batch by its own claims, not by those the others run into', async () => {
    await bindBoth();
    const requests = [
      unbound('copy', { inferenceProfiles: tenant.inferenceProfiles }),
      unbound('fresh', {}),
      unbound('greedy', { attribution: 'account', inferenceProfiles: {} }),
      unbound('eu', { regions: ['eu-west-1'] }),
    ];
    expect(Object.fromEntries(await verifyTenants(store, requests))).toEqual({
      'component:default/copy': takenBy(
        'copy',
        'inference profile docsprofile1',
        REF,
      ),
      'component:default/fresh': notBound('fresh'),
      'component:default/greedy': takenBy(
        'greedy',
        'account-region 123456789012/us-east-1',
        REF,
      ),
      'component:default/eu': takenBy(
        'eu',
        'account-region 123456789012/eu-west-1',
        WHOLE,
      ),
    });
  });

  it('reads the bindings once, and the holders once of the unbound claims only', async () => {
    await store.put(binding());
    const getMany = jest.spyOn(store, 'getMany');
    const findHolders = jest.spyOn(store, 'findHolders');
    const bound = { entityRef: REF, tenant, entity: entity('uid-1') };
    expect((await verifyTenants(store, [bound])).get(REF)?.verified).toBe(true);
    expect(findHolders).not.toHaveBeenCalled();

    getMany.mockClear();
    const copy = {
      ...unbound('copy', {}),
      tenant: { ...tenant, inferenceProfiles: { copyprofile1: 'm' } },
    };
    const result = await verifyTenants(store, [
      bound,
      copy,
      unbound('fresh', { principalArns: [ROLE] }),
      unbound('whole', {
        attribution: 'account',
        regions: ['us-west-2'],
        inferenceProfiles: {},
      }),
    ]);
    expect(result.get(REF)?.verified).toBe(true);
    expect(result.get('component:default/whole')).toEqual(notBound('whole'));
    expect(getMany).toHaveBeenCalledTimes(1);
    expect(findHolders).toHaveBeenCalledTimes(1);
    const [{ claims, accountRegions }] = findHolders.mock.calls[0];
    // not docsprofile1: the bound entity's claims are its own
    expect(new Set(claims.map(c => `${c.kind} ${c.value}`))).toEqual(
      new Set([
        'profile copyprofile1',
        'account-region 123456789012/us-east-1',
        'profile freshprofile1',
        `principal ${ROLE}`,
        'account-region 123456789012/us-west-2',
      ]),
    );
    // every binding in an account-region only for a tenant claiming the whole of it
    expect(accountRegions).toEqual(['123456789012/us-west-2']);
  });
});
