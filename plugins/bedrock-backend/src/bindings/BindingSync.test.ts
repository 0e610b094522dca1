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
import { SchedulerService } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  BINDING_SOURCES,
  BindingSource,
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
import {
  BindingConflict,
  BindingSync,
  BindingSyncOptions,
  notifyBindingConflicts,
} from './BindingSync';
import { DatabaseBindingStore } from './DatabaseBindingStore';
import { TagBindingReader, TagReading } from './TagBindingReader';
import { BindingStore, TenantBinding } from './types';

const binding = { tenantId: 't1', entityRef: 'component:default/one' };

/** A BindingSync of one account and region with a mock logger; `o` overrides any option. */
function syncWith(
  o: Partial<BindingSyncOptions> & Pick<BindingSyncOptions, 'store' | 'reader'>,
) {
  const logger = mockServices.logger.mock();
  const sync = BindingSync.create({
    logger,
    configured: [],
    accounts: ['123456789012'],
    regions: ['us-east-1'],
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
    ...o,
  });
  /** the messages logged at this level, one a line */
  const logged = (level: 'info' | 'warn' | 'error') =>
    (logger[level] as jest.Mock).mock.calls.map(c => String(c[0])).join('\n');
  return { sync, logger, logged };
}

const failedRead: TagReading = {
  tenants: [],
  errors: ['123456789012/us-east-1: a request timed out'],
  failed: true,
};
const t1Read: TagReading = {
  tenants: [
    {
      tenantId: binding.tenantId,
      binding: binding as unknown as TenantBinding,
    },
  ],
  errors: [],
  failed: false,
};

/** A store that records what was put, and a reader that fails its first `failures` reads. */
function setup(failures: number, o: Partial<BindingSyncOptions> = {}) {
  const put = jest.fn(async () => 'written' as const);
  const store = {
    getMany: async () => [],
    put,
  } as unknown as BindingStore;
  let reads = 0;
  const read = jest.fn(
    async (): Promise<TagReading> =>
      ++reads <= failures ? failedRead : t1Read,
  );
  const reader = { read } as unknown as TagBindingReader;
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
  };
  return {
    ...syncWith({ store, reader, ...o }),
    put,
    reader,
    read,
    slept,
    sleep,
  };
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

  it('logs what failed, and when it reads again, in seconds', async () => {
    const s = setup(2);
    await s.sync.syncFromTags({ retryDelaysMs: [1500, 250], sleep: s.sleep });
    expect(s.logger.warn).toHaveBeenCalledWith(
      'Reading tenant bindings from AWS tags: 123456789012/us-east-1: a request timed out',
    );
    expect(s.logger.info).toHaveBeenCalledWith(
      'Reading tenant bindings from AWS tags again in 1.5 s',
    );
    expect(s.logger.info).toHaveBeenCalledWith(
      'Reading tenant bindings from AWS tags again in 0.25 s',
    );
  });

  it('waits out each delay before reading again when not given a sleep', async () => {
    jest.useFakeTimers();
    try {
      const s = setup(1);
      const done = s.sync.syncFromTags({ retryDelaysMs: [1500] });
      await jest.advanceTimersByTimeAsync(1499);
      expect(s.reader.read).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(await done).toBe(1);
      expect(s.reader.read).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ['no accounts', { accounts: [] }],
    ['no regions', { regions: [] }],
  ])(
    'reads nothing, binds nothing and does not read again with %s to read',
    async (_what, o) => {
      const s = setup(0, o);
      expect(
        await s.sync.syncFromTags({ retryDelaysMs: [10], sleep: s.sleep }),
      ).toBe(0);
      expect(s.reader.read).not.toHaveBeenCalled();
      expect(s.put).not.toHaveBeenCalled();
      expect(s.slept).toEqual([]);
    },
  );
});

describe('BindingSync.schedule', () => {
  it('schedules one global task, whatever the configured scope, that syncs from the tags', async () => {
    const s = setup(0, {
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 5 },
        scope: 'local',
      },
    });
    const scheduleTask = jest.fn<
      Promise<void>,
      Parameters<SchedulerService['scheduleTask']>
    >(async () => {});
    await s.sync.schedule({ scheduleTask } as unknown as SchedulerService);
    expect(scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduleTask.mock.calls[0][0];
    expect(task).toEqual({
      id: 'bedrock-binding-sync',
      frequency: { minutes: 30 },
      timeout: { minutes: 5 },
      scope: 'global',
      fn: expect.any(Function),
    });
    expect(s.reader.read).not.toHaveBeenCalled();
    await task.fn(new AbortController().signal);
    expect(s.reader.read).toHaveBeenCalledTimes(1);
    expect(s.put).toHaveBeenCalledWith(binding, expect.anything());
  });
});

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A real bindings store, on a fresh SQLite database. */
async function bindingStore() {
  const knex = await databases.init('SQLITE_3');
  await DatabaseUsageStore.migrate(knex);
  return DatabaseBindingStore.fromKnex(knex);
}

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
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  async function setupTags(
    world: Parameters<typeof fakeAws>[0],
    o: {
      /** what the sync sees of the store */
      view?: (store: BindingStore) => BindingStore;
      onConflict?: jest.Mock<Promise<void>, [BindingConflict]>;
    } = {},
  ) {
    const store = await bindingStore();
    const aws = fakeAws(world);
    restore = aws.restore;
    const onConflict =
      o.onConflict ?? jest.fn(async (_c: BindingConflict) => {});
    const s = syncWith({
      store: o.view?.(store) ?? store,
      reader: TagBindingReader.create({ clients: aws.clients }),
      accounts: [A, B],
      regions: ['us-east-1', 'us-west-2'],
      onConflict,
    });
    const warnings = () => s.logged('warn');
    const sleep = async () => {};
    return { ...s, store, onConflict, warnings, sleep };
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
    expect(t.logger.info).toHaveBeenCalledWith(
      'Recorded tenant bindings from AWS tags',
      { written: 2 },
    );
    expect(t.warnings()).not.toContain('not bound');
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
      expect(t.logger.warn).toHaveBeenCalledWith(
        `Tenant checkout-assistant is bound to ${E1} in ${A} (${source}); ignored its AWS tags, which say ${E2} in ${A} (inference-profile)`,
      );
      expect(t.onConflict).not.toHaveBeenCalled();
      expect(t.logged('info')).not.toContain('Recorded tenant bindings');
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
      // logged on each read, though the admins are told once
      const warning = `Tenant checkout-assistant was not bound from AWS tags: ${t.onConflict.mock.calls[0][0].message}`;
      expect(
        t.logger.warn.mock.calls.filter(c => c[0] === warning),
      ).toHaveLength(2);
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

  it('binds no unbound tenant from a partial read, says how many wait, and binds them once the read is complete', async () => {
    const t = await setupTags({
      profiles: [profile({ tenantId: 'checkout-assistant', entityRef: E1 })],
      roles: [
        role({
          tenantId: 'data-labeling',
          entityRef: 'component:default/data-labeling',
          accountId: B,
          tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-west-2' },
        }),
      ],
      failing: { [`${B}/us-east-1`]: 1 },
    });
    expect(await t.sync.syncFromTags()).toBe(0);
    expect(await t.store.get('checkout-assistant')).toBeUndefined();
    expect(await t.store.get('data-labeling')).toBeUndefined();
    const withheld =
      '2 unbound tenants found in AWS tags were not bound yet: some accounts or regions could not be read, and their tags might disagree';
    expect(t.logger.warn).toHaveBeenCalledWith(withheld);
    expect(t.warnings()).toContain(
      `Reading tenant bindings from AWS tags: ${B}/us-east-1`,
    );
    expect(t.logged('info')).not.toContain('Recorded tenant bindings');
    expect(await t.sync.syncFromTags()).toBe(2);
    expect((await t.store.get('checkout-assistant'))?.entityRef).toBe(E1);
    expect((await t.store.get('data-labeling'))?.accountId).toBe(B);
    // the complete read withholds nothing, and says nothing of it
    expect(t.logger.warn).toHaveBeenCalledTimes(2);
    expect(t.logger.info).toHaveBeenCalledWith(
      'Recorded tenant bindings from AWS tags',
      { written: 2 },
    );
  });

  it('leaves a bound tenant whose tags agree alone, and logs nothing of it', async () => {
    const t = await setupTags({
      profiles: [
        profile({
          tenantId: 'checkout-assistant',
          // the same ref, however it is spelled
          entityRef: E1.toUpperCase(),
        }),
      ],
      roles: [],
    });
    const before = recorded();
    await t.store.put(before);
    expect(await t.sync.syncFromTags()).toBe(0);
    expect(await t.store.get('checkout-assistant')).toMatchObject(before);
    expect(t.logger.warn).not.toHaveBeenCalled();
    expect(t.onConflict).not.toHaveBeenCalled();
  });

  it("ignores, and logs, tags saying another attribution than a bound tenant's", async () => {
    const t = await setupTags({
      profiles: [profile({ tenantId: 'checkout-assistant', entityRef: E1 })],
      roles: [],
    });
    const before = recorded({ attribution: 'account', inferenceProfiles: {} });
    await t.store.put(before);
    expect(await t.sync.syncFromTags()).toBe(0);
    expect(await t.store.get('checkout-assistant')).toMatchObject(before);
    expect(t.logger.warn).toHaveBeenCalledWith(
      `Tenant checkout-assistant is bound to ${E1} in ${A} (provisioning); ignored its AWS tags, which say ${E1} in ${A} (inference-profile)`,
    );
  });

  it('ignores, and only logs, disagreeing tags of a bound tenant: the admins are not told', async () => {
    const t = await setupTags({
      profiles: [
        profile({ tenantId: 'checkout-assistant', entityRef: E1 }),
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E2,
          accountId: B,
        }),
      ],
      roles: [],
    });
    const before = recorded();
    await t.store.put(before);
    expect(await t.sync.syncFromTags()).toBe(0);
    expect(await t.store.get('checkout-assistant')).toMatchObject(before);
    expect(t.onConflict).not.toHaveBeenCalled();
    expect(t.logger.warn).toHaveBeenCalledTimes(1);
    expect(t.warnings()).toMatch(
      new RegExp(
        `^Tenant checkout-assistant is bound to ${E1} in ${A} \\(provisioning\\); ignored its AWS tags: tenant checkout-assistant is tagged in several accounts: .*${B}`,
      ),
    );
  });

  it.each(BINDING_SOURCES)(
    'keeps a binding (source %s) a trusted writer recorded since the sync looked the tenant up',
    async source => {
      const t = await setupTags(
        {
          profiles: [
            profile({ tenantId: 'checkout-assistant', entityRef: E2 }),
          ],
          roles: [],
        },
        // the sync looked before the binding was written
        {
          view: store =>
            ({
              getMany: async () => [],
              put: (b: TenantBinding, o?: { unlessSource?: BindingSource[] }) =>
                store.put(b, o),
            } as unknown as BindingStore),
        },
      );
      const before = recorded({ source });
      await t.store.put(before);
      expect(await t.sync.syncFromTags()).toBe(0);
      expect(await t.store.get('checkout-assistant')).toMatchObject(before);
      // kept as it is, not refused
      expect(t.logger.warn).not.toHaveBeenCalled();
    },
  );

  it("never binds a tenant over another tenant's claim: logs it, and binds the others", async () => {
    const t = await setupTags({
      profiles: [
        profile({
          tenantId: 'checkout-assistant',
          entityRef: E1,
          accountId: B,
          region: 'us-west-2',
        }),
      ],
      roles: [
        // the account-region data-labeling is billed by
        role({
          tenantId: 'fraud-analyst',
          entityRef: E2,
          tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-east-1' },
        }),
      ],
    });
    const labeling = recorded({
      tenantId: 'data-labeling',
      entityRef: 'component:default/data-labeling',
      attribution: 'account',
      inferenceProfiles: {},
      alarmPrefix: 'bedrock-data-labeling-',
      budgetName: 'bedrock-data-labeling',
    });
    await t.store.put(labeling);
    expect(await t.sync.syncFromTags()).toBe(1);
    expect(await t.store.get('fraud-analyst')).toBeUndefined();
    expect(await t.store.get('data-labeling')).toMatchObject(labeling);
    expect((await t.store.get('checkout-assistant'))?.accountId).toBe(B);
    expect(t.logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(
          `^Tenant fraud-analyst tagged for ${E2} was not bound: Cannot bind tenant fraud-analyst to ${E2}: .* held by tenant data-labeling`,
        ),
      ),
    );
  });

  it('binds the other tenants when telling the admins of a conflict fails, and logs the failure', async () => {
    const onConflict = jest.fn(async (_c: BindingConflict) => {
      throw new Error('the notifications service is down');
    });
    const t = await setupTags(
      {
        profiles: [
          profile({ tenantId: 'checkout-assistant', entityRef: E1 }),
          profile({
            tenantId: 'checkout-assistant',
            entityRef: E1,
            accountId: B,
          }),
        ],
        roles: [
          role({
            tenantId: 'data-labeling',
            entityRef: 'component:default/data-labeling',
            accountId: B,
            tags: { [TAG_ATTRIBUTION]: 'account', [TAG_REGIONS]: 'us-west-2' },
          }),
        ],
      },
      { onConflict },
    );
    expect(await t.sync.syncFromTags()).toBe(1);
    expect(onConflict).toHaveBeenCalledTimes(1);
    expect((await t.store.get('data-labeling'))?.accountId).toBe(B);
    expect(t.logger.warn).toHaveBeenCalledWith(
      'Telling the Bedrock admins of the binding conflict of tenant checkout-assistant failed: the notifications service is down',
    );
  });
});

/** A binding as `bedrock.tenants` declares it, holding one profile id of its own. */
const configured = (
  tenantId: string,
  entityRef: string,
  over: Partial<TenantBinding> = {},
): TenantBinding =>
  recorded({
    tenantId,
    entityRef,
    inferenceProfiles: { [`${tenantId}-nova`]: NOVA },
    alarmPrefix: `bedrock-${tenantId}-`,
    budgetName: `bedrock-${tenantId}`,
    source: 'config',
    updatedBy: 'config',
    ...over,
  });

describe('BindingSync.applyConfig', () => {
  jest.setTimeout(60_000);

  async function setupConfig(bindings: TenantBinding[]) {
    const store = await bindingStore();
    const reader = {} as TagBindingReader;
    const s = syncWith({ store, reader, configured: bindings });
    const tenants = async () =>
      (await store.list())
        .map(b => `${b.tenantId} ${b.entityRef} ${b.source}`)
        .sort();
    return { ...s, store, tenants };
  }

  it('binds the configured tenants, replacing their bindings whatever the source', async () => {
    const t = await setupConfig([
      configured('checkout-assistant', E2),
      configured('data-labeling', 'component:default/labeling-v2'),
      configured('fraud-analyst', 'component:default/fraud-analyst'),
    ]);
    await t.store.put(recorded());
    await t.store.put(
      configured('data-labeling', 'component:default/data-labeling'),
    );
    await t.sync.applyConfig();
    expect(await t.tenants()).toEqual([
      `checkout-assistant ${E2} config`,
      'data-labeling component:default/labeling-v2 config',
      'fraud-analyst component:default/fraud-analyst config',
    ]);
    expect(await t.store.get('checkout-assistant')).toMatchObject({
      inferenceProfiles: { 'checkout-assistant-nova': NOVA },
    });
    // still configured: replaced, never removed (removing would drop its usage history)
    expect(t.logger.info).not.toHaveBeenCalled();
    expect(t.logger.error).not.toHaveBeenCalled();
  });

  it('removes the config bindings no longer configured, and only those', async () => {
    const t = await setupConfig([configured('kept', 'component:default/kept')]);
    await t.store.put(configured('kept', 'component:default/kept'));
    await t.store.put(configured('dropped', 'component:default/dropped'));
    await t.store.put(recorded());
    for (const source of ['aws-tags', 'admin'] as const) {
      await t.store.put(
        configured(`by-${source}`, `component:default/by-${source}`, {
          source,
        }),
      );
    }
    await t.sync.applyConfig();
    expect(await t.tenants()).toEqual([
      'by-admin component:default/by-admin admin',
      'by-aws-tags component:default/by-aws-tags aws-tags',
      `checkout-assistant ${E1} provisioning`,
      'kept component:default/kept config',
    ]);
    expect(t.logger.info).toHaveBeenCalledTimes(1);
    expect(t.logger.info).toHaveBeenCalledWith(
      'Removed a tenant binding no longer in bedrock.tenants',
      { tenantId: 'dropped' },
    );
  });

  it('logs a configured tenant it cannot bind, and binds the others', async () => {
    const labeling = recorded({
      tenantId: 'data-labeling',
      entityRef: 'component:default/data-labeling',
      attribution: 'account',
      inferenceProfiles: {},
    });
    const t = await setupConfig([
      // the account-region data-labeling is billed by
      configured('fraud-analyst', E2, {
        attribution: 'account',
        inferenceProfiles: {},
      }),
      configured('checkout-assistant', E1, { accountId: B }),
    ]);
    await t.store.put(labeling);
    await t.sync.applyConfig();
    expect(await t.tenants()).toEqual([
      `checkout-assistant ${E1} config`,
      'data-labeling component:default/data-labeling provisioning',
    ]);
    expect(t.logger.error).toHaveBeenCalledTimes(1);
    expect(t.logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(
          `^bedrock\\.tenants: tenant fraud-analyst was not bound: Cannot bind tenant fraud-analyst to ${E2}: .* held by tenant data-labeling`,
        ),
      ),
    );
  });
});

describe('notifyBindingConflicts', () => {
  const conflict = {
    tenantId: 'checkout-assistant',
    message: 'tenant checkout-assistant is tagged in several accounts: ...',
  };

  /** Tells `recipients` of the conflict; answers what was sent and logged. */
  async function notify(recipients: string[]) {
    const send = jest.fn(async () => {});
    const logger = mockServices.logger.mock();
    await notifyBindingConflicts({
      notifications: { send },
      recipients,
      logger,
    })(conflict);
    return { send, logger };
  }

  it('notifies the admin recipients', async () => {
    const { send } = await notify(['group:default/platform']);
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
    const { send, logger } = await notify([]);
    expect(send).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('bedrock.bindings.adminRecipients is empty'),
    );
  });
});
