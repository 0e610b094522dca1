import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  IdleStatus,
  Suggestion,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { formatDateTime } from '../../lib/format';

/** Whether the tenant is idle, and what could be improved. */
export const AdvicePanel = (props: {
  idle: IdleStatus;
  suggestions: Suggestion[];
}) => {
  const { idle, suggestions } = props;
  return (
    <InfoCard title="Status and suggestions">
      <Alert
        severity={idle.idle ? 'warning' : 'success'}
        data-testid="idle-status"
      >
        {idle.idle
          ? `Idle: no invocation in the last ${idle.thresholdDays} days`
          : 'Active'}
        {idle.lastInvocationAt
          ? ` · last invocation ${formatDateTime(idle.lastInvocationAt)}`
          : ' · no invocation recorded'}
      </Alert>
      {suggestions.length === 0 ? (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          No suggestions.
        </Typography>
      ) : (
        <List dense aria-label="Suggestions">
          {suggestions.map(s => (
            <ListItem key={`${s.kind}:${s.message}`} disableGutters>
              <Typography variant="body2">{s.message}</Typography>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
};
