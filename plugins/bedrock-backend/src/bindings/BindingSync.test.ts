import {
  BedrockClient,
  ListInferenceProfilesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import {
  IAMClient,
  ListRolesCommand,
  ListRoleTagsCommand,
} from '@aws-sdk/client-iam';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  MANAGED_BY_VALUE,
  TAG_ATTRIBUTION,
  TAG_BUDGET_ENFORCEMENT,
  TAG_ENTITY_REF,
  TAG_MANAGED_BY,
  TAG_REGIONS,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  AwsClientFactory,
  tenantProfileName,
  tenantRoleName,
} from '@bedrock-tenancy/plugin-bedrock-node';
import { mockClient } from 'aws-sdk-client-mock';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { BindingSync, notifyBindingConflicts } from './BindingSync';
import { DatabaseBindingStore } from './DatabaseBindingStore';
import { TagBindingReader, TagReading } from './TagBindingReader';
import { BindingStore, TenantBinding } from './types';

const binding = { tenantId: 't1', entityRef: 'component:default/one' };

/** A store that records what was put, and a reader that fails its first `failures` reads. */
function setup(failures: number) {
  const put = jest.fn(async () => 'written' as const);
  const store = {
    getMany: async () => [],
    put,
  } as unknown as BindingStore;
  let reads = 0;
  const reader = {
    read: jest.fn(
      async (): Promise<TagReading> =>
        ++reads <= failures
          ? {
              tenants: [],
              errors: ['123456789012/us-east-1: a request timed out'],
              failed: true,
            }
          : {
              tenants: [
                {
                  tenantId: binding.tenantId,
                  binding: binding as unknown as TenantBinding,
                },
              ],
              errors: [],
              failed: false,
            },
    ),
  } as unknown as TagBindingReader;
  const sync = BindingSync.create({
    store,
    reader,
    logger: mockServices.logger.mock(),
    configured: [],
    accounts: ['123456789012'],
    regions: ['us-east-1'],
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
  });
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
  };
  return { sync, put, reader, slept, sleep };
}

describe('BindingSync.syncFromTags', () => {
  it('reads again after a failed read, until it succeeds, and binds what it then finds', async () => {
    const s = setup(2);
    expect(
      await s.sync.syncFromTags({
        retryDelaysMs: [10, 20, 40],
        sleep: s.sleep,
      }),
    ).toBe(1);
    expect(s.slept).toEqual([10, 20]);
    expect(s.reader.read).toHaveBeenCalledTimes(3);
    expect(s.put).toHaveBeenCalledTimes(1);
  });

  it('stops after the last delay, and reads once without delays', async () => {
    const s = setup(10);
    expect(
      await s.sync.syncFromTags({ retryDelaysMs: [10, 20], sleep: s.sleep }),
    ).toBe(0);
    expect(s.reader.read).toHaveBeenCalledTimes(3);
    const once = setup(10);
    expect(await once.sync.syncFromTags({ sleep: once.sleep })).toBe(0);
    expect(once.reader.read).toHaveBeenCalledTimes(1);
    expect(once.slept).toEqual([]);
  });

  it('does not read again when the read succeeded', async () => {
    const s = setup(0);
    await s.sync.syncFromTags({ retryDelaysMs: [10], sleep: s.sleep });
    expect(s.reader.read).toHaveBeenCalledTimes(1);
    expect(s.slept).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The tag sync against AWS tags that anyone controlling a read account could have written: the
// real reader (AWS answered by aws-sdk-client-mock, per account and region) and a real store.

const A = '111111111111';
const B = '222222222222';
const E1 = 'component:default/checkout-assistant';
const E2 = 'component:default/intruder';
const NOVA = 'amazon.nova-pro-v1:0';
const LITE = 'amazon.nova-lite-v1:0';

interface FakeProfile {
  accountId: string;
  region: string;
  name: string;
  id: string;
  modelId: string;
  tags: Record<string, string>;
}
interface FakeRole {
  accountId: string;
  name: string;
  tags: Record<string, string>;
}

const suiteTags = (tenantId: string, entityRef: string) => ({
  [TAG_TENANT]: tenantId,
  [TAG_ENTITY_REF]: entityRef,
  [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
});

/** A profile tagged for the tenant; named as the suite names it unless `name` says otherwise. */
const profile = (o: {
  tenantId: string;
  entityRef: string;
  accountId?: string;
  region?: string;
  modelId?: string;
  name?: string;
  id?: string;
}): FakeProfile => {
  const accountId = o.accountId ?? A;
  const region = o.region ?? 'us-east-1';
  const modelId = o.modelId ?? NOVA;
  return {
    accountId,
    region,
    modelId,
    name: o.name ?? tenantProfileName(o.tenantId, modelId),
    id:
      o.id ??
      `${o.tenantId}-${accountId}-${region}-${modelId}`.replace(
        /[^a-z0-9]/g,
        '',
      ),
    tags: suiteTags(o.tenantId, o.entityRef),
  };
};

/** A role tagged for the tenant; named `bedrock-tenant-<tenant>` unless `name` says otherwise. */
const role = (o: {
  tenantId: string;
  entityRef: string;
  accountId?: string;
  name?: string;
  tags?: Record<string, string>;
}): FakeRole => ({
  accountId: o.accountId ?? A,
  name: o.name ?? tenantRoleName(o.tenantId),
  tags: { ...suiteTags(o.tenantId, o.entityRef), ...o.tags },
});

/** The AWS of the read accounts: their profiles and roles, and which account-regions fail. */
function fakeAws(world: {
  profiles: FakeProfile[];
  roles: FakeRole[];
  /** `<account>/<region>` whose ListInferenceProfiles fails, how many more times */
  failing?: Record<string, number>;
}) {
  const mocks: Array<{ restore(): void }> = [];
  const bedrocks = new Map<string, BedrockClient>();
  const iams = new Map<string, IAMClient>();
  const credentials = { accessKeyId: 'AKIATEST', secretAccessKey: 'x' };
  const arnOf = (p: FakeProfile) =>
    `arn:aws:bedrock:${p.region}:${p.accountId}:application-inference-profile/${p.id}`;
  const bedrockOf = (accountId: string, region: string) => {
    const where = `${accountId}/${region}`;
    let client = bedrocks.get(where);
    if (!client) {
      client = new BedrockClient({ region, credentials });
      const m = mockClient(client);
      mocks.push(m);
      m.on(ListInferenceProfilesCommand).callsFake(async () => {
        if (world.failing?.[where]) {
          world.failing[where]--;
          throw new Error('a request timed out');
        }
        return {
          inferenceProfileSummaries: world.profiles
            .filter(p => p.accountId === accountId && p.region === region)
            .map(p => ({
              inferenceProfileName: p.name,
              inferenceProfileId: p.id,
              inferenceProfileArn: arnOf(p),
              models: [
                {
                  modelArn: `arn:aws:bedrock:${region}::foundation-model/${p.modelId}`,
                },
              ],
              type: 'APPLICATION',
              status: 'ACTIVE',
            })),
        };
      });
      m.on(ListTagsForResourceCommand).callsFake(async input => ({
        tags: Object.entries(
          world.profiles.find(p => arnOf(p) === input.resourceARN)?.tags ?? {},
        ).map(([key, value]) => ({ key, value })),
      }));
      bedrocks.set(where, client);
    }
    return client;
  };
  const iamOf = (accountId: string) => {
    let client = iams.get(accountId);
    if (!client) {
      client = new IAMClient({ region: 'us-east-1', credentials });
      const m = mockClient(client);
      mocks.push(m);
      m.on(ListRolesCommand).callsFake(async () => ({
        Roles: world.roles
          .filter(r => r.accountId === accountId)
          .map(r => ({ RoleName: r.name })),
      }));
      m.on(ListRoleTagsCommand).callsFake(async input => ({
        Tags: Object.entries(
          world.roles.find(
            r => r.accountId === accountId && r.name === input.RoleName,
          )?.tags ?? {},
        ).map(([Key, Value]) => ({ Key, Value })),
      }));
      iams.set(accountId, client);
    }
    return client;
  };
  const clients = {
    forTarget: async (accountId: string, region: string) => ({
      bedrock: bedrockOf(accountId, region),
      iam: iamOf(accountId),
    }),
  } as unknown as AwsClientFactory;
  return { clients, restore: () => mocks.forEach(m => m.restore()) };
}

/** A binding as the provisioning actions record it. */
const recorded = (over: Partial<TenantBinding> = {}): TenantBinding => {
  const p = profile({ tenantId: 'checkout-assistant', entityRef: E1 });
  return {
    tenantId: 'checkout-assistant',
    entityRef: E1,
    accountId: A,
    regions: ['us-east-1'],
    attribution: 'inference-profile',
    inferenceProfiles: { [p.id]: NOVA },
    principalArns: [],
    alarmPrefix: 'bedrock-checkout-assistant-',
    budgetName: 'bedrock-checkout-assistant',
    source: 'provisioning',
    updatedAt: '2026-11-30T00:00:00.000Z',
    updatedBy: 'plugin:scaffolder',
    ...over,
  };
};

describe('BindingSync.syncFromTags against tags anyone in a read account could write', () => {
  jest.setTimeout(60_000);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  async function setupTags(world: Parameters<typeof fakeAws>[0]) {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseBindingStore.fromKnex(knex);
    const aws = fakeAws(world);
    restore = aws.restore;
    const logger = mockServices.logger.mock();
    const onConflict = jest.fn(
      async (_c: { tenantId: string; message: string }) => {},
    );
    const sync = BindingSync.create({
      store,
      reader: TagBindingReader.create({ clients: aws.clients }),
      logger,
      configured: [],
      accounts: [A, B],
      regions: ['us-east-1', 'us-west-2'],
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
      onConflict,
    });
    const warnings = () =>
      (logger.warn as jest.Mock).mock.calls.map(c => String(c[0])).join('\n');
    const sleep = async () => {};
    return { store, sync, onConflict, warnings, sleep };
  }

  it('binds an unbound tenant whose tags agree, with the opt-in of its role tag', async () => {
    const east = profile({ tenantId: 'checkout-assistant', entityRef: E1 });
    const west = profile({
      tenantId: 'checkout-assistant',
      entityRef: E1,
      region: 'us-west-2',
      modelId: LITE,
    });
    const t = await setupTags({
      profiles: [east, west],
      roles: [
        role({
          tenantId: 'checkout-assistant',
          entityRef: E1,
          tags: {
            [TAG_ATTRIBUTION]: 'inference-profile',
            [TAG_BUDGET_ENFORCEMENT]: 'suspend actual auto-resume',
          },
        }),
        role({
          tenantId: 'data-labeling',
          entityRef: 'component:default/data-labeling',
          accountId: B,
          tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-east-1' },
        }),
      ],
    });
    expect(await t.sync.syncFromTags()).toBe(2);
    expect(await t.store.get('checkout-assistant')).toMatchObject({
      entityRef: E1,
      accountId: A,
      regions: ['us-east-1', 'us-west-2'],
      attribution: 'inference-profile',
      inferenceProfiles: { [east.id]: NOVA, [west.id]: LITE },
      source: 'aws-tags',
      budgetEnforcement: {
        action: 'suspend',
        basis: 'actual',
        autoResume: true,
      },
    });
    expect(await t.store.get('data-labeling')).toMatchObject({
      entityRef: 'component:default/data-labeling',
      accountId: B,
      regions: ['us-east-1'],
      attribution: 'account',
      inferenceProfiles: {},
      budgetEnforcement: null,
    });
    expect(t.onConflict).not.toHaveBeenCalled();
  });

  it.each(['aws-tags', 'provisioning', 'admin'] as const)(
    'never moves an existing binding (source %s) to the entity its tags now name',
    async source => {
      const t = await setupTags({
        profiles: [
          profile({ tenantId: 'checkout-assistant', entityRef: E2 }),
          profile({
            tenantId: 'checkout-assistant',
            entityRef: E2,
            region: 'us-west-2',
          }),
        ],
        roles: [
          role({
            tenantId: 'checkout-assistant',
            entityRef: E2,
            tags: { [TAG_ATTRIBUTION]: 'inference-profile' },
          }),
        ],
      });
      const before = recorded({ source });
      await t.store.put(before);
      expect(await t.sync.syncFromTags()).toBe(0);
      expect(await t.store.get('checkout-assistant')).toEqual({
        ...before,
        budgetEnforcement: null,
        entityUid: null,
        entityOwner: null,
      });
      expect(t.warnings()).toContain(
        `Tenant checkout-assistant is bound to ${E1} in ${A} (${source}); ignored its AWS tags, which say ${E2} in ${A}`,
      );
      expect(t.onConflict).not.toHaveBeenCalled();
    },
  );

  it("ignores a profile tagged for a bound tenant in another account than the binding's", async () => {
    const foreign = profile({
      tenantId: 'checkout-assistant',
      entityRef: E1,
      accountId: B,
      region: 'us-west-2',
    });
    const t = await setupTags({ profiles: [foreign], roles: [] });
    const before = recorded({ source: 'aws-tags' });
    await t.store.put(before);
    expect(await t.sync.syncFromTags()).toBe(0);
    const after = await t.store.get('checkout-assistant');
    expect(after).toMatchObject({
      accountId: A,
      regions: ['us-east-1'],
      inferenceProfiles: before.inferenceProfiles,
    });
    expect(after?.inferenceProfiles).not.toHaveProperty(foreign.id);
    expect(t.warnings()).toContain(
      `ignored its AWS tags, which say ${E1} in ${B}`,
    );
  });

  it("ignores a role not named as the tenant's role, and reports it", async () => {
    const t = await setupTags({
      profiles: [profile({ tenantId: 'checkout-assistant', entityRef: E1 })],
      roles: [
        // tagged for checkout-assistant, but the role of tenant "other": it would make a conflict
        role({
          tenantId: 'checkout-assistant',
          entityRef: E2,
          accountId: B,
          name: 'bedrock-tenant-other',
          tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-east-1' },
        }),
        // alone, it would bind tenant fraud-analyst
        role({
          tenantId: 'fraud-analyst',
          entityRef: E2,
          name: 'bedrock-tenant-other',
          tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-west-2' },
        }),
      ],
    });
    expect(await t.sync.syncFromTags()).toBe(1);
    expect(await t.store.get('checkout-assistant')).toMatchObject({
      entityRef: E1,
      accountId: A,
      attribution: 'inference-profile',
    });
    expect(await t.store.get('fraud-analyst')).toBeUndefined();
    expect(t.onConflict).not.toHaveBeenCalled();
    expect(t.warnings()).toContain(
      `role bedrock-tenant-other in ${B} is tagged for tenant checkout-assistant, but that tenant's role is bedrock-tenant-checkout-assistant; ignored`,
    );
    expect(t.warnings()).toContain(
      `role bedrock-tenant-other in ${A} is tagged for tenant fraud-analyst`,
    );
  });

  it("ignores a profile not named as the suite names the tenant's profile, and reports it", async () => {
    const t = await setupTags({
      profiles: [
        profile({ tenantId: 'checkout-assistant', entityRef: E1 }),
        // another account, another entity: each would make a conflict if it counted
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E2,
          accountId: B,
          name: 'checkout-assistant-nova',
        }),
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E2,
          accountId: B,
          region: 'us-west-2',
          // the suite's name of another tenant's profile of this model
          name: tenantProfileName('other', NOVA),
        }),
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E2,
          region: 'us-west-2',
          // the suite's name of the tenant's profile of another model than it routes to
          name: tenantProfileName('checkout-assistant', LITE),
        }),
        // alone, it would bind tenant fraud-analyst
        profile({
          tenantId: 'fraud-analyst',
          entityRef: E2,
          name: 'fraud-analyst-anything',
        }),
      ],
      roles: [],
    });
    expect(await t.sync.syncFromTags()).toBe(1);
    expect(await t.store.get('checkout-assistant')).toMatchObject({
      entityRef: E1,
      accountId: A,
      regions: ['us-east-1'],
    });
    expect(
      Object.keys((await t.store.get('checkout-assistant'))!.inferenceProfiles),
    ).toHaveLength(1);
    expect(await t.store.get('fraud-analyst')).toBeUndefined();
    expect(t.onConflict).not.toHaveBeenCalled();
    for (const name of [
      'checkout-assistant-nova',
      tenantProfileName('other', NOVA),
      tenantProfileName('checkout-assistant', LITE),
      'fraud-analyst-anything',
    ]) {
      expect(t.warnings()).toContain(`profile ${name} (`);
    }
    expect(t.warnings()).toContain('is not named as the suite names');
  });

  it.each([
    [
      'two accounts',
      [
        profile({ tenantId: 'checkout-assistant', entityRef: E1 }),
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E1,
          accountId: B,
        }),
      ],
      [] as FakeRole[],
      'tagged in several accounts',
    ],
    [
      'two entity refs',
      [
        profile({ tenantId: 'checkout-assistant', entityRef: E1 }),
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E2,
          region: 'us-west-2',
        }),
      ],
      [] as FakeRole[],
      'tagged for several entities',
    ],
    [
      'a role saying account attribution while profiles exist',
      [profile({ tenantId: 'checkout-assistant', entityRef: E1 })],
      [
        role({
          tenantId: 'checkout-assistant',
          entityRef: E1,
          tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-east-1' },
        }),
      ],
      'says account attribution, but it has tagged inference profiles',
    ],
  ])(
    'binds nothing for an unbound tenant whose tags disagree (%s) and tells the admins once per sync',
    async (_what, profiles, roles, message) => {
      // the first read fails somewhere: the sync reads again, and sees the conflict twice
      const t = await setupTags({
        profiles,
        roles,
        failing: { [`${B}/us-west-2`]: 1 },
      });
      expect(
        await t.sync.syncFromTags({ retryDelaysMs: [10], sleep: t.sleep }),
      ).toBe(0);
      expect(await t.store.get('checkout-assistant')).toBeUndefined();
      expect(t.onConflict).toHaveBeenCalledTimes(1);
      expect(t.onConflict).toHaveBeenCalledWith({
        tenantId: 'checkout-assistant',
        message: expect.stringContaining(message),
      });
      // the next sync tells them again
      await t.sync.syncFromTags();
      expect(t.onConflict).toHaveBeenCalledTimes(2);
      expect(await t.store.get('checkout-assistant')).toBeUndefined();
    },
  );

  it("keeps a bound tenant's opt-in from its binding, whatever its role tag says", async () => {
    const t = await setupTags({
      profiles: [profile({ tenantId: 'checkout-assistant', entityRef: E1 })],
      roles: [
        role({
          tenantId: 'checkout-assistant',
          entityRef: E1,
          tags: {
            [TAG_ATTRIBUTION]: 'inference-profile',
            [TAG_BUDGET_ENFORCEMENT]: 'suspend estimate',
          },
        }),
        role({
          tenantId: 'fraud-analyst',
          entityRef: 'component:default/fraud-analyst',
          tags: {
            [TAG_ATTRIBUTION]: 'account',
            [TAG_REGIONS]: 'us-west-2',
            [TAG_BUDGET_ENFORCEMENT]: 'suspend actual auto-resume',
          },
        }),
      ],
    });
    // opted out (null), and opted in with another setting
    await t.store.put({ ...recorded(), budgetEnforcement: null });
    await t.store.put(
      recorded({
        tenantId: 'fraud-analyst',
        entityRef: 'component:default/fraud-analyst',
        regions: ['us-west-2'],
        attribution: 'account',
        inferenceProfiles: {},
        alarmPrefix: 'bedrock-fraud-analyst-',
        budgetName: 'bedrock-fraud-analyst',
        source: 'aws-tags',
        budgetEnforcement: {
          action: 'suspend',
          basis: 'actual',
          autoResume: false,
        },
      }),
    );
    expect(await t.sync.syncFromTags()).toBe(0);
    expect((await t.store.get('checkout-assistant'))?.budgetEnforcement).toBe(
      null,
    );
    expect((await t.store.get('fraud-analyst'))?.budgetEnforcement).toEqual({
      action: 'suspend',
      basis: 'actual',
      autoResume: false,
    });
  });

  it('binds no unbound tenant from a partial read, and binds it once the read is complete', async () => {
    const t = await setupTags({
      profiles: [profile({ tenantId: 'checkout-assistant', entityRef: E1 })],
      roles: [],
      failing: { [`${B}/us-east-1`]: 1 },
    });
    expect(await t.sync.syncFromTags()).toBe(0);
    expect(await t.store.get('checkout-assistant')).toBeUndefined();
    expect(await t.sync.syncFromTags()).toBe(1);
    expect((await t.store.get('checkout-assistant'))?.entityRef).toBe(E1);
  });
});

describe('notifyBindingConflicts', () => {
  const conflict = {
    tenantId: 'checkout-assistant',
    message: 'tenant checkout-assistant is tagged in several accounts: ...',
  };

  it('notifies the admin recipients', async () => {
    const send = jest.fn(async () => {});
    const logger = mockServices.logger.mock();
    await notifyBindingConflicts({
      notifications: { send },
      recipients: ['group:default/platform'],
      logger,
    })(conflict);
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: ['group:default/platform'] },
      payload: expect.objectContaining({
        title: expect.stringContaining('checkout-assistant'),
        description: expect.stringContaining(conflict.message),
        severity: 'high',
        topic: 'bedrock-binding-conflict',
      }),
    });
  });

  it('only logs a warning without recipients', async () => {
    const send = jest.fn(async () => {});
    const logger = mockServices.logger.mock();
    await notifyBindingConflicts({
      notifications: { send },
      recipients: [],
      logger,
    })(conflict);
    expect(send).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('bedrock.bindings.adminRecipients is empty'),
    );
  });
});
