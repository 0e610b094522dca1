import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const tenantCreateExamples: TemplateExample[] = [
  {
    description:
      'Create a tenant with two models, default thresholds and a 500 USD monthly budget',
    example: toYaml({
      steps: [
        {
          id: 'tenant',
          action: 'bedrock:tenant:create',
          name: 'Provision the Bedrock tenant',
          input: {
            tenantId: 'checkout-assistant',
            accountId: '123456789012',
            region: 'us-east-1',
            owner: 'group:default/team-checkout',
            models: [
              'anthropic.claude-3-haiku-20240307-v1:0',
              'amazon.nova-pro-v1:0',
            ],
            monthlyBudgetUsd: 500,
            notificationEmails: ['team-checkout@example.com'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Create a tenant with a stricter token alarm and its own trust principal',
    example: toYaml({
      steps: [
        {
          id: 'tenant',
          action: 'bedrock:tenant:create',
          input: {
            tenantId: 'support-bot',
            accountId: '123456789012',
            region: 'us-east-1',
            owner: 'group:default/team-support',
            models: ['anthropic.claude-3-haiku-20240307-v1:0'],
            thresholds: { tokensPerHour: 50000, latencyMs: 5000 },
            notificationEmails: ['support-oncall@example.com'],
            trustPrincipals: [
              'arn:aws:iam::123456789012:role/support-bot-runtime',
            ],
          },
        },
      ],
    }),
  },
];
