import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** One labelled figure; the exact value sits in `title` and `data-value` for readers and tests. */
export interface FigureProps {
  /** stable `data-testid`, e.g. `headline-invocations` */
  testId: string;
  label: string;
  /** the formatted figure */
  value: string;
  /** the exact figure, shown on hover; defaults to `value` */
  exact?: string;
  /** the raw number behind the figure; null when not available */
  raw?: number | null;
  /** a short line under the figure */
  hint?: string;
}

export const Figure = ({
  testId,
  label,
  value,
  exact,
  raw,
  hint,
}: FigureProps) => (
  <Box
    data-testid={testId}
    data-value={raw === null || raw === undefined ? '' : String(raw)}
    role="group"
    aria-label={`${label}: ${exact ?? value}`}
    minWidth={140}
    p={1}
  >
    <Typography variant="caption" color="textSecondary" component="div">
      {label}
    </Typography>
    <Typography
      variant="h5"
      component="div"
      title={exact ?? value}
      data-testid={`${testId}-value`}
    >
      {value}
    </Typography>
    {hint && (
      <Typography variant="caption" color="textSecondary" component="div">
        {hint}
      </Typography>
    )}
  </Box>
);
