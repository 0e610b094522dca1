import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify as toYaml } from 'yaml';

const target = {
  tenantId: 'checkout-assistant',
  accountId: '123456789012',
  region: 'us-east-1',
};
const step = (action: string, input: object) =>
  toYaml({ steps: [{ id: action.split(':').pop(), action, input }] });

export const suspendExamples: TemplateExample[] = [
  {
    description: 'Suspend a tenant',
    example: step('bedrock:tenant:suspend', target),
  },
];
export const resumeExamples: TemplateExample[] = [
  {
    description: 'Resume a suspended tenant',
    example: step('bedrock:tenant:resume', target),
  },
];
export const deleteExamples: TemplateExample[] = [
  {
    description: 'Delete a tenant; confirm must repeat the tenant id',
    example: step('bedrock:tenant:delete', {
      ...target,
      confirm: 'checkout-assistant',
    }),
  },
];
