import { bindingOfPlan } from '../bindings/record';
import { testConfig } from '../__testUtils__/testEnv';
import { parseTenantSpec } from './inputs';
import { buildTenantPlan } from './regionsPlan';
import { pricedModelId } from './tenantPlan';

const SONNET_45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('pricedModelId', () => {
  it('prices a copy of a global cross-Region profile as global, any other as the base model', () => {
    expect(
      pricedModelId({
        modelId: SONNET_45,
        copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.${SONNET_45}`,
      }),
    ).toBe(`global.${SONNET_45}`);
    expect(
      pricedModelId({
        modelId: SONNET_45,
        copyFrom: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET_45}`,
      }),
    ).toBe(SONNET_45);
    expect(
      pricedModelId({
        modelId: SONNET_45,
        copyFrom: `arn:aws:bedrock:us-east-1::foundation-model/${SONNET_45}`,
      }),
    ).toBe(SONNET_45);
  });

  it('is what the annotations and the binding of a global-profile tenant say', () => {
    const base = testConfig();
    const cfg = {
      ...base,
      models: [
        ...base.models,
        {
          id: SONNET_45,
          copyFrom: `arn:aws:bedrock:{region}:{accountId}:inference-profile/global.${SONNET_45}`,
        },
      ],
    };
    const spec = parseTenantSpec(cfg, {
      tenantId: 'global-bot',
      accountId: base.accounts[0],
      region: 'us-east-1',
      owner: 'group:default/team-a',
      models: [SONNET_45],
      notificationEmails: ['a@example.com'],
    });
    const plan = buildTenantPlan(spec, cfg, {
      'us-east-1': { [SONNET_45]: { id: 'abc123', arn: 'arn:x/abc123' } },
    });
    expect(plan.annotations['bedrock-tenancy.io/inference-profiles']).toBe(
      `abc123=global.${SONNET_45}`,
    );
    expect(
      bindingOfPlan(plan, {
        entityRef: 'component:default/global-bot',
        owner: 'group:default/team-a',
      }).inferenceProfiles,
    ).toEqual({ abc123: `global.${SONNET_45}` });
  });
});
