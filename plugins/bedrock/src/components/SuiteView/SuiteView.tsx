import type { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  // Material UI v4 shows keyboard focus as a faint ripple on buttons and nothing on table sort
  // labels; an outline in the theme's primary colour is visible in the light and dark themes
  root: {
    '& :focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
}));

/**
 * The root of each of the suite's views (tab, overview card, Group card, the admins' card of
 * usage no tenant owns): a visible keyboard
 * focus for everything inside, and `data-bedrock-view`, which the browser tests' accessibility
 * checks use to tell the suite's own DOM from Backstage's page around it.
 */
export const SuiteView = (props: {
  name: 'tab' | 'overview' | 'group' | 'unattributed';
  children: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <div data-bedrock-view={props.name} className={classes.root}>
      {props.children}
    </div>
  );
};
