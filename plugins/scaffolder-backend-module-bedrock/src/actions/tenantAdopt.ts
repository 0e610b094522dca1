import type { AuditorService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  readTenantAnnotations,
  TENANT_ID_PATTERN,
  tenantBindingBodySchema,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  bindingErrorMessage,
  type BindingsClient,
} from '../bindings/BedrockBindingsClient';
import { audited } from './audit';
import { tenantAdoptExamples } from './tenantAdopt.examples';

/** The binding an entity's annotations ask for; InputError naming the bad annotation. */
function fromAnnotations(
  annotations: Record<string, string>,
  entityRef: string,
) {
  const r = readTenantAnnotations({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'adopted', annotations },
  });
  if (r.kind === 'missing') {
    throw new InputError(
      `Invalid input: annotations: missing ${r.missing.join(', ')}`,
    );
  }
  if (r.kind === 'invalid') {
    throw new InputError(
      `Invalid input: annotations: ${r.problems
        .map(p => `${p.annotation}: ${p.message}`)
        .join('; ')}`,
    );
  }
  return { ...r.tenant, entityRef };
}

/**
 * Options of {@link createBedrockTenantAdoptAction}.
 */
export interface AdoptActionOptions {
  bindings: BindingsClient;
  auditor?: AuditorService;
}

/**
 * bedrock:tenant:adopt — binds an existing tenant (or moves its binding) to a catalog entity.
 * Runs with the initiator's credentials: the bedrock backend allows it only to holders of
 * bedrock.binding.manage (admins), whatever the template's own permissions.
 */
export function createBedrockTenantAdoptAction(options: AdoptActionOptions) {
  const { bindings, auditor } = options;
  return createTemplateAction({
    id: 'bedrock:tenant:adopt',
    description:
      "Binds an existing Bedrock tenant to a catalog entity, or moves its binding (entity renamed or moved): the tenant's usage and cost are then shown on that entity only. Needs bedrock.binding.manage",
    examples: tenantAdoptExamples,
    supportsDryRun: true,
    schema: {
      input: {
        tenantId: z =>
          z
            .string({
              description: 'Tenant id (default: from annotations)',
            })
            .optional(),
        annotations: z =>
          z
            .record(z.string(), {
              description:
                "The entity's bedrock-tenancy.io annotations: the tenant, account, regions, attribution, profiles and roles to bind, instead of the fields below",
            })
            .optional(),
        entityRef: z =>
          z.string({
            description:
              'The entity to bind it to, e.g. component:default/checkout-assistant',
          }),
        accountId: z => z.string({ description: 'AWS account id' }).optional(),
        regions: z =>
          z
            .array(z.string(), { description: 'AWS regions of the tenant' })
            .optional(),
        attribution: z =>
          z
            .string({
              description: 'account, inference-profile or identity',
            })
            .optional(),
        inferenceProfiles: z =>
          z
            .record(z.string(), {
              description:
                'For inference-profile attribution: profile id -> model id',
            })
            .optional(),
        principalArns: z =>
          z
            .array(z.string(), {
              description: 'For identity attribution: IAM role ARNs',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const { annotations, ...fields } = ctx.input;
      const { tenantId = '', ...rest } = annotations
        ? fromAnnotations(annotations, fields.entityRef)
        : fields;
      if (!TENANT_ID_PATTERN.test(tenantId)) {
        throw new InputError(
          `Invalid input: tenantId: "${tenantId}" is not a tenant id`,
        );
      }
      const body = tenantBindingBodySchema.safeParse(rest);
      if (!body.success) {
        const issue = body.error.issues[0];
        throw new InputError(
          `Invalid input: ${issue.path.join('.')}: ${issue.message}`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would bind tenant ${tenantId} to ${body.data.entityRef}`,
        );
        return;
      }
      await audited(
        auditor,
        ctx,
        'bedrock-tenant-adopt',
        { tenantId, entityRef: body.data.entityRef },
        async () => {
          try {
            await bindings.put(tenantId, body.data, {
              onBehalfOf: await ctx.getInitiatorCredentials(),
              adopt: true,
            });
          } catch (e) {
            throw new Error(
              `Could not bind tenant ${tenantId} to ${
                body.data.entityRef
              }: ${bindingErrorMessage(e)}`,
            );
          }
          return {
            changes: [`Bound tenant ${tenantId} to ${body.data.entityRef}`],
          };
        },
      );
    },
  });
}
