import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const catalogPublishExamples: TemplateExample[] = [
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
];
