import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/**
 * What a view shows instead of figures (no data yet, not permitted, unverified). Backstage's
 * EmptyState titles are h5 whatever the page, which breaks the heading order under an entity
 * page's h2 (axe heading-order); this one is an h3, styled the same.
 */
export const StateMessage = (props: {
  title: string;
  children: ReactNode;
  testId?: string;
}) => (
  <Box py={3} px={2} data-testid={props.testId}>
    <Typography variant="h5" component="h3" gutterBottom>
      {props.title}
    </Typography>
    <Typography variant="body1" component="div">
      {props.children}
    </Typography>
  </Box>
);
