import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { EnforcementInfo } from '@bedrock-tenancy/plugin-bedrock-common';
import { formatPercent, formatUsd } from '../../lib/format';

const basisText = (e: EnforcementInfo) =>
  e.setting.basis === 'actual'
    ? 'actual spend, as the AWS Budget reports it'
    : "the suite's estimate";

/**
 * The tenant's budget enforcement: suspended (by the budget, or by a person) with who can resume
 * it, or how far it is from the 100% that suspends it.
 */
export const EnforcementBanner = ({
  enforcement: e,
}: {
  enforcement: EnforcementInfo | null | undefined;
}) => {
  if (!e) return null;
  if (e.suspended && e.suspendedFor === 'budget') {
    return (
      <Alert severity="error" data-testid="enforcement-banner">
        <AlertTitle>
          Suspended: budget reached
          {e.suspendedOn ? ` on ${e.suspendedOn}` : ''}
        </AlertTitle>
        Every Bedrock call of this tenant is denied and its alarm actions are
        off ({e.suspendedBy}). Who can resume it: {e.resumableBy}.
        {e.resumesOn
          ? ` It resumes automatically on ${e.resumesOn}, when the next budget period starts.`
          : ' It does not resume automatically.'}
      </Alert>
    );
  }
  if (e.suspended) {
    return (
      <Alert severity="warning" data-testid="enforcement-banner">
        <AlertTitle>Suspended by hand</AlertTitle>
        Suspended by {e.suspendedBy ?? 'a person'}: budget enforcement never
        resumes it. Who can resume it: {e.resumableBy}.
      </Alert>
    );
  }
  return (
    <Alert severity="info" data-testid="enforcement-banner">
      Budget enforcement is on: this tenant is suspended when its spend reaches
      100% of its budget ({basisText(e)})
      {e.setting.autoResume ? ', and resumed when the next month starts' : ''}.{' '}
      {e.usedFraction !== null && e.limitUsd !== null
        ? `Now ${formatPercent(e.usedFraction)} of ${formatUsd(e.limitUsd)}.`
        : e.reason}
      {e.decision !== 'none' && e.usedFraction !== null && ` ${e.reason}`}
    </Alert>
  );
};
