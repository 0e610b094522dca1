import type { ReactNode } from 'react';
import Alert from '@material-ui/lab/Alert';
import type { Section } from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * Renders one panel's data, or the reason it is missing: a failed panel shows here while the
 * rest of the page renders.
 */
export function SectionView<T>(props: {
  section: Section<T>;
  /** what the panel shows, e.g. "Alarms", for the failure text */
  name: string;
  children: (data: T) => ReactNode;
}) {
  const { section, name, children } = props;
  if (section.status === 'ok') return <>{children(section.data)}</>;
  const failed = section.status === 'error';
  return (
    <Alert
      severity={failed ? 'error' : 'info'}
      data-testid={`section-${section.status}`}
    >
      {failed ? `${name} could not be loaded: ` : `${name} not available: `}
      {section.message}
    </Alert>
  );
}
