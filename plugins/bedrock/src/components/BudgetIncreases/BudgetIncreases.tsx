import { useState } from 'react';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  BudgetIncrease,
  BudgetIncreaseRequest,
} from '@bedrock-tenancy/plugin-bedrock-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { bedrockApiRef } from '../../api';
import { messageOf, statusOf } from '../../lib/errors';
import { formatDateTime, formatUsd } from '../../lib/format';
import { DecisionDialog, type PendingDecision } from './DecisionDialog';
import { RequestIncreaseDialog } from './RequestIncreaseDialog';

const Heading = (props: { children: string }) => (
  <Typography variant="subtitle2" component="h3" style={{ marginTop: 8 }}>
    {props.children}
  </Typography>
);

const amountUntil = (i: BudgetIncrease) =>
  `+${formatUsd(i.amountUsd)} until ${i.endsOn}`;

const askedBy = (i: BudgetIncrease) =>
  `by ${i.requestedBy} on ${formatDateTime(i.requestedAt)}`;
const asked = (i: BudgetIncrease) => `asked ${askedBy(i)}`;

const Reason = ({ increase }: { increase: BudgetIncrease }) => (
  <Typography variant="body2" color="textSecondary">
    Reason: {increase.reason}
  </Typography>
);

/** One past request in words: what became of it, who decided, and the note. */
function historyLine(i: BudgetIncrease): string {
  const decided = i.decidedAt ? ` on ${formatDateTime(i.decidedAt)}` : '';
  switch (i.status) {
    case 'declined':
      return `Declined: ${amountUntil(i)}, ${asked(i)}; declined by ${
        i.decidedBy ?? 'an admin'
      }${decided}${i.decisionNote ? `: ${i.decisionNote}` : ''}`;
    case 'ended':
      return `Ended: ${amountUntil(i)}, approved by ${
        i.decidedBy ?? 'an admin'
      }${decided}; ended${i.endedAt ? ` ${formatDateTime(i.endedAt)}` : ''}${
        i.endNote ? `: ${i.endNote}` : ''
      }`;
    case 'lapsed':
      return `Lapsed: ${amountUntil(i)}, ${asked(
        i,
      )}; nobody decided before its last day${
        i.endNote ? ` (${i.endNote})` : ''
      }`;
    default:
      return `${i.status}: ${amountUntil(i)}, ${asked(i)}`;
  }
}

/**
 * Temporary budget increases of one tenant: the one in force, the one waiting for an admin,
 * and what became of earlier ones. Members with the right ask for one; Bedrock admins approve
 * or decline here. It loads on its own: a failure shows in this card only, and a 403/404 shows
 * nothing (the tab says that already).
 */
export const BudgetIncreases = (props: {
  entity: CompoundEntityRef;
  /** changes when the tab's live signal fires: reload */
  version?: number;
  /** after a request or a decision, e.g. to reload the budget figures */
  onChange?: () => void;
}) => {
  const { entity, version = 0, onChange } = props;
  const api = useApi(bedrockApiRef);
  const refKey = stringifyEntityRef(entity);
  const [requestOpen, setRequestOpen] = useState(false);
  const [deciding, setDeciding] = useState<PendingDecision | null>(null);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getBudgetIncreases({ entity }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, refKey, version],
  );

  const status = error ? statusOf(error) : undefined;
  if (status === 403 || status === 404) return null;

  const changed = () => {
    retry();
    onChange?.();
  };
  const request = async (body: BudgetIncreaseRequest) => {
    await api.requestBudgetIncrease({ entity, request: body });
    changed();
  };
  const decide = async (pending: PendingDecision, note: string) => {
    await api.decideBudgetIncrease({
      id: pending.increase.id,
      decision: pending.decision,
      note: note.trim() || undefined,
    });
    changed();
  };

  const increases = value?.increases ?? [];
  const active = increases.filter(i => i.status === 'approved');
  const pending = increases.filter(i => i.status === 'pending');
  const history = increases.filter(
    i => i.status !== 'approved' && i.status !== 'pending',
  );

  return (
    <InfoCard title="Temporary budget increases">
      <Box data-testid="budget-increases">
        {loading && !value && <Progress />}
        {error && (
          <Alert severity="error" data-testid="budget-increases-error">
            {value
              ? 'Reloading the budget increases failed, showing the previous list: '
              : 'The budget increases could not be loaded: '}
            {messageOf(error)}
          </Alert>
        )}
        {value && (
          <>
            {value.canRequest && active.length + pending.length > 0 && (
              <Typography
                variant="body2"
                color="textSecondary"
                data-testid="budget-increase-one-at-a-time"
              >
                One request at a time: a new one can be made once this one is
                declined or has ended.
              </Typography>
            )}
            {value.canRequest && active.length + pending.length === 0 && (
              <Box mb={1}>
                <Button
                  variant="outlined"
                  color="primary"
                  size="small"
                  onClick={() => setRequestOpen(true)}
                  data-testid="budget-increase-request"
                >
                  Request a temporary increase
                </Button>
              </Box>
            )}
            {increases.length === 0 && (
              <Typography variant="body2">
                No temporary increases. The tenant's owners can ask for more
                budget until a date; a Bedrock admin decides.
              </Typography>
            )}
            {active.length > 0 && (
              <>
                <Heading>In force</Heading>
                <List dense aria-label="Increase in force" disablePadding>
                  {active.map(i => (
                    <ListItem key={i.id} disableGutters>
                      <Box>
                        <Typography
                          variant="body2"
                          data-testid="budget-increase-active"
                        >
                          {amountUntil(i)}, approved by{' '}
                          {i.decidedBy ?? 'an admin'}
                        </Typography>
                        {i.limitBeforeUsd !== null &&
                          i.limitDuringUsd !== null && (
                            <Typography variant="body2" color="textSecondary">
                              Budget {formatUsd(i.limitBeforeUsd)} →{' '}
                              {formatUsd(i.limitDuringUsd)}, back to{' '}
                              {formatUsd(i.limitBeforeUsd)} after {i.endsOn}
                            </Typography>
                          )}
                        <Typography variant="body2" color="textSecondary">
                          Asked {askedBy(i)}
                          {i.decisionNote ? `; note: ${i.decisionNote}` : ''}
                        </Typography>
                        <Reason increase={i} />
                      </Box>
                    </ListItem>
                  ))}
                </List>
              </>
            )}
            {pending.length > 0 && (
              <>
                <Heading>Waiting for a Bedrock admin</Heading>
                <List dense aria-label="Pending requests" disablePadding>
                  {pending.map(i => (
                    <ListItem
                      key={i.id}
                      disableGutters
                      data-testid="budget-increase-pending"
                    >
                      <Box flexGrow={1}>
                        <Typography variant="body2">
                          {amountUntil(i)}, {asked(i)}
                        </Typography>
                        <Reason increase={i} />
                        {value.canDecide && (
                          <Box mt={0.5} display="flex" style={{ gap: 8 }}>
                            <Button
                              size="small"
                              variant="outlined"
                              color="primary"
                              onClick={() =>
                                setDeciding({
                                  increase: i,
                                  decision: 'approve',
                                })
                              }
                              data-testid="budget-increase-approve"
                            >
                              Approve
                            </Button>
                            <Button
                              size="small"
                              variant="outlined"
                              onClick={() =>
                                setDeciding({
                                  increase: i,
                                  decision: 'decline',
                                })
                              }
                              data-testid="budget-increase-decline"
                            >
                              Decline
                            </Button>
                          </Box>
                        )}
                      </Box>
                    </ListItem>
                  ))}
                </List>
              </>
            )}
            {history.length > 0 && (
              <>
                <Heading>Earlier requests</Heading>
                <List dense aria-label="Earlier requests" disablePadding>
                  {history.map(i => (
                    <ListItem
                      key={i.id}
                      disableGutters
                      data-testid={`budget-increase-${i.status}`}
                    >
                      <Box>
                        <Typography variant="body2">
                          {historyLine(i)}
                        </Typography>
                        <Reason increase={i} />
                      </Box>
                    </ListItem>
                  ))}
                </List>
              </>
            )}
            <RequestIncreaseDialog
              open={requestOpen}
              limits={value.limits}
              onClose={() => setRequestOpen(false)}
              onSubmit={request}
            />
            <DecisionDialog
              pending={deciding}
              onClose={() => setDeciding(null)}
              onDecide={decide}
            />
          </>
        )}
      </Box>
    </InfoCard>
  );
};
