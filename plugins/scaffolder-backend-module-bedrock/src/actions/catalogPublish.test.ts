import fs from 'node:fs/promises';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { parse } from 'yaml';
import type { TenantChangeCheck } from '@bedrock-tenancy/plugin-bedrock-common';
import type { TaskAuthorizer } from './authorization';
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
  // the backend's decisions: shop-bot is team-a's; `refuse` plays another team's initiator
  const asked: TenantChangeCheck[] = [];
  let refuse = false;
  const authorizer: TaskAuthorizer = {
    async change(_ctx, tenantId, check) {
      asked.push(check);
      if (refuse)
        throw new NotAllowedError(
          `You may not publish Bedrock tenant ${tenantId}`,
        );
      return { admin: false, bound: true, owner: 'group:default/team-a' };
    },
    async requireAdmin() {},
  };
  const action = createBedrockCatalogPublishAction({
    directory: catalogDir.path,
    authorizer,
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
    refuse = false;
    asked.length = 0;
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

  it("publishes only what the tenant's owners may: one Component named after the tenant, owned by its owner", async () => {
    const target = path.join(catalogDir.path, 'shop-bot.yaml');
    await run({ tenantId: 'shop-bot' });
    expect(asked).toEqual([
      {
        change: 'publish',
        entityRef: 'component:default/shop-bot',
        owner: 'group:default/team-a',
      },
    ]);
    const variants: Array<[string, RegExp]> = [
      [entity.replace('owner: team-a', 'owner: team-b'), /team-b as the owner/],
      [`${entity}---\n${entity}`, /exactly one YAML document/],
      [
        entity.replace('kind: Component', 'kind: API'),
        /kind must be Component/,
      ],
      [entity.replace('name: shop-bot', 'name: shop'), /metadata.name/],
      [
        entity.replace('tenant-id: shop-bot', 'tenant-id: other-bot'),
        /annotation/,
      ],
    ];
    for (const [content, error] of variants) {
      workspace.setContent({ 'catalog-info.yaml': content });
      await expect(run({ tenantId: 'shop-bot' })).rejects.toThrow(error);
      expect(await fs.readFile(target, 'utf8')).toBe(entity);
    }
  });

  it("refuses another team the tenant's file: neither overwritten nor removed", async () => {
    const target = path.join(catalogDir.path, 'shop-bot.yaml');
    await run({ tenantId: 'shop-bot' });
    refuse = true;
    workspace.setContent({
      'catalog-info.yaml': entity.replace(
        'lifecycle: production',
        'lifecycle: x',
      ),
    });
    await expect(run({ tenantId: 'shop-bot' })).rejects.toThrow(
      NotAllowedError,
    );
    await expect(run({ tenantId: 'shop-bot', remove: true })).rejects.toThrow(
      NotAllowedError,
    );
    await expect(run({ tenantId: 'shop-bot' }, true)).rejects.toThrow(
      NotAllowedError,
    );
    expect(await fs.readFile(target, 'utf8')).toBe(entity);
  });

  it('runs its published examples: publish the workspace file, then remove it', async () => {
    const steps = action.examples!.map(
      e => parse(e.example).steps[0] as { action: string; input: object },
    );
    expect(steps.map(st => st.action)).toEqual([
      'bedrock:catalog:publish',
      'bedrock:catalog:publish',
    ]);
    workspace.setContent({
      'catalog-info.yaml': entity.replace(/shop-bot/g, 'checkout-assistant'),
    });
    const target = path.join(catalogDir.path, 'checkout-assistant.yaml');
    expect(await run(steps[0].input)).toEqual({
      filePath: target,
      changed: true,
    });
    expect(await run(steps[1].input)).toEqual({
      filePath: target,
      changed: true,
    });
    await expect(fs.stat(target)).rejects.toThrow();
  });
});
