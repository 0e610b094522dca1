import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const tenantDeleteExamples: TemplateExample[] = [
  {
    description: 'Delete a tenant; confirm must repeat the tenant id',
    example: toYaml({
      steps: [
        {
          id: 'delete',
          action: 'bedrock:tenant:delete',
          input: {
            tenantId: 'checkout-assistant',
            accountId: '123456789012',
            region: 'us-east-1',
            confirm: 'checkout-assistant',
          },
        },
      ],
    }),
  },
];
