import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const tenantSuspendExamples: TemplateExample[] = [
  {
    description: 'Suspend a tenant',
    example: toYaml({
      steps: [
        {
          id: 'suspend',
          action: 'bedrock:tenant:suspend',
          input: {
            tenantId: 'checkout-assistant',
            accountId: '123456789012',
            region: 'us-east-1',
          },
        },
      ],
    }),
  },
];
