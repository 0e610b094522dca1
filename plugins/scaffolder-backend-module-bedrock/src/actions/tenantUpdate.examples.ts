import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const tenantUpdateExamples: TemplateExample[] = [
  {
    description:
      'Swap a model, raise the budget and change the subscribers of an existing tenant',
    example: toYaml({
      steps: [
        {
          id: 'update',
          action: 'bedrock:tenant:update',
          input: {
            tenantId: 'checkout-assistant',
            accountId: '123456789012',
            region: 'us-east-1',
            owner: 'group:default/team-checkout',
            models: ['anthropic.claude-3-5-sonnet-20240620-v1:0'],
            monthlyBudgetUsd: 800,
            notificationEmails: [
              'team-checkout@example.com',
              'finops@example.com',
            ],
          },
        },
      ],
    }),
  },
];
