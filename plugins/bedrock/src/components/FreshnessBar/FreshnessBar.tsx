import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import RefreshIcon from '@material-ui/icons/Refresh';
import type { Freshness } from '@bedrock-tenancy/plugin-bedrock-common';
import { formatDateTime } from '../../lib/format';

/** How fresh the data is, the manual refresh and the auto-refresh interval. */
export const FreshnessBar = (props: {
  freshness: Freshness;
  /** absent when the caller may not refresh: no button then */
  onRefresh?: () => void;
  refreshing: boolean;
  refreshError?: string;
  autoRefreshSeconds: number;
  /** signals are installed: the page refetches as soon as a collection finishes */
  live?: boolean;
}) => {
  const {
    freshness,
    onRefresh,
    refreshing,
    refreshError,
    autoRefreshSeconds,
    live,
  } = props;
  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <Typography variant="body2" data-testid="freshness">
          {freshness.dataUntil
            ? `Data until ${formatDateTime(freshness.dataUntil)}`
            : 'No data collected yet'}
          {freshness.lastCollectedAt &&
            ` · last collected ${formatDateTime(freshness.lastCollectedAt)}`}
        </Typography>
        {live && (
          // on the page's grey background textSecondary falls under 4.5:1 (axe): primary text
          <Typography variant="caption" data-testid="live">
            Live: updates when a collection finishes
          </Typography>
        )}
        {autoRefreshSeconds > 0 && (
          <Typography variant="caption">
            {live ? 'and' : 'Auto-refresh'} every {autoRefreshSeconds} s
          </Typography>
        )}
        {onRefresh && (
          <Button
            size="small"
            variant="outlined"
            startIcon={<RefreshIcon />}
            onClick={onRefresh}
            disabled={refreshing}
          >
            {refreshing ? 'Refreshing…' : 'Refresh'}
          </Button>
        )}
      </Box>
      {/* before the first collection the page says "no data yet" instead */}
      {freshness.stale && freshness.lastCollectedAt && (
        <Alert severity="warning" data-testid="stale-warning">
          This data is stale: the last collection is older than expected, so
          recent usage may be missing.
        </Alert>
      )}
      {refreshError && (
        <Alert severity="error" data-testid="refresh-error">
          {refreshError}
        </Alert>
      )}
    </Box>
  );
};
