import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { GuardrailInfo } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  formatDateTime,
  formatInteger,
  formatPercent,
  NOT_AVAILABLE,
} from '../../lib/format';

const SCOPE = {
  guardrail: 'this guardrail',
  account: 'whole account and region',
};

/**
 * The tenant's guardrail per region: version, and its own CloudWatch figures over the window.
 * A figure AWS does not publish for this guardrail reads "not available" with the reason.
 */
export const GuardrailTable = ({
  guardrails,
}: {
  guardrails: GuardrailInfo[];
}) =>
  guardrails.length === 0 ? (
    <Typography variant="body2" data-testid="guardrails-none">
      No guardrail for this tenant.
    </Typography>
  ) : (
    <Table size="small" aria-label="Guardrails">
      <TableHead>
        <TableRow>
          <TableCell>Region</TableCell>
          <TableCell>Guardrail</TableCell>
          <TableCell align="right">Invocations</TableCell>
          <TableCell align="right">Intervened</TableCell>
          <TableCell align="right">Text units</TableCell>
          <TableCell>Per policy type (interventions)</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {guardrails.map(g => (
          <TableRow key={g.region} data-testid={`guardrail-${g.region}`}>
            <TableCell>{g.region}</TableCell>
            <TableCell>
              {g.name} {g.version ? `version ${g.version}` : '(draft only)'}
              <Typography variant="caption" component="div">
                last {g.windowDays} days to {formatDateTime(g.until)}
              </Typography>
            </TableCell>
            <TableCell align="right">
              {g.totals ? formatInteger(g.totals.invocations) : NOT_AVAILABLE}
            </TableCell>
            <TableCell align="right">
              {g.totals
                ? `${formatInteger(g.totals.intervened)}${
                    g.totals.invocations
                      ? ` (${formatPercent(
                          g.totals.intervened / g.totals.invocations,
                        )})`
                      : ''
                  }`
                : NOT_AVAILABLE}
            </TableCell>
            <TableCell align="right">
              {g.totals ? formatInteger(g.totals.textUnits) : NOT_AVAILABLE}
            </TableCell>
            <TableCell data-testid={`guardrail-policies-${g.region}`}>
              {g.byPolicy ? (
                <>
                  {g.byPolicy.policies.length
                    ? g.byPolicy.policies
                        .map(
                          p => `${p.policyType} ${formatInteger(p.intervened)}`,
                        )
                        .join(', ')
                    : 'none'}
                  <Typography variant="caption" component="div">
                    {SCOPE[g.byPolicy.scope]}
                  </Typography>
                </>
              ) : (
                NOT_AVAILABLE
              )}
              {g.notes.map(n => (
                <Typography
                  key={n}
                  variant="caption"
                  component="div"
                  color="textSecondary"
                >
                  {n}
                </Typography>
              ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
