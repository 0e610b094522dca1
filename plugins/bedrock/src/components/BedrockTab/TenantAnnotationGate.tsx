import type { ReactNode } from 'react';
import { WarningPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';

/** Renders its children only for an entity with valid tenant annotations; says what is wrong otherwise. */
export const TenantAnnotationGate = ({ children }: { children: ReactNode }) => {
  const { entity } = useEntity();
  const result = readTenantAnnotations(entity);
  if (result.kind === 'missing') {
    return <MissingAnnotationEmptyState annotation={result.missing} />;
  }
  if (result.kind === 'invalid') {
    return (
      <WarningPanel
        severity="error"
        title="The Bedrock tenant annotations are malformed"
        defaultExpanded
      >
        <ul>
          {result.problems.map(p => (
            <li key={`${p.annotation}:${p.message}`}>
              <code>{p.annotation}</code>: {p.message}
            </li>
          ))}
        </ul>
      </WarningPanel>
    );
  }
  return <>{children}</>;
};
