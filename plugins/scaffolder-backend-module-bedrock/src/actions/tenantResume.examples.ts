import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const tenantResumeExamples: TemplateExample[] = [
  {
    description: 'Resume a suspended tenant',
    example: toYaml({
      steps: [
        {
          id: 'resume',
          action: 'bedrock:tenant:resume',
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
