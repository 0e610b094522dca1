/**
 * Every `bedrock:*` action asks who may make its change before any AWS call: a refusal leaves
 * AWS untouched (not even a credential lookup), dry runs included. And what only an admin may
 * ask of a create or update, beyond owning the tenant.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  type TenantChangeCheck,
  type TenantChangeDecision,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { TAG_SUSPENDED_BY } from '@bedrock-tenancy/plugin-bedrock-node';
import { buildActions, run } from '../__testUtils__/actions';
import { noAwsFactory } from '../__testUtils__/noAws';
import { ACCOUNT, HAIKU, REGION, testConfig } from '../__testUtils__/testEnv';
import { parseTenantSpec } from '../provisioning/inputs';
import {
  initiatorAuthorizer,
  operatorAuthorizer,
  type TaskAuthorizer,
} from './authorization';
import {
  adminSuspender,
  checkExistingStack,
  checkResume,
  checkTenantSpec,
} from './tenantRules';

const aws = noAwsFactory();
const factory = aws.factory;

const asked: Array<{ tenantId: string; check: TenantChangeCheck }> = [];
let answer: () => TenantChangeDecision;
const authorizer: TaskAuthorizer = {
  async change(_ctx, tenantId, check) {
    asked.push({ tenantId, check });
    return answer();
  },
  async requireAdmin(_ctx, what) {
    const d = answer();
    if (!d.admin) throw new NotAllowedError(`${what} needs a Bedrock admin`);
  },
};
const actions = buildActions(factory, testConfig(), undefined, authorizer);
const refuse = () => {
  throw new NotAllowedError('You may not change it');
};

beforeEach(() => {
  aws.reset();
  asked.length = 0;
});

const expectNoAwsCall = () => aws.expectNone();

const tenant = {
  tenantId: 'docs-bot',
  accountId: ACCOUNT,
  region: REGION,
  owner: 'team-docs',
  models: [HAIKU],
  notificationEmails: ['docs@example.com'],
};
const target = { tenantId: 'docs-bot', accountId: ACCOUNT, region: REGION };

describe('a refused change makes no AWS call', () => {
  it.each([
    ['create', tenant],
    ['update', tenant],
    ['suspend', target],
    ['resume', target],
    ['delete', { ...target, confirm: 'docs-bot' }],
    ['logging', { accountId: ACCOUNT, region: REGION }],
  ] as const)('%s, run or dry run', async (name, input) => {
    answer = refuse;
    for (const dryRun of [false, true]) {
      await expect(
        run((actions as any)[name], input, { dryRun }),
      ).rejects.toThrow(NotAllowedError);
    }
    expectNoAwsCall();
  });

  it('asks for the stack the action touches, the entity and the owner (as a full ref)', async () => {
    answer = refuse;
    await expect(run(actions.create, tenant)).rejects.toThrow();
    await expect(
      run(actions.delete, { ...target, confirm: 'docs-bot' }),
    ).rejects.toThrow();
    expect(asked).toEqual([
      {
        tenantId: 'docs-bot',
        check: {
          change: 'create',
          accountId: ACCOUNT,
          regions: [REGION],
          entityRef: 'component:default/docs-bot',
          owner: 'group:default/team-docs',
          attribution: 'inference-profile',
        },
      },
      {
        tenantId: 'docs-bot',
        check: { change: 'delete', accountId: ACCOUNT, regions: [REGION] },
      },
    ]);
  });

  it("passes the backend's conflict on as it is", async () => {
    answer = () => {
      throw new ConflictError('Tenant docs-bot is bound to another entity');
    };
    await expect(run(actions.update, tenant)).rejects.toThrow(ConflictError);
    expectNoAwsCall();
  });

  it('refuses what only an admin may ask of an owner, before any AWS call', async () => {
    answer = () => ({ admin: false, bound: false });
    await expect(
      run(actions.create, { ...tenant, attribution: 'account' }),
    ).rejects.toThrow(/Whole-account attribution .* needs a Bedrock admin/);
    await expect(
      run(actions.create, {
        ...tenant,
        attribution: 'identity',
        principalArns: [`arn:aws:iam::${ACCOUNT}:role/workers`],
      }),
    ).rejects.toThrow(/Identity attribution of .*role\/workers/);
    expectNoAwsCall();
  });
});

describe('the rules beyond ownership', () => {
  const cfg = testConfig();
  const spec = (patch: object = {}) =>
    parseTenantSpec(cfg, { ...tenant, ...patch });
  const owner: TenantChangeDecision = { admin: false, bound: true };
  const admin: TenantChangeDecision = { admin: true, bound: false };
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-docs-bot`;
  const WORKERS = `arn:aws:iam::${ACCOUNT}:role/workers`;

  it('whole-account attribution: an admin to claim it, the owners to keep it', () => {
    const account = spec({ attribution: 'account' });
    expect(() =>
      checkTenantSpec(account, { admin: false, bound: false }),
    ).toThrow(NotAllowedError);
    expect(() => checkTenantSpec(account, owner)).not.toThrow();
    expect(() => checkTenantSpec(account, admin)).not.toThrow();
  });

  it("identity attribution: the tenant's own role, or principals an admin approved", () => {
    const own = spec({ attribution: 'identity' });
    expect(own.principalArns).toEqual([ROLE]);
    expect(() => checkTenantSpec(own, owner)).not.toThrow();
    const workers = spec({
      attribution: 'identity',
      principalArns: [ROLE, WORKERS],
    });
    expect(() => checkTenantSpec(workers, owner)).toThrow(
      `Identity attribution of ${WORKERS} (callers other than the tenant's own role) needs a Bedrock admin (bedrock.binding.manage)`,
    );
    expect(() =>
      checkTenantSpec(workers, { ...owner, principalArns: [WORKERS] }),
    ).not.toThrow();
    expect(() => checkTenantSpec(workers, admin)).not.toThrow();
  });

  it("never another tenant's role, nor a trust principal the operator did not list, whoever asks", () => {
    expect(() =>
      spec({
        attribution: 'identity',
        principalArns: [`arn:aws:iam::${ACCOUNT}:role/bedrock-tenant-other`],
      }),
    ).toThrow(/principalArns: .*bedrock-tenant-other is another tenant's role/);
    expect(() =>
      spec({
        attribution: 'identity',
        principalArns: [`arn:aws:iam::${ACCOUNT}:role/path/bedrock-tenant-x1`],
      }),
    ).toThrow(/another tenant's role/);
    expect(() =>
      spec({ trustPrincipals: ['arn:aws:iam::999999999999:root'] }),
    ).toThrow(
      /trustPrincipals: arn:aws:iam::999999999999:root not in bedrock.provisioning.trustPrincipals/,
    );
    expect(
      spec({ trustPrincipals: [`arn:aws:iam::${ACCOUNT}:root`] })
        .trustPrincipals,
    ).toEqual([`arn:aws:iam::${ACCOUNT}:root`]);
  });

  it('an unbound stack in AWS: re-run only for the entity and owner its role names', () => {
    const s = spec();
    const tags = {
      'bedrock-tenancy:tenant': 'docs-bot',
      'bedrock-tenancy:entity-ref': 'component:default/docs-bot',
      'bedrock-tenancy:owner': 'group:default/team-docs',
    };
    expect(() => checkExistingStack(s, undefined)).not.toThrow();
    expect(() => checkExistingStack(s, tags)).not.toThrow();
    for (const [key, value] of [
      ['bedrock-tenancy:tenant', 'docs'],
      ['bedrock-tenancy:entity-ref', 'component:default/mine'],
      ['bedrock-tenancy:owner', 'group:default/team-support'],
    ]) {
      expect(() => checkExistingStack(s, { ...tags, [key]: value })).toThrow(
        /already has AWS resources in 123456789012 that no binding records/,
      );
    }
    const { ['bedrock-tenancy:owner']: _, ...untagged } = tags;
    expect(() => checkExistingStack(s, untagged)).toThrow(NotAllowedError);
  });

  it("resume: only an admin lifts an admin's suspension", () => {
    const byAdmin = { [TAG_SUSPENDED_BY]: adminSuspender('user:default/ada') };
    expect(adminSuspender('user:default/ada')).toBe('admin:user:default/ada');
    expect(() => checkResume('docs-bot', owner, byAdmin)).toThrow(
      'Tenant docs-bot was suspended by a Bedrock admin (user:default/ada): resuming it needs a Bedrock admin (bedrock.binding.manage)',
    );
    expect(() => checkResume('docs-bot', admin, byAdmin)).not.toThrow();
    for (const by of ['user:default/dora', 'budget:2026-12']) {
      expect(() =>
        checkResume('docs-bot', owner, { [TAG_SUSPENDED_BY]: by }),
      ).not.toThrow();
    }
    expect(() => checkResume('docs-bot', owner, undefined)).not.toThrow();
  });
});

describe('initiatorAuthorizer', () => {
  const initiator = mockCredentials.user('user:default/grace');
  const ctx = { getInitiatorCredentials: async () => initiator };
  const check = {
    change: 'suspend' as const,
    accountId: ACCOUNT,
    regions: [REGION],
  };
  const refusal = (status: number, message: string) =>
    ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'X', message },
          request: { method: 'POST', url: '/bindings/docs-bot/check' },
          response: { statusCode: status },
        }),
        {
          status,
          headers: { 'content-type': 'application/json' },
        },
      ) as any,
    );

  function authorizerAnswering(decision: () => Promise<TenantChangeDecision>) {
    const calls: unknown[] = [];
    const bindings = {
      check: async (tenantId: string, c: unknown, o: unknown) => {
        calls.push([tenantId, c, o]);
        return decision();
      },
      put: async () => {},
      remove: async () => ({ removed: true }),
    };
    const decide = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
    const permissions = mockServices.permissions.mock({
      authorize: decide as any,
    });
    return {
      subject: initiatorAuthorizer({ bindings, permissions }),
      calls,
      decide,
    };
  }

  it("asks the backend on behalf of the task's initiator and answers its decision", async () => {
    const { subject, calls } = authorizerAnswering(async () => ({
      admin: false,
      bound: true,
    }));
    expect(await subject.change(ctx, 'docs-bot', check)).toEqual({
      admin: false,
      bound: true,
    });
    expect(calls).toEqual([['docs-bot', check, { onBehalfOf: initiator }]]);
    expect(subject.operator).toBeUndefined();
  });

  it.each([
    [403, NotAllowedError],
    [409, ConflictError],
    [400, InputError],
  ])(
    'passes a %s on as the error it stands for, with its message',
    async (status, type) => {
      const { subject } = authorizerAnswering(async () => {
        throw await refusal(
          status,
          'You may not suspend Bedrock tenant docs-bot',
        );
      });
      const p = subject.change(ctx, 'docs-bot', check);
      await expect(p).rejects.toThrow(type);
      await expect(p).rejects.toThrow(
        /^You may not suspend Bedrock tenant docs-bot$/,
      );
    },
  );

  it('says the backend refused anything else, and passes other errors on', async () => {
    const { subject } = authorizerAnswering(async () => {
      throw await refusal(500, 'boom');
    });
    await expect(subject.change(ctx, 'docs-bot', check)).rejects.toThrow(
      'The bedrock backend refused the change: boom',
    );
    const down = authorizerAnswering(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    await expect(down.subject.change(ctx, 'docs-bot', check)).rejects.toThrow(
      'connect ECONNREFUSED',
    );
  });

  it('asks the permission framework whether the initiator is an admin, and refuses if not', async () => {
    const { subject, decide } = authorizerAnswering(async () => ({
      admin: false,
      bound: false,
    }));
    await expect(
      subject.requireAdmin(ctx, 'Invocation logging of 1/us-east-1'),
    ).rejects.toThrow(
      new NotAllowedError(
        'Invocation logging of 1/us-east-1 needs a Bedrock admin (bedrock.binding.manage)',
      ),
    );
    expect(decide).toHaveBeenCalledWith(
      [{ permission: bedrockBindingManagePermission }],
      { credentials: initiator },
    );
    decide.mockResolvedValueOnce([{ result: AuthorizeResult.ALLOW }] as any);
    await expect(subject.requireAdmin(ctx, 'x')).resolves.toBeUndefined();
  });

  it('lets the operator do everything, as the operator', async () => {
    expect(operatorAuthorizer.operator).toBe(true);
    expect(await operatorAuthorizer.change(ctx, 'docs-bot', check)).toEqual({
      admin: true,
      bound: false,
    });
    await expect(
      operatorAuthorizer.requireAdmin(ctx, 'x'),
    ).resolves.toBeUndefined();
  });
});
