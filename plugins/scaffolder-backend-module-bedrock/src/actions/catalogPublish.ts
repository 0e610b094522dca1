import fs from 'node:fs/promises';
import path from 'node:path';
import {
  resolveSafeChildPath,
  type AuditorService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { TENANT_ID_PATTERN } from '@bedrock-tenancy/plugin-bedrock-common';
import { audited } from './audit';
import { stringify as toYaml } from 'yaml';

export interface CatalogPublishActionOptions {
  /** the directory the catalog reads with a `file` location (bedrock.provisioning.catalogDirectory) */
  directory?: string;
  auditor?: AuditorService;
}

const MAX_BYTES = 256 * 1024;

/**
 * bedrock:catalog:publish — copies the tenant's catalog-info.yaml from the task workspace into a
 * local directory that the catalog reads through a `file` location with a glob, so a tenant
 * shows up in the catalog without a git host. With `remove: true` it deletes the file again.
 */
export function createBedrockCatalogPublishAction(
  options: CatalogPublishActionOptions,
) {
  const { directory, auditor } = options;
  return createTemplateAction({
    id: 'bedrock:catalog:publish',
    description:
      'Publishes a tenant entity file from the workspace to the local directory the catalog reads (bedrock.provisioning.catalogDirectory), or removes it',
    examples: [
      {
        description: 'Publish the catalog-info.yaml written by fetch:template',
        example: toYaml({
          steps: [
            {
              id: 'publish',
              action: 'bedrock:catalog:publish',
              input: {
                tenantId: 'checkout-assistant',
                sourcePath: 'catalog-info.yaml',
              },
            },
          ],
        }),
      },
      {
        description: 'Remove the published file of a deleted tenant',
        example: toYaml({
          steps: [
            {
              id: 'unpublish',
              action: 'bedrock:catalog:publish',
              input: { tenantId: 'checkout-assistant', remove: true },
            },
          ],
        }),
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        tenantId: z =>
          z.string({
            description: 'Tenant id: names the published file <tenantId>.yaml',
          }),
        sourcePath: z =>
          z
            .string({
              description:
                'Workspace path of the entity file (default catalog-info.yaml)',
            })
            .optional(),
        remove: z =>
          z
            .boolean({ description: 'Delete the published file instead' })
            .optional(),
      },
      output: {
        filePath: z => z.string(),
        changed: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const {
        tenantId,
        sourcePath = 'catalog-info.yaml',
        remove = false,
      } = ctx.input;
      if (!TENANT_ID_PATTERN.test(tenantId)) {
        throw new InputError(
          `Invalid input: tenantId: "${tenantId}" is not a tenant id`,
        );
      }
      if (!directory) {
        throw new InputError(
          'bedrock:catalog:publish needs bedrock.provisioning.catalogDirectory in the app config',
        );
      }
      const dir = path.resolve(directory);
      const target = path.join(dir, `${tenantId}.yaml`);
      ctx.output('filePath', target);
      let content: string | undefined;
      if (!remove) {
        const source = resolveSafeChildPath(ctx.workspacePath, sourcePath);
        const stat = await fs.stat(source).catch(() => undefined);
        if (!stat?.isFile()) {
          throw new NotFoundError(
            `No file ${sourcePath} in the workspace: write it first (fetch:template)`,
          );
        }
        if (stat.size > MAX_BYTES)
          throw new InputError(
            `${sourcePath} is larger than ${MAX_BYTES} bytes`,
          );
        content = await fs.readFile(source, 'utf8');
        const annotation = new RegExp(
          `["']?bedrock-tenancy\\.io/tenant-id["']?\\s*:\\s*["']?${tenantId}["']?\\s*[,}\\n]`,
        );
        if (!/^kind:\s*\w+/m.test(content) || !annotation.test(content)) {
          throw new InputError(
            `${sourcePath} is not the entity of tenant ${tenantId}: it needs a kind and the annotation bedrock-tenancy.io/tenant-id: ${tenantId}`,
          );
        }
      }
      const current = await fs.readFile(target, 'utf8').catch(() => undefined);
      const changed = remove ? current !== undefined : current !== content;
      ctx.output('changed', changed);
      if (ctx.isDryRun || !changed) return;
      await audited(
        auditor,
        ctx,
        remove ? 'bedrock-catalog-unpublish' : 'bedrock-catalog-publish',
        { tenantId, filePath: target },
        async () => {
          if (remove) {
            await fs.rm(target, { force: true });
          } else {
            await fs.mkdir(dir, { recursive: true });
            const tmp = `${target}.${process.pid}.tmp`;
            await fs.writeFile(tmp, content!, 'utf8');
            await fs.rename(tmp, target);
          }
          return { changes: [`${remove ? 'Removed' : 'Wrote'} ${target}`] };
        },
      );
    },
  });
}
