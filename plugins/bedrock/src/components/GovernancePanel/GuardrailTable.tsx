import Box from '@material-ui/core/Box';
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

/** Names, regions and figures never wrap (a word broken at 1280 px read as two); notes do. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

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
    // scrolls sideways in a narrower column instead of breaking words
    <Box overflow="auto">
      <Table size="small" aria-label="Guardrails">
        <TableHead>
          <TableRow>
            <TableCell style={NO_WRAP}>Region</TableCell>
            <TableCell style={NO_WRAP}>Guardrail</TableCell>
            <TableCell align="right" style={NO_WRAP}>
              Invocations
            </TableCell>
            <TableCell align="right" style={NO_WRAP}>
              Intervened
            </TableCell>
            <TableCell align="right" style={NO_WRAP}>
              Text units
            </TableCell>
            <TableCell style={{ minWidth: 240 }}>
              Per policy type (interventions)
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {guardrails.map(g => (
            <TableRow key={g.region} data-testid={`guardrail-${g.region}`}>
              <TableCell style={NO_WRAP}>{g.region}</TableCell>
              <TableCell style={NO_WRAP}>
                {g.name}
                <Typography variant="caption" component="div">
                  {g.version ? `version ${g.version}` : '(draft only)'}
                </Typography>
                <Typography variant="caption" component="div">
                  last {g.windowDays} days to {formatDateTime(g.until)}
                </Typography>
              </TableCell>
              <TableCell align="right" style={NO_WRAP}>
                {g.totals ? formatInteger(g.totals.invocations) : NOT_AVAILABLE}
              </TableCell>
              <TableCell align="right" style={NO_WRAP}>
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
              <TableCell align="right" style={NO_WRAP}>
                {g.totals ? formatInteger(g.totals.textUnits) : NOT_AVAILABLE}
              </TableCell>
              <TableCell data-testid={`guardrail-policies-${g.region}`}>
                {g.byPolicy ? (
                  <>
                    {g.byPolicy.policies.length
                      ? g.byPolicy.policies
                          .map(
                            p =>
                              `${p.policyType} ${formatInteger(p.intervened)}`,
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
    </Box>
  );
