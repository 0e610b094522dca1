import { EmptyState } from '@backstage/core-components';

/** Placeholder of the monitoring tab until the views land (see the plugin README). */
export const BedrockTab = () => (
  <EmptyState
    missing="content"
    title="Bedrock usage"
    description="This tab will show the tenant's Bedrock usage, cost, budget and alarms."
  />
);
