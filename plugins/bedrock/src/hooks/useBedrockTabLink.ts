import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

/** Path of the entity page's tab that shows the Bedrock view. */
export const BEDROCK_TAB_PATH = 'bedrock';

/** Builds links to an entity's page from its entity ref. */
export function useEntityLink(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return (entityRef: string) => entityRoute(entityRouteParams(entityRef));
}

/** Builds links to an entity's Bedrock tab from its entity ref. */
export function useBedrockTabLink(): (entityRef: string) => string {
  const entityLink = useEntityLink();
  return (entityRef: string) => `${entityLink(entityRef)}/${BEDROCK_TAB_PATH}`;
}
