import fs from 'node:fs/promises';
import path from 'node:path';
import {
  resolveSafeChildPath,
  type AuditorService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { TENANT_ID_PATTERN } from '@bedrock-tenancy/plugin-bedrock-common';
import { audited } from './audit';
import { parseAllDocuments } from 'yaml';
import type { TaskAuthorizer } from './authorization';
import { catalogPublishExamples } from './catalogPublish.examples';

/**
 * Options of {@link createBedrockCatalogPublishAction}.
 */
export interface CatalogPublishActionOptions {
  /** the directory the catalog reads with a `file` location (bedrock.provisioning.catalogDirectory) */
  directory?: string;
  auditor?: AuditorService;
  /** only the tenant's owners and Bedrock admins publish or remove its file */
  authorizer: TaskAuthorizer;
}

const MAX_BYTES = 256 * 1024;
const TENANT_ANNOTATION = 'bedrock-tenancy.io/tenant-id';

/**
 * The one entity of a tenant's catalog file: a Component named after the tenant, with its tenant
 * annotation and a full-ref owner. InputError naming what is wrong.
 */
export function tenantEntityOf(
  content: string,
  tenantId: string,
  file: string,
): { entityRef: string; owner: string } {
  const fail = (why: string) =>
    new InputError(`${file} is not the entity of tenant ${tenantId}: ${why}`);
  const docs = parseAllDocuments(content);
  if (docs.length !== 1 || docs[0].errors.length)
    throw fail('it must hold exactly one YAML document');
  const e = docs[0].toJS() as any;
  if (e?.kind !== 'Component') throw fail('its kind must be Component');
  if (e.metadata?.name !== tenantId)
    throw fail(`its metadata.name must be ${tenantId}`);
  if (e.metadata?.annotations?.[TENANT_ANNOTATION] !== tenantId)
    throw fail(`it needs the annotation ${TENANT_ANNOTATION}: ${tenantId}`);
  const namespace = e.metadata?.namespace ?? 'default';
  try {
    return {
      entityRef: stringifyEntityRef({
        kind: 'component',
        namespace,
        name: tenantId,
      }),
      owner: stringifyEntityRef(
        parseEntityRef(String(e.spec?.owner ?? ''), {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }),
      ),
    };
  } catch {
    throw fail('its spec.owner must be an entity ref');
  }
}

/**
 * bedrock:catalog:publish — copies the tenant's catalog-info.yaml from the task workspace into a
 * local directory that the catalog reads through a `file` location with a glob, so a tenant
 * shows up in the catalog without a git host. With `remove: true` it deletes the file again.
 */
export function createBedrockCatalogPublishAction(
  options: CatalogPublishActionOptions,
) {
  const { directory, auditor, authorizer } = options;
  return createTemplateAction({
    id: 'bedrock:catalog:publish',
    description:
      'Publishes a tenant entity file from the workspace to the local directory the catalog reads (bedrock.provisioning.catalogDirectory), or removes it',
    examples: catalogPublishExamples,
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
      const current = await fs.readFile(target, 'utf8').catch(() => undefined);
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
      }
      // the entity the file holds now, or is to hold: its owners (or an admin) may write it
      let entity: { entityRef: string; owner: string } | undefined;
      if (content !== undefined)
        entity = tenantEntityOf(content, tenantId, sourcePath);
      else if (current !== undefined)
        entity = tenantEntityOf(current, tenantId, target);
      if (entity) {
        const decision = await authorizer.change(ctx, tenantId, {
          change: 'publish',
          entityRef: entity.entityRef,
          owner: entity.owner,
        });
        if (
          content !== undefined &&
          !decision.admin &&
          (!decision.owner ||
            decision.owner.toLowerCase() !== entity.owner.toLowerCase())
        ) {
          throw new NotAllowedError(
            `${sourcePath} names ${
              entity.owner
            } as the owner of tenant ${tenantId}; its owner is ${
              decision.owner ?? 'not recorded'
            }, and only a Bedrock admin gives a tenant another owner`,
          );
        }
      }
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
