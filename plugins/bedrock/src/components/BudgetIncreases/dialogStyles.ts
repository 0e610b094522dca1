import { darken, lighten, makeStyles } from '@material-ui/core/styles';

/**
 * The budget increase dialogs render in a portal outside the tab's `SuiteView`: they carry
 * `data-bedrock-view="tab"` themselves (they are part of the tab, and the browser tests'
 * accessibility checks count them as the suite's), and this class gives them what the
 * SuiteView gives its content, the visible keyboard focus. Material UI's error red (#f44336)
 * is below 4.5:1 for small text on the dialog (3.7:1 on white, 2.4:1 on the dark theme's
 * #424242): field messages and labels in error use a darker red in the light theme and a
 * lighter one in the dark theme (6:1 and 5:1).
 */
export const useDialogStyles = makeStyles(theme => ({
  root: {
    '& :focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
    '& .MuiFormHelperText-root.Mui-error, & .MuiFormLabel-root.Mui-error': {
      color:
        theme.palette.type === 'dark'
          ? lighten(theme.palette.error.main, 0.5)
          : darken(theme.palette.error.main, 0.25),
    },
  },
}));
