import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

export const loggingEnsureExamples: TemplateExample[] = [
  {
    description:
      'Turn on invocation logging (metadata only, no prompts) with the configured defaults',
    example: toYaml({
      steps: [
        {
          id: 'logging',
          action: 'bedrock:logging:ensure',
          input: { accountId: '123456789012', region: 'us-east-1' },
        },
      ],
    }),
  },
  {
    description:
      'Keep logs 90 days, expire objects after two years, log prompt text, replace an existing foreign configuration',
    example: toYaml({
      steps: [
        {
          id: 'logging',
          action: 'bedrock:logging:ensure',
          input: {
            accountId: '123456789012',
            region: 'us-west-2',
            retentionDays: 90,
            expirationDays: 730,
            textDataDeliveryEnabled: true,
            takeover: true,
          },
        },
      ],
    }),
  },
];
