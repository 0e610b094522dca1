import {
  BedrockClient,
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
} from '@aws-sdk/client-bedrock';
import {
  CloudWatchClient,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  BedrockStandIn,
  EMULATOR_CREDENTIALS,
  MotoServer,
  startBedrockStandIn,
  startMoto,
} from '@bedrock-tenancy/aws-emulator';
import {
  GuardrailInfo,
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_TENANT,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { guardrailSection } from '../service/guardrailSection';
import { GuardrailCollector, NOTES } from './GuardrailCollector';
import { GUARDRAIL_NAMESPACE } from './guardrailMetrics';
import { testTenant } from '../__testUtils__/tenants';

jest.setTimeout(120_000);

const ACCOUNT = '123456789012';
const NOW = Date.parse('2026-11-20T12:30:00.000Z');
const at = (iso: string) => new Date(iso);

/** a tenant of the shared account in us-east-1, attributed by its one inference profile */
const tenant = (tenantId: string) =>
  testTenant({ tenantId, accountId: ACCOUNT, inferenceProfiles: { p1: 'm' } });

describe('GuardrailCollector against the emulator', () => {
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  const arns: Record<string, string> = {};
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  const tenants = {
    // shared account, the suite's guardrail, per-guardrail metrics
    a: tenant('tenant-a'),
    // a guardrail with its name but another tenant's tag: not its guardrail
    b: tenant('tenant-b'),
    // the suite's guardrail, but CloudWatch has nothing for it
    d: tenant('tenant-d'),
    // owns its account and region (account attribution)
    c: testTenant({
      tenantId: 'tenant-c',
      accountId: ACCOUNT,
      regions: ['us-west-2'],
      attribution: 'account',
    }),
  };

  beforeAll(async () => {
    moto = await startMoto();
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: ACCOUNT,
    });
    const bedrock = (region: string) =>
      new BedrockClient({
        region,
        endpoint: standIn.endpoint,
        credentials: EMULATOR_CREDENTIALS,
        maxAttempts: 1,
      });
    const make = async (
      region: string,
      name: string,
      tenantTag: string,
      versions: number,
    ) => {
      const g = await bedrock(region).send(
        new CreateGuardrailCommand({
          name,
          blockedInputMessaging: 'Blocked.',
          blockedOutputsMessaging: 'Blocked.',
          tags: [
            { key: TAG_TENANT, value: tenantTag },
            { key: TAG_MANAGED_BY, value: MANAGED_BY_VALUE },
          ],
        }),
      );
      for (let i = 0; i < versions; i++)
        await bedrock(region).send(
          new CreateGuardrailVersionCommand({
            guardrailIdentifier: g.guardrailId,
          }),
        );
      return g.guardrailArn!;
    };
    arns.a = await make('us-east-1', 'bedrock-tenant-a', 'tenant-a', 2);
    arns.b = await make('us-east-1', 'bedrock-tenant-b', 'tenant-x', 1);
    arns.d = await make('us-east-1', 'bedrock-tenant-d', 'tenant-d', 0);
    arns.c = await make('us-west-2', 'bedrock-tenant-c', 'tenant-c', 1);

    const put = (
      region: string,
      data: Array<[string, Record<string, string>, number, string]>,
    ) =>
      new CloudWatchClient({
        region,
        endpoint: moto.endpoint,
        credentials: EMULATOR_CREDENTIALS,
      }).send(
        new PutMetricDataCommand({
          Namespace: GUARDRAIL_NAMESPACE,
          MetricData: data.map(([MetricName, dims, Value, time]) => ({
            MetricName,
            Dimensions: Object.entries(dims).map(([Name, V]) => ({
              Name,
              Value: V,
            })),
            Value,
            Timestamp: at(time),
            Unit: 'Count',
          })),
        }),
      );
    const a1 = { GuardrailArn: arns.a, GuardrailVersion: '1' };
    const a2 = { GuardrailArn: arns.a, GuardrailVersion: '2' };
    await put('us-east-1', [
      ['Invocations', a1, 100, '2026-11-18T10:00:00Z'],
      ['Invocations', a2, 50, '2026-11-19T10:00:00Z'],
      // before the 7-day window: left out
      ['Invocations', a1, 1000, '2026-11-10T10:00:00Z'],
      // the same calls split by content source: left out, or they count twice
      [
        'Invocations',
        { ...a2, GuardrailContentSource: 'INPUT' },
        50,
        '2026-11-19T10:00:00Z',
      ],
      ['InvocationsIntervened', a2, 7, '2026-11-19T10:00:00Z'],
      ['TextUnitCount', a1, 200, '2026-11-18T10:00:00Z'],
      ['TextUnitCount', a2, 300, '2026-11-19T10:00:00Z'],
      [
        'InvocationsIntervened',
        { ...a2, GuardrailPolicyType: 'TopicPolicy' },
        3,
        '2026-11-19T10:00:00Z',
      ],
      // account-wide: not any one tenant's in this shared account
      [
        'InvocationsIntervened',
        { Operation: 'ApplyGuardrail', GuardrailPolicyType: 'ContentPolicy' },
        40,
        '2026-11-19T10:00:00Z',
      ],
    ]);
    const byPolicy = (type: string) => ({
      Operation: 'ApplyGuardrail',
      GuardrailPolicyType: type,
    });
    await put('us-west-2', [
      [
        'InvocationsIntervened',
        byPolicy('ContentPolicy'),
        12,
        '2026-11-19T10:00:00Z',
      ],
      [
        'InvocationsIntervened',
        byPolicy('ContentPolicy'),
        4,
        '2026-11-20T09:00:00Z',
      ],
      ['TextUnitCount', byPolicy('ContentPolicy'), 90, '2026-11-19T10:00:00Z'],
      [
        'InvocationsIntervened',
        byPolicy('SensitiveInformationPolicy'),
        5,
        '2026-11-19T10:00:00Z',
      ],
      [
        'InvocationsIntervened',
        {
          GuardrailPolicyType: 'ContentPolicy',
          GuardrailContentSource: 'INPUT',
        },
        12,
        '2026-11-19T10:00:00Z',
      ],
    ]);
  });
  afterAll(async () => {
    await standIn?.stop();
    await moto?.stop();
  });

  async function collector(endpoint: string) {
    const knex = await databases.init('SQLITE_3');
    await DatabaseUsageStore.migrate(knex);
    const store = DatabaseUsageStore.fromKnex(knex);
    const clients = AwsClientFactory.create({
      credentials: async () => async () => EMULATOR_CREDENTIALS,
      endpoint,
      maxAttempts: 1,
    });
    const guardrails = GuardrailCollector.create({
      store,
      clients,
      logger: mockServices.logger.mock(),
      now: () => NOW,
    });
    return { store, guardrails, clients };
  }

  it("stores each tenant's own guardrail figures and never an account-wide number as a tenant's", async () => {
    const { store, guardrails } = await collector(standIn.endpoint);
    expect(await guardrails.collect(Object.values(tenants))).toEqual([
      true,
      true,
    ]);
    const snaps = await store.getSnapshots<GuardrailInfo | null>('guardrail', [
      'tenant-a/us-east-1',
      'tenant-b/us-east-1',
      'tenant-c/us-west-2',
      'tenant-d/us-east-1',
    ]);

    expect(snaps['tenant-a/us-east-1'].payload).toEqual({
      region: 'us-east-1',
      guardrailId: arns.a.split('/').pop(),
      guardrailArn: arns.a,
      name: 'bedrock-tenant-a',
      version: '2',
      windowDays: 7,
      until: '2026-11-20T12:00:00.000Z',
      // 100 + 50 invocations (not the 1,000 before the window, not the 50 by content source)
      totals: { invocations: 150, intervened: 7, textUnits: 500 },
      byPolicy: {
        scope: 'guardrail',
        policies: [{ policyType: 'TopicPolicy', intervened: 3, textUnits: 0 }],
      },
      notes: [],
    });

    // named for tenant-b but tagged for another tenant: not tenant-b's
    expect(snaps['tenant-b/us-east-1'].payload).toBeNull();

    // no series with its ARN: not available, not the account's 40 interventions
    const d = snaps['tenant-d/us-east-1'].payload!;
    expect(d.version).toBeNull();
    expect(d.totals).toBeNull();
    expect(d.byPolicy).toBeNull();
    expect(d.notes).toEqual([NOTES.noSeries, NOTES.sharedAccount]);

    // owns its account: the account-wide breakdown is its own, said so
    const c = snaps['tenant-c/us-west-2'].payload!;
    expect(c.version).toBe('1');
    expect(c.totals).toBeNull();
    expect(c.byPolicy).toEqual({
      scope: 'account',
      policies: [
        { policyType: 'ContentPolicy', intervened: 16, textUnits: 90 },
        {
          policyType: 'SensitiveInformationPolicy',
          intervened: 5,
          textUnits: 0,
        },
      ],
    });
    expect(c.notes).toEqual([NOTES.noSeries, NOTES.accountScope]);

    const section = guardrailSection([snaps['tenant-a/us-east-1']]);
    expect(section.status).toBe('ok');
  });

  it('records the failure for every tenant of a region it cannot read, and the section says so', async () => {
    // moto alone has no guardrail API
    const { store, guardrails } = await collector(moto.endpoint);
    expect(await guardrails.collect([tenants.a, tenants.d])).toEqual([false]);
    const snaps = await store.getSnapshots<GuardrailInfo | null>('guardrail', [
      'tenant-a/us-east-1',
      'tenant-d/us-east-1',
    ]);
    expect(snaps['tenant-a/us-east-1'].error).toBeTruthy();
    expect(snaps['tenant-d/us-east-1'].payload).toBeNull();
    const section = guardrailSection([snaps['tenant-a/us-east-1']]);
    expect(section).toEqual({
      status: 'error',
      message: expect.stringMatching(/^Guardrails could not be read from AWS/),
    });
    expect(guardrailSection([undefined])).toEqual({
      status: 'unavailable',
      message: 'Guardrails not collected yet',
    });
  });
});
