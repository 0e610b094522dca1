import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  bedrockBindingManagePermission,
  type UnattributedAccountRegion,
  type UnattributedFigures,
} from '@bedrock-tenancy/plugin-bedrock-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { bedrockApiRef } from '../../api';
import { SuiteView } from '../SuiteView';
import { messageOf, statusOf } from '../../lib/errors';
import {
  formatCompact,
  formatDateTime,
  formatInteger,
  formatUsd,
} from '../../lib/format';

/** The current month and the two before it, `YYYY-MM` (UTC). */
function recentMonths(now = new Date()): string[] {
  return [0, 1, 2].map(back =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))
      .toISOString()
      .slice(0, 7),
  );
}

/** Tokens (input + output, exact in the title) and the priced cost, `+` when partial. */
const Figures = (props: { f: UnattributedFigures; partial: boolean }) => {
  const tokens = props.f.inputTokens + props.f.outputTokens;
  return (
    <>
      <span
        title={`${formatInteger(props.f.inputTokens)} input, ${formatInteger(
          props.f.outputTokens,
        )} output tokens`}
      >
        {formatCompact(tokens)} tokens
      </span>
      <br />
      <span>
        {formatUsd(props.f.estimatedCostUsd)}
        {props.partial ? '+' : ''}
      </span>
    </>
  );
};

const Notes = ({ p }: { p: UnattributedAccountRegion }) => {
  const notes: string[] = [];
  if (p.unpricedModels.length)
    notes.push(
      `unpriced (cost is the priced part): ${p.unpricedModels.join(', ')}`,
    );
  if (p.overAttributedTokens > 0)
    notes.push(
      `tenants were attributed ${formatInteger(
        p.overAttributedTokens,
      )} tokens more than the account series: unattributed clamped at 0 there`,
    );
  if (p.lastError) notes.push(`last collection failed: ${p.lastError}`);
  notes.push(
    p.collectedTo
      ? `collected to ${formatDateTime(p.collectedTo)}`
      : 'not collected yet',
  );
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {notes.map(n => (
        <div key={n}>{n}</div>
      ))}
    </Typography>
  );
};

/**
 * Bedrock admins only (bedrock.binding.manage; renders nothing for anyone else): per account and
 * region, the month's Bedrock usage, the part the bound tenants are attributed and the rest no
 * tenant owns (base models called directly, inference profiles of no tenant), with estimated
 * costs. It loads on its own: a failure shows in this card only.
 */
export const BedrockUnattributedCard = () => {
  const { allowed, loading: checking } = usePermission({
    permission: bedrockBindingManagePermission,
  });
  const months = recentMonths();
  const [month, setMonth] = useState(months[0]);
  const api = useApi(bedrockApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (allowed ? api.getUnattributedUsage({ month }) : undefined),
    [api, month, allowed],
  );
  if (checking || !allowed) return null;
  if (error && statusOf(error) === 403) return null;

  return (
    <SuiteView name="unattributed">
      <InfoCard
        title="Bedrock usage no tenant owns"
        subheader="Admins only: per AWS account and region, usage no bound tenant is attributed"
      >
        <Box data-testid="bedrock-unattributed">
          <TextField
            select
            id="bedrock-unattributed-month"
            label="Month"
            value={month}
            onChange={e => setMonth(e.target.value)}
            SelectProps={{ native: true }}
            inputProps={{ 'data-testid': 'bedrock-unattributed-month' }}
            style={{ minWidth: 140, marginBottom: 8 }}
          >
            {months.map(m => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </TextField>
          {loading && <Progress />}
          {error && (
            <Alert
              severity="error"
              data-testid="bedrock-unattributed-error"
              action={
                <Typography
                  component="button"
                  variant="button"
                  onClick={retry}
                  style={{ background: 'none', border: 0, cursor: 'pointer' }}
                >
                  Retry
                </Typography>
              }
            >
              The usage no tenant owns could not be loaded: {messageOf(error)}
            </Alert>
          )}
          {value && !loading && value.accountRegions.length === 0 && (
            <Typography variant="body2" color="textSecondary">
              No account usage collected for {month} yet.
            </Typography>
          )}
          {value && !loading && value.accountRegions.length > 0 && (
            <Table size="small" aria-label="Bedrock usage no tenant owns">
              <TableHead>
                <TableRow>
                  <TableCell>Account / region</TableCell>
                  <TableCell>Account usage</TableCell>
                  <TableCell>Tenants</TableCell>
                  <TableCell>Unattributed</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.accountRegions.map(p => (
                  <TableRow
                    key={`${p.accountId}/${p.region}`}
                    data-testid={`bedrock-unattributed-${p.accountId}-${p.region}`}
                  >
                    <TableCell>
                      {p.accountId} / {p.region}
                      <Notes p={p} />
                    </TableCell>
                    <TableCell>
                      <Figures f={p.account} partial={p.partial} />
                    </TableCell>
                    <TableCell>
                      <Figures f={p.attributed} partial={p.partial} />
                    </TableCell>
                    <TableCell>
                      <Figures f={p.unattributed} partial={p.partial} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {value && (
            <Typography variant="caption" color="textSecondary" component="div">
              {value.notes.join('. ')}.
            </Typography>
          )}
        </Box>
      </InfoCard>
    </SuiteView>
  );
};
