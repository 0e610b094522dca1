import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type { BudgetIncrease } from '@bedrock-tenancy/plugin-bedrock-common';
import { messageOf } from '../../lib/errors';
import { formatUsd } from '../../lib/format';
import { useDialogStyles } from './dialogStyles';

/** What an admin is about to do to which request. */
export interface PendingDecision {
  increase: BudgetIncrease;
  decision: 'approve' | 'decline';
}

/**
 * Confirms an approval or a decline, with an optional note to the requester; the backend's
 * refusal (e.g. decided meanwhile) shows in the dialog.
 */
export const DecisionDialog = (props: {
  pending: PendingDecision | null;
  onClose: () => void;
  onDecide: (pending: PendingDecision, note: string) => Promise<void>;
}) => {
  const { pending, onClose, onDecide } = props;
  const classes = useDialogStyles();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const approve = pending?.decision === 'approve';

  const close = () => {
    if (busy) return;
    setNote('');
    setFailure(undefined);
    onClose();
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await onDecide(pending, note);
      setBusy(false);
      setNote('');
      onClose();
    } catch (e) {
      setBusy(false);
      setFailure(messageOf(e as Error));
    }
  };

  return (
    <Dialog
      open={pending !== null}
      onClose={close}
      aria-labelledby="budget-increase-decision-title"
      data-bedrock-view="tab"
      className={classes.root}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="budget-increase-decision-title">
        {approve ? 'Approve' : 'Decline'} the budget increase
      </DialogTitle>
      <DialogContent>
        {pending && (
          <DialogContentText>
            +{formatUsd(pending.increase.amountUsd)} until{' '}
            {pending.increase.endsOn}, asked by {pending.increase.requestedBy}:{' '}
            {pending.increase.reason}
          </DialogContentText>
        )}
        {approve && (
          <DialogContentText>
            Approving raises the budget now; it goes back by itself after the
            last day.
          </DialogContentText>
        )}
        <TextField
          id="budget-increase-note-field"
          label="Note to the requester (optional)"
          multiline
          minRows={2}
          fullWidth
          value={note}
          onChange={e => setNote(e.target.value)}
          inputProps={{
            maxLength: 500,
            'data-testid': 'budget-increase-note',
          }}
        />
        {failure && (
          <Box mt={2}>
            <Alert
              severity="error"
              role="alert"
              data-testid="budget-increase-decision-error"
            >
              {approve ? 'Approving' : 'Declining'} failed: {failure}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={confirm}
          color="primary"
          variant="contained"
          disabled={busy}
          data-testid="budget-increase-confirm"
        >
          {approve ? 'Approve' : 'Decline'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
