import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const tenantAdoptExamples: TemplateExample[] = [
  {
    description: 'Adopt a tenant that uses whole-account attribution',
    example: toYaml({
      steps: [
        {
          id: 'adopt',
          action: 'bedrock:tenant:adopt',
          input: {
            tenantId: 'fraud-analyst',
            entityRef: 'component:default/fraud-analyst',
            accountId: '210987654321',
            regions: ['us-east-1'],
            attribution: 'account',
          },
        },
      ],
    }),
  },
];
