import fs from 'node:fs/promises';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createBedrockCatalogPublishAction } from './catalogPublish';

describe('bedrock:catalog:publish', () => {
  const workspace = createMockDirectory();
  const catalogDir = createMockDirectory();
  const entity = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop-bot
  annotations:
    bedrock-tenancy.io/tenant-id: shop-bot
spec: { type: service, lifecycle: production, owner: team-a }
`;
  const action = createBedrockCatalogPublishAction({
    directory: catalogDir.path,
  });
  const run = async (input: object, dryRun = false) => {
    const outputs: Record<string, unknown> = {};
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    await action.handler({
      ...ctx,
      isDryRun: dryRun,
      output: (k: string, v: unknown) => {
        outputs[k] = v;
      },
    } as any);
    return outputs;
  };

  beforeEach(() => {
    workspace.clear();
    catalogDir.clear();
    workspace.setContent({ 'catalog-info.yaml': entity });
  });

  it('copies the entity file into the catalog directory, idempotently, and removes it', async () => {
    const target = path.join(catalogDir.path, 'shop-bot.yaml');
    expect(await run({ tenantId: 'shop-bot' }, true)).toEqual({
      filePath: target,
      changed: true,
    });
    await expect(fs.stat(target)).rejects.toThrow();
    expect(await run({ tenantId: 'shop-bot' })).toEqual({
      filePath: target,
      changed: true,
    });
    expect(await fs.readFile(target, 'utf8')).toBe(entity);
    expect(await run({ tenantId: 'shop-bot' })).toEqual({
      filePath: target,
      changed: false,
    });
    expect(await run({ tenantId: 'shop-bot', remove: true })).toEqual({
      filePath: target,
      changed: true,
    });
    await expect(fs.stat(target)).rejects.toThrow();
    expect(await run({ tenantId: 'shop-bot', remove: true })).toEqual({
      filePath: target,
      changed: false,
    });
  });

  it('refuses a file of another tenant, a path outside the workspace and a bad tenant id', async () => {
    await expect(run({ tenantId: 'other-bot' })).rejects.toThrow(
      /not the entity of tenant other-bot/,
    );
    await expect(
      run({ tenantId: 'shop-bot', sourcePath: '../x.yaml' }),
    ).rejects.toThrow();
    await expect(run({ tenantId: '../../etc' })).rejects.toThrow(/tenantId/);
    expect(await fs.readdir(catalogDir.path)).toEqual([]);
  });
});
