import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleBedrock } from './module';
import { TEST_CONFIG } from './__testUtils__/testEnv';

describe('scaffolderModuleBedrock', () => {
  it('registers every bedrock action with dry-run support', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleBedrock,
        mockServices.rootConfig.factory({
          data: {
            ...TEST_CONFIG,
            aws: { mainAccount: { accessKeyId: 'a', secretAccessKey: 'b' } },
          },
        }),
      ],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map((a: any) => [a.id, a.supportsDryRun])).toEqual([
      ['bedrock:logging:ensure', true],
      ['bedrock:tenant:create', true],
      ['bedrock:tenant:update', true],
      ['bedrock:tenant:suspend', true],
      ['bedrock:tenant:resume', true],
      ['bedrock:tenant:delete', true],
      ['bedrock:tenant:adopt', true],
      ['bedrock:catalog:publish', true],
    ]);
    for (const a of actions) {
      expect(a.examples.length).toBeGreaterThan(0);
      expect(a.schema.input).toBeDefined();
    }
  });
});
