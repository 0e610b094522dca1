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
import type {
  BudgetIncreaseList,
  BudgetIncreaseRequest,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { messageOf } from '../../lib/errors';
import { formatUsd } from '../../lib/format';
import { useDialogStyles } from './dialogStyles';
import {
  todayUtc,
  validateRequestForm,
  type RequestForm,
  type RequestFormErrors,
} from './requestForm';

const EMPTY: RequestForm = { amountUsd: '', endsOn: '', reason: '' };

/**
 * Asks for a temporary budget increase: amount, last day, reason. Checked here with the shared
 * schema and the announced limits; the backend's refusal (e.g. one already pending) shows in the
 * dialog, which stays open.
 */
export const RequestIncreaseDialog = (props: {
  open: boolean;
  limits: BudgetIncreaseList['limits'];
  onClose: () => void;
  /** posts the request; resolves once it was accepted */
  onSubmit: (request: BudgetIncreaseRequest) => Promise<void>;
}) => {
  const { open, limits, onClose, onSubmit } = props;
  const classes = useDialogStyles();
  const [form, setForm] = useState<RequestForm>(EMPTY);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const today = todayUtc();
  const result = validateRequestForm(form, limits, today);
  const errors: RequestFormErrors = checked && !result.ok ? result.errors : {};

  const set = (field: keyof RequestForm) => (value: string) =>
    setForm(f => ({ ...f, [field]: value }));

  const close = () => {
    if (busy) return;
    setForm(EMPTY);
    setChecked(false);
    setFailure(undefined);
    onClose();
  };

  const submit = async () => {
    setChecked(true);
    setFailure(undefined);
    if (!result.ok) return;
    setBusy(true);
    try {
      await onSubmit(result.request);
      setBusy(false);
      setForm(EMPTY);
      setChecked(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setFailure(messageOf(e as Error));
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      aria-labelledby="budget-increase-request-title"
      data-bedrock-view="tab"
      className={classes.root}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="budget-increase-request-title">
        Request a temporary budget increase
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          The amount is added to the tenant's monthly budget (and to budget
          enforcement's limit) from approval until the end date, then the budget
          goes back by itself. A Bedrock admin approves or declines.
        </DialogContentText>
        <form
          noValidate
          onSubmit={e => {
            e.preventDefault();
            submit();
          }}
          id="budget-increase-request-form"
        >
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            <TextField
              id="budget-increase-amount-field"
              label="Amount (USD)"
              type="number"
              value={form.amountUsd}
              onChange={e => set('amountUsd')(e.target.value)}
              error={Boolean(errors.amountUsd)}
              helperText={
                errors.amountUsd ??
                `Added to the monthly budget; at most ${formatUsd(
                  limits.maxAmountUsd,
                )}`
              }
              inputProps={{
                min: 0.01,
                step: 0.01,
                max: limits.maxAmountUsd,
                'data-testid': 'budget-increase-amount',
              }}
              required
            />
            <TextField
              id="budget-increase-ends-on-field"
              label="Last day (UTC)"
              type="date"
              value={form.endsOn}
              onChange={e => set('endsOn')(e.target.value)}
              error={Boolean(errors.endsOn)}
              helperText={
                errors.endsOn ??
                `The budget goes back the day after; ${limits.latestEndsOn} at the latest`
              }
              InputLabelProps={{ shrink: true }}
              inputProps={{
                min: today,
                max: limits.latestEndsOn,
                'data-testid': 'budget-increase-ends-on',
              }}
              required
            />
            <TextField
              id="budget-increase-reason-field"
              label="Reason"
              multiline
              minRows={3}
              value={form.reason}
              onChange={e => set('reason')(e.target.value)}
              error={Boolean(errors.reason)}
              helperText={
                errors.reason ?? 'What the extra budget is for, for the admins'
              }
              inputProps={{
                maxLength: 500,
                'data-testid': 'budget-increase-reason',
              }}
              required
            />
          </Box>
        </form>
        {failure && (
          <Box mt={2}>
            <Alert
              severity="error"
              data-testid="budget-increase-request-error"
              role="alert"
            >
              The request was not accepted: {failure}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          type="submit"
          form="budget-increase-request-form"
          color="primary"
          variant="contained"
          disabled={busy}
          data-testid="budget-increase-submit"
        >
          Submit
        </Button>
      </DialogActions>
    </Dialog>
  );
};
