/**
 * A team that wants another team's tenant: the stock templates run through the real scaffolder,
 * the real catalog, the permission framework with the demo policy and the bedrock backend, against
 * moto. Every change another team asks is refused before any AWS call (the emulator's state is the
 * same before and after); the owners and the admins still can.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetRolePolicyCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { TAG_SUSPENDED_BY } from '@bedrock-tenancy/plugin-bedrock-node';
import {
  ACCOUNT,
  HAIKU,
  REGION,
  SONNET,
  startTestEnv,
  TestEnv,
} from './__testUtils__/testEnv';
import {
  Portal,
  portalClient,
  startPortal,
  until,
} from './__testUtils__/startPortal';

jest.setTimeout(600_000);

const ADA = 'user:default/ada'; // a Bedrock admin (group platform)
const DORA = 'user:default/dora'; // team-docs: the tenant's owners
const GRACE = 'user:default/grace'; // team-support: another team

let env: TestEnv;
let portal: Portal;
let provisioned: string;
let ada: ReturnType<typeof portalClient>;
let dora: ReturnType<typeof portalClient>;
let grace: ReturnType<typeof portalClient>;

beforeAll(async () => {
  env = await startTestEnv();
  provisioned = fs.mkdtempSync(
    path.join(os.tmpdir(), 'bedrock-provisioned-authz-'),
  );
  process.env.AWS_ENDPOINT_URL_STS = env.moto.endpoint;
  portal = await startPortal({
    env,
    provisioned,
    groups: {
      [ADA]: ['group:default/platform'],
      [DORA]: ['group:default/team-docs'],
      [GRACE]: ['group:default/team-support'],
    },
  });
  ada = portalClient(portal, ADA);
  dora = portalClient(portal, DORA);
  grace = portalClient(portal, GRACE);
  await until('the templates in the catalog', async () =>
    (await ada.entity('template/default/bedrock-tenant-lifecycle')).status ===
    200
      ? true
      : undefined,
  );
});

afterAll(async () => {
  await portal?.stop();
  await env?.stop();
  delete process.env.AWS_ENDPOINT_URL_STS;
  if (provisioned) fs.rmSync(provisioned, { recursive: true, force: true });
});

const TENANT = 'docs-bot';
const ENTITY = `component:default/${TENANT}`;
const UPDATE = {
  operation: 'update',
  models: [SONNET],
  monthlyBudgetUsd: 1,
  notificationEmails: ['grace@example.com'],
  suspendAtBudget: true,
  tokensPerHour: 1,
  errorsPer5Minutes: 10,
  invocationsPerHour: 1000,
  latencyMs: 10000,
  throttlesPer5Minutes: 0,
};

/** Runs a template that must fail: its log; the emulator's state must not have changed. */
async function refused(
  who: ReturnType<typeof portalClient>,
  template: string,
  values: Record<string, unknown>,
): Promise<string> {
  const before = await env.state();
  const profiles = env.bedrock.profiles.size;
  const { task, log } = await who.run(template, values);
  expect(task.status).toBe('failed');
  expect(await env.state()).toEqual(before);
  expect(env.bedrock.profiles.size).toBe(profiles);
  return log;
}

const roleTags = async () => {
  const aws = await env.factory().forTarget(ACCOUNT, REGION);
  const { Tags = [] } = await aws.iam.send(
    new ListRoleTagsCommand({ RoleName: `bedrock-tenant-${TENANT}` }),
  );
  return Object.fromEntries(Tags.map(t => [t.Key, t.Value]));
};

it("lets a team create its own tenant, bound on the creator's behalf", async () => {
  await dora.runTemplate('bedrock-tenant', {
    tenantId: TENANT,
    title: 'Docs bot',
    owner: 'group:default/team-docs',
    system: 'system:default/docs',
    accountId: ACCOUNT,
    regions: [REGION],
    models: [HAIKU],
    monthlyBudgetUsd: 100,
    notificationEmails: ['docs@example.com'],
  });
  expect(await (await ada.binding(TENANT)).json()).toMatchObject({
    entityRef: ENTITY,
    source: 'provisioning',
    updatedBy: DORA,
    owner: 'group:default/team-docs',
  });
  await until('the tenant entity', async () =>
    (await dora.entity(`component/default/${TENANT}`)).status === 200
      ? true
      : undefined,
  );
});

it('refuses another team every change of the tenant, before any AWS call, with a clear reason', async () => {
  const manage =
    'only the owners of the entity it is bound to and Bedrock admins may (bedrock.tenant.manage)';
  expect(
    await refused(grace, 'bedrock-tenant-lifecycle', {
      entityRef: ENTITY,
      operation: 'suspend',
    }),
  ).toContain(`You may not suspend Bedrock tenant ${TENANT}: ${manage}`);
  expect(
    await refused(grace, 'bedrock-tenant-lifecycle', {
      entityRef: ENTITY,
      ...UPDATE,
    }),
  ).toContain(`You may not update Bedrock tenant ${TENANT}`);
  expect(
    await refused(grace, 'bedrock-tenant-lifecycle', {
      entityRef: ENTITY,
      operation: 'delete',
      confirm: TENANT,
    }),
  ).toContain(`You may not delete Bedrock tenant ${TENANT}`);
  expect(
    await refused(grace, 'bedrock-tenant-lifecycle', {
      entityRef: ENTITY,
      operation: 'adopt',
    }),
  ).toContain('bedrock.binding.manage');
  // the create template on the same tenant id: converging it would take it over
  expect(
    await refused(grace, 'bedrock-tenant', {
      tenantId: TENANT,
      title: 'Mine now',
      owner: 'group:default/team-support',
      system: 'system:default/docs',
      accountId: ACCOUNT,
      regions: [REGION],
      models: [HAIKU],
      monthlyBudgetUsd: 1,
      notificationEmails: ['grace@example.com'],
    }),
  ).toContain(`You may not create Bedrock tenant ${TENANT}`);
  // the account's invocation logging is every tenant's there
  expect(
    await refused(grace, 'bedrock-account-logging', {
      accountId: ACCOUNT,
      region: REGION,
    }),
  ).toContain('needs a Bedrock admin');
  // the binding and the catalog file are as the owners left them
  expect(await (await ada.binding(TENANT)).json()).toMatchObject({
    entityRef: ENTITY,
    updatedBy: DORA,
  });
  expect(
    fs.readFileSync(path.join(provisioned, `${TENANT}.yaml`), 'utf8'),
  ).toContain('owner: group:default/team-docs');
});

it("lets the owners suspend and resume their tenant, but not lift an admin's suspension", async () => {
  const aws = await env.factory().forTarget(ACCOUNT, REGION);
  const deny = () =>
    aws.iam.send(
      new GetRolePolicyCommand({
        RoleName: `bedrock-tenant-${TENANT}`,
        PolicyName: 'bedrock-tenancy-suspended',
      }),
    );
  await dora.runTemplate('bedrock-tenant-lifecycle', {
    entityRef: ENTITY,
    operation: 'suspend',
  });
  await expect(deny()).resolves.toBeDefined();
  expect((await roleTags())[TAG_SUSPENDED_BY]).toBe(DORA);
  await dora.runTemplate('bedrock-tenant-lifecycle', {
    entityRef: ENTITY,
    operation: 'resume',
  });
  await expect(deny()).rejects.toThrow();

  await ada.runTemplate('bedrock-tenant-lifecycle', {
    entityRef: ENTITY,
    operation: 'suspend',
  });
  expect((await roleTags())[TAG_SUSPENDED_BY]).toBe(`admin:${ADA}`);
  expect(
    await refused(dora, 'bedrock-tenant-lifecycle', {
      entityRef: ENTITY,
      operation: 'resume',
    }),
  ).toContain(`was suspended by a Bedrock admin (${ADA})`);
  await ada.runTemplate('bedrock-tenant-lifecycle', {
    entityRef: ENTITY,
    operation: 'resume',
  });
  await expect(deny()).rejects.toThrow();
});

it('lets the owners delete their tenant: its binding and catalog file go with it', async () => {
  await dora.runTemplate('bedrock-tenant-lifecycle', {
    entityRef: ENTITY,
    operation: 'delete',
    confirm: TENANT,
  });
  expect((await ada.binding(TENANT)).status).toBe(404);
  expect(fs.readdirSync(provisioned)).toEqual([]);
  expect(env.bedrock.profiles.size).toBe(0);
});
