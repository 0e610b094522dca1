/**
 * End to end: the templates in /templates run through the real scaffolder backend with this
 * module, against moto (+ the test-only inference-profile stand-in), and the new tenant shows
 * up in the real catalog backend through the file location of the provisioned directory.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import os from 'node:os';
import path from 'node:path';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  ACCOUNT,
  HAIKU,
  NOVA_PRO,
  REGION,
  SONNET,
  startTestEnv,
  TestEnv,
} from './__testUtils__/testEnv';
import {
  Portal,
  portalClient,
  startPortal,
  TEMPLATES,
  until,
} from './__testUtils__/startPortal';

jest.setTimeout(240_000);

let env: TestEnv;
let portal: Portal;
let provisioned: string;
let api: ReturnType<typeof portalClient>['api'];
let runTemplate: ReturnType<typeof portalClient>['runTemplate'];
let entity: ReturnType<typeof portalClient>['entity'];
let binding: ReturnType<typeof portalClient>['binding'];

beforeAll(async () => {
  env = await startTestEnv();
  provisioned = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-provisioned-'));
  process.env.AWS_ENDPOINT_URL_STS = env.moto.endpoint;
  portal = await startPortal({ env, provisioned });
  ({ api, runTemplate, entity, binding } = portalClient(
    portal,
    'user:default/guest',
  ));
});

afterAll(async () => {
  await portal?.stop();
  await env?.stop();
  delete process.env.AWS_ENDPOINT_URL_STS;
  if (provisioned) fs.rmSync(provisioned, { recursive: true, force: true });
});

/** Every file under `dir` as the dry-run API takes it. */
function filesOf(dir: string, base = dir): object[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d =>
    d.isDirectory()
      ? filesOf(path.join(dir, d.name), base)
      : [
          {
            path: path.relative(base, path.join(dir, d.name)),
            base64Content: fs
              .readFileSync(path.join(dir, d.name))
              .toString('base64'),
          },
        ],
  );
}

const WEST = 'us-west-2';
/** A new user's choices: two regions and an enforced guardrail. */
const E2E_VALUES = {
  tenantId: 'e2e-bot',
  title: 'E2E bot',
  owner: 'group:default/team-e2e',
  system: 'system:default/storefront',
  accountId: ACCOUNT,
  regions: [REGION, WEST],
  models: [HAIKU, NOVA_PRO],
  monthlyBudgetUsd: 120,
  notificationEmails: ['e2e@example.com'],
  tokensPerHour: 100000,
  errorsPer5Minutes: 10,
  invocationsPerHour: 1000,
  latencyMs: 10000,
  throttlesPer5Minutes: 0,
  // Flex only: the role is denied Priority (and Reserved)
  allowedServiceTiers: ['flex'],
  guardrail: true,
  enforceGuardrail: true,
  violenceStrength: 'HIGH',
};

it('creates a tenant from the template and finds it in the catalog, then suspends and deletes it', async () => {
  await until('the templates in the catalog', async () =>
    (await entity('template/default/bedrock-tenant-lifecycle')).status === 200
      ? true
      : undefined,
  );

  // the template editor's dry run: the plan, with documents, and nothing made
  const dry = await api('/api/scaffolder/v2/dry-run', {
    method: 'POST',
    body: JSON.stringify({
      template: parseYaml(
        fs.readFileSync(
          path.resolve(TEMPLATES, '../bedrock-tenant/template.yaml'),
          'utf8',
        ),
      ),
      values: E2E_VALUES,
      // what the template editor sends: the template's folder
      directoryContents: filesOf(path.resolve(TEMPLATES, '../bedrock-tenant')),
    }),
  });
  expect({
    status: dry.status,
    body: dry.status === 200 ? '' : await dry.text(),
  }).toEqual({ status: 200, body: '' });
  const planText = (await dry.json()).output.text.find(
    (t: any) => t.title === 'Plan',
  ).content;
  expect(planText).toContain(
    // role, policy, dashboard, budget; per region 2 profiles, guardrail, topic and 5 alarms
    '22 to create, 0 to change, 0 to delete, 0 unchanged. Nothing has been changed.',
  );
  expect(planText).toContain(`**guardrail** \`bedrock-e2e-bot (${WEST})\``);
  expect(planText).toContain('"Sid": "DenyInvokeWithoutTenantGuardrail"');
  expect(env.bedrock.guardrails.size).toBe(0);
  expect(env.bedrock.profiles.size).toBe(0);

  await runTemplate('bedrock-tenant', E2E_VALUES);
  expect(fs.readdirSync(provisioned)).toEqual(['e2e-bot.yaml']);

  // the guardrail the template asked for: stricter than the default, published, enforced
  expect(env.bedrock.guardrails.size).toBe(2);
  const guardrail = [...env.bedrock.guardrails.values()].find(g =>
    g.guardrailArn.includes(`:${REGION}:`),
  )!;
  expect(guardrail.name).toBe('bedrock-e2e-bot');
  expect(
    guardrail.versions.get('1')?.contentPolicyConfig?.filtersConfig,
  ).toEqual(
    expect.arrayContaining([
      { type: 'VIOLENCE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
    ]),
  );
  const enforced = await (
    await env.factory().forTarget(ACCOUNT, REGION)
  ).iam.send(
    new GetRolePolicyCommand({
      RoleName: 'bedrock-tenant-e2e-bot',
      PolicyName: 'bedrock-tenant-invoke',
    }),
  );
  // one role for both regions: either region's guardrail version
  expect(decodeURIComponent(enforced.PolicyDocument!)).toContain(
    `"bedrock:GuardrailIdentifier":["${guardrail.guardrailArn}:1"`,
  );
  expect(decodeURIComponent(enforced.PolicyDocument!)).toContain(
    '"Condition":{"StringEquals":{"bedrock:ServiceTier":["priority","reserved"]}}',
  );

  const tenant = await until('the tenant entity', async () => {
    const res = await entity('component/default/e2e-bot');
    return res.status === 200 ? res.json() : undefined;
  });
  expect(tenant.spec).toMatchObject({
    owner: 'group:default/team-e2e',
    system: 'system:default/storefront',
  });
  const read = readTenantAnnotations(tenant);
  expect(read.kind).toBe('ok');
  if (read.kind !== 'ok') return;
  expect(read.tenant.regions).toEqual([REGION, WEST]);
  expect(Object.values(read.tenant.inferenceProfiles).sort()).toEqual(
    [NOVA_PRO, HAIKU, NOVA_PRO, HAIKU].sort(),
  );
  expect(Object.keys(read.tenant.inferenceProfiles).sort()).toEqual(
    [...env.bedrock.profiles.values()].map(p => p.inferenceProfileId).sort(),
  );
  // the create action bound the tenant to the entity it published, exactly as annotated
  const bound = await (await binding('e2e-bot')).json();
  expect(bound).toMatchObject({
    entityRef: 'component:default/e2e-bot',
    source: 'provisioning',
    accountId: read.tenant.accountId,
    regions: read.tenant.regions,
    inferenceProfiles: read.tenant.inferenceProfiles,
  });

  // update through the lifecycle template: new profile, entity file rewritten, catalog follows
  await runTemplate('bedrock-tenant-lifecycle', {
    entityRef: 'component:default/e2e-bot',
    operation: 'update',
    models: [SONNET],
    monthlyBudgetUsd: 120,
    notificationEmails: ['e2e@example.com', 'finops@example.com'],
    tokensPerHour: 50000,
    errorsPer5Minutes: 10,
    invocationsPerHour: 1000,
    latencyMs: 10000,
    throttlesPer5Minutes: 0,
    allowedServiceTiers: ['priority', 'flex'],
    guardrail: true,
    enforceGuardrail: true,
    violenceStrength: 'HIGH',
  });
  // both tiers allowed now: only Reserved is denied
  const updated = await (
    await env.factory().forTarget(ACCOUNT, REGION)
  ).iam.send(
    new GetRolePolicyCommand({
      RoleName: 'bedrock-tenant-e2e-bot',
      PolicyName: 'bedrock-tenant-invoke',
    }),
  );
  expect(decodeURIComponent(updated.PolicyDocument!)).toContain(
    '"Condition":{"StringEquals":{"bedrock:ServiceTier":["reserved"]}}',
  );
  // the same guardrail settings: the same published version
  expect([...guardrail.versions.keys()]).toEqual(['1']);
  expect([...env.bedrock.profiles.values()].map(p => p.copyFrom)).toEqual([
    `arn:aws:bedrock:${REGION}::foundation-model/${SONNET}`,
    `arn:aws:bedrock:${WEST}::foundation-model/${SONNET}`,
  ]);
  const [sonnetId, westSonnetId] = [...env.bedrock.profiles.values()].map(
    p => p.inferenceProfileId,
  );
  await until('the updated annotations in the catalog', async () => {
    const res = await entity('component/default/e2e-bot');
    const body = res.status === 200 ? await res.json() : undefined;
    return body?.metadata.annotations[
      'bedrock-tenancy.io/inference-profiles'
    ] === `${sonnetId}=${SONNET},${westSonnetId}=${SONNET}`
      ? true
      : undefined;
  });
  expect(await (await binding('e2e-bot')).json()).toMatchObject({
    regions: [REGION, WEST],
    inferenceProfiles: { [sonnetId]: SONNET, [westSonnetId]: SONNET },
  });

  // an admin re-binds the entity through the template: on the initiator's credentials
  await runTemplate('bedrock-tenant-lifecycle', {
    entityRef: 'component:default/e2e-bot',
    operation: 'adopt',
  });
  expect(await (await binding('e2e-bot')).json()).toMatchObject({
    entityRef: 'component:default/e2e-bot',
    source: 'admin',
    updatedBy: 'user:default/guest',
  });

  const aws = await env.factory().forTarget(ACCOUNT, REGION);
  await runTemplate('bedrock-tenant-lifecycle', {
    entityRef: 'component:default/e2e-bot',
    operation: 'suspend',
  });
  const deny = await aws.iam.send(
    new GetRolePolicyCommand({
      RoleName: 'bedrock-tenant-e2e-bot',
      PolicyName: 'bedrock-tenancy-suspended',
    }),
  );
  expect(decodeURIComponent(deny.PolicyDocument!)).toContain('"Effect":"Deny"');

  await runTemplate('bedrock-tenant-lifecycle', {
    entityRef: 'component:default/e2e-bot',
    operation: 'delete',
    confirm: 'e2e-bot',
  });
  await expect(
    aws.iam.send(new GetRoleCommand({ RoleName: 'bedrock-tenant-e2e-bot' })),
  ).rejects.toThrow();
  expect(env.bedrock.profiles.size).toBe(0);
  expect(env.bedrock.guardrails.size).toBe(0);
  expect(fs.readdirSync(provisioned)).toEqual([]);
  expect((await binding('e2e-bot')).status).toBe(404);
});
