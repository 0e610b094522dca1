import {
  BedrockClient,
  CreateGuardrailCommand,
  CreateGuardrailCommandInput,
  CreateGuardrailVersionCommand,
  DeleteGuardrailCommand,
  GetGuardrailCommand,
  GetModelInvocationLoggingConfigurationCommand,
  ListGuardrailsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateGuardrailCommand,
} from '@aws-sdk/client-bedrock';
import { BedrockStandIn, startBedrockStandIn } from './bedrockProfilesStandIn';
import { EMULATOR_CREDENTIALS } from './accounts';
import { MotoServer, startMoto } from './moto';

const ACCOUNT = '123456789012';

/** The guardrail calls of @aws-sdk/client-bedrock, through its real serializers, against the stand-in. */
describe('guardrail stand-in', () => {
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  const client = (region = 'us-east-1') =>
    new BedrockClient({
      region,
      endpoint: standIn.endpoint,
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });

  beforeAll(async () => {
    moto = await startMoto();
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: ACCOUNT,
    });
  }, 60_000);
  afterAll(async () => {
    await standIn?.stop();
    await moto?.stop();
  });
  beforeEach(() => standIn.reset());

  const input = (
    over: Partial<CreateGuardrailCommandInput> = {},
  ): CreateGuardrailCommandInput => ({
    name: 'bedrock-checkout',
    description: 'tenant checkout',
    blockedInputMessaging: 'Blocked by policy.',
    blockedOutputsMessaging: 'The answer was blocked by policy.',
    contentPolicyConfig: {
      filtersConfig: [
        { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
        {
          type: 'PROMPT_ATTACK',
          inputStrength: 'HIGH',
          outputStrength: 'NONE',
        },
      ],
    },
    topicPolicyConfig: {
      topicsConfig: [
        {
          name: 'investment-advice',
          definition: 'Recommendations about buying or selling securities.',
          type: 'DENY',
        },
      ],
    },
    sensitiveInformationPolicyConfig: {
      piiEntitiesConfig: [
        { type: 'EMAIL', action: 'ANONYMIZE' },
        { type: 'CREDIT_DEBIT_CARD_NUMBER', action: 'BLOCK' },
      ],
    },
    tags: [{ key: 'bedrock-tenancy.io/tenant-id', value: 'checkout' }],
    clientRequestToken: 'create-checkout-1',
    ...over,
  });

  it('creates a guardrail, returns its draft with the policies sent, and its tags', async () => {
    const made = await client().send(new CreateGuardrailCommand(input()));
    expect(made.version).toBe('DRAFT');
    expect(made.guardrailArn).toBe(
      `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/${made.guardrailId}`,
    );
    expect(made.guardrailId).toMatch(/^[a-z0-9]{12}$/);
    expect(Math.abs(made.createdAt!.getTime() - Date.now())).toBeLessThan(
      60_000,
    );

    const got = await client().send(
      new GetGuardrailCommand({ guardrailIdentifier: made.guardrailArn }),
    );
    expect(got).toMatchObject({
      name: 'bedrock-checkout',
      version: 'DRAFT',
      status: 'READY',
      blockedInputMessaging: 'Blocked by policy.',
      contentPolicy: {
        filters: [
          { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
          {
            type: 'PROMPT_ATTACK',
            inputStrength: 'HIGH',
            outputStrength: 'NONE',
          },
        ],
      },
      topicPolicy: { topics: [{ name: 'investment-advice', type: 'DENY' }] },
      sensitiveInformationPolicy: {
        piiEntities: [
          { type: 'EMAIL', action: 'ANONYMIZE' },
          { type: 'CREDIT_DEBIT_CARD_NUMBER', action: 'BLOCK' },
        ],
      },
    });
    expect(got.updatedAt).toBeInstanceOf(Date);

    const tags = await client().send(
      new ListTagsForResourceCommand({ resourceARN: made.guardrailArn }),
    );
    expect(tags.tags).toEqual([
      { key: 'bedrock-tenancy.io/tenant-id', value: 'checkout' },
    ]);
  });

  it('answers a repeated create with the same token with the same guardrail, another token with a conflict', async () => {
    const a = await client().send(new CreateGuardrailCommand(input()));
    const b = await client().send(new CreateGuardrailCommand(input()));
    expect(b.guardrailId).toBe(a.guardrailId);
    await expect(
      client().send(
        new CreateGuardrailCommand(input({ clientRequestToken: 'other' })),
      ),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    expect(standIn.guardrails.size).toBe(1);
  });

  it('refuses what AWS refuses with a ValidationException', async () => {
    await expect(
      client().send(
        new CreateGuardrailCommand(
          input({
            contentPolicyConfig: {
              filtersConfig: [
                {
                  type: 'PROMPT_ATTACK',
                  inputStrength: 'HIGH',
                  outputStrength: 'HIGH',
                },
              ],
            },
          }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'PROMPT_ATTACK filter: outputStrength must be NONE',
    });
    await expect(
      client().send(new CreateGuardrailCommand(input({ name: 'has space' }))),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(standIn.guardrails.size).toBe(0);
  });

  it('publishes versions as snapshots of the draft, and lists them', async () => {
    const { guardrailId } = await client().send(
      new CreateGuardrailCommand(input()),
    );
    const v1 = await client().send(
      new CreateGuardrailVersionCommand({
        guardrailIdentifier: guardrailId,
        clientRequestToken: 'v-1',
      }),
    );
    expect(v1).toMatchObject({ guardrailId, version: '1' });
    // the same token again: the same version, not a new one
    const again = await client().send(
      new CreateGuardrailVersionCommand({
        guardrailIdentifier: guardrailId,
        clientRequestToken: 'v-1',
      }),
    );
    expect(again.version).toBe('1');

    const updated = await client().send(
      new UpdateGuardrailCommand({
        guardrailIdentifier: guardrailId,
        ...input(),
        blockedInputMessaging: 'Not allowed here.',
      }),
    );
    expect(updated.version).toBe('DRAFT');
    const v2 = await client().send(
      new CreateGuardrailVersionCommand({ guardrailIdentifier: guardrailId }),
    );
    expect(v2.version).toBe('2');

    const get = (guardrailVersion?: string) =>
      client().send(
        new GetGuardrailCommand({
          guardrailIdentifier: guardrailId,
          guardrailVersion,
        }),
      );
    expect((await get('1')).blockedInputMessaging).toBe('Blocked by policy.');
    expect((await get('2')).blockedInputMessaging).toBe('Not allowed here.');
    expect((await get()).blockedInputMessaging).toBe('Not allowed here.');
    await expect(get('3')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    const versions = await client().send(
      new ListGuardrailsCommand({ guardrailIdentifier: guardrailId }),
    );
    expect(versions.guardrails?.map(g => g.version)).toEqual([
      'DRAFT',
      '1',
      '2',
    ]);
  });

  it('lists the drafts of one account and region only', async () => {
    await client().send(new CreateGuardrailCommand(input()));
    await client().send(
      new CreateGuardrailCommand(
        input({ name: 'bedrock-support', clientRequestToken: 's' }),
      ),
    );
    await client('us-west-2').send(
      new CreateGuardrailCommand(input({ name: 'bedrock-west' })),
    );
    const east = await client().send(new ListGuardrailsCommand({}));
    expect(east.guardrails?.map(g => [g.name, g.version]).sort()).toEqual([
      ['bedrock-checkout', 'DRAFT'],
      ['bedrock-support', 'DRAFT'],
    ]);
    const page = await client().send(
      new ListGuardrailsCommand({ maxResults: 1 }),
    );
    expect(page.guardrails).toHaveLength(1);
    const rest = await client().send(
      new ListGuardrailsCommand({ maxResults: 1, nextToken: page.nextToken }),
    );
    expect(rest.guardrails?.[0].name).not.toBe(page.guardrails?.[0].name);
    expect(rest.nextToken).toBeUndefined();
  });

  it('tags and untags a guardrail', async () => {
    const { guardrailArn } = await client().send(
      new CreateGuardrailCommand(input()),
    );
    await client().send(
      new TagResourceCommand({
        resourceARN: guardrailArn,
        tags: [
          { key: 'managed-by', value: 'bedrock-tenancy' },
          { key: 'bedrock-tenancy.io/tenant-id', value: 'checkout-2' },
        ],
      }),
    );
    await client().send(
      new UntagResourceCommand({
        resourceARN: guardrailArn,
        tagKeys: ['managed-by'],
      }),
    );
    const { tags } = await client().send(
      new ListTagsForResourceCommand({ resourceARN: guardrailArn }),
    );
    expect(tags).toEqual([
      { key: 'bedrock-tenancy.io/tenant-id', value: 'checkout-2' },
    ]);
  });

  it('deletes one version, then the guardrail with every version', async () => {
    const { guardrailId, guardrailArn } = await client().send(
      new CreateGuardrailCommand(input()),
    );
    await client().send(
      new CreateGuardrailVersionCommand({ guardrailIdentifier: guardrailId }),
    );
    await client().send(
      new CreateGuardrailVersionCommand({ guardrailIdentifier: guardrailId }),
    );
    await client().send(
      new DeleteGuardrailCommand({
        guardrailIdentifier: guardrailId,
        guardrailVersion: '1',
      }),
    );
    const left = await client().send(
      new ListGuardrailsCommand({ guardrailIdentifier: guardrailId }),
    );
    expect(left.guardrails?.map(g => g.version)).toEqual(['DRAFT', '2']);

    await client().send(
      new DeleteGuardrailCommand({ guardrailIdentifier: guardrailArn }),
    );
    await expect(
      client().send(
        new GetGuardrailCommand({ guardrailIdentifier: guardrailId }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client().send(
        new ListTagsForResourceCommand({ resourceARN: guardrailArn }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(standIn.guardrails.size).toBe(0);
  });

  it('keeps other regions out and still forwards the rest to moto', async () => {
    const { guardrailId } = await client().send(
      new CreateGuardrailCommand(input()),
    );
    await expect(
      client('eu-west-1').send(
        new GetGuardrailCommand({ guardrailIdentifier: guardrailId }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const logging = await client().send(
      new GetModelInvocationLoggingConfigurationCommand({}),
    );
    expect(logging.$metadata.httpStatusCode).toBe(200);
  });
});
