import { InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  GovernanceInfo,
  GuardrailInfo,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { SectionView } from '../SectionView';
import { GuardrailTable } from './GuardrailTable';

const destinations = (g: GovernanceInfo) =>
  [
    g.cloudWatchLogGroup && `CloudWatch Logs ${g.cloudWatchLogGroup}`,
    g.s3Bucket && `S3 s3://${g.s3Bucket}`,
  ]
    .filter(Boolean)
    .join(', ') || '–';

const promptsLogged = (g: GovernanceInfo) => {
  if (!g.loggingEnabled) return '–';
  return g.promptsLogged ? 'Yes' : 'No';
};

/**
 * Model invocation logging per region (on or off, where to, whether prompts are kept) and the
 * tenant's guardrails; each part shows its own failure.
 */
export const GovernancePanel = ({
  governance,
  guardrails,
}: {
  governance: Section<GovernanceInfo[]>;
  guardrails: Section<GuardrailInfo[]>;
}) => (
  <InfoCard title="Governance">
    <SectionView section={governance} name="Invocation logging">
      {data =>
        data.length === 0 ? (
          <Typography variant="body2">No region reported.</Typography>
        ) : (
          <Table size="small" aria-label="Invocation logging">
            <TableHead>
              <TableRow>
                <TableCell>Region</TableCell>
                <TableCell>Invocation logging</TableCell>
                <TableCell>Destinations</TableCell>
                <TableCell>Prompts logged</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map(g => (
                <TableRow key={g.region} data-testid={`governance-${g.region}`}>
                  <TableCell>{g.region}</TableCell>
                  <TableCell>{g.loggingEnabled ? 'On' : 'Off'}</TableCell>
                  <TableCell>
                    {destinations(g)}
                    {g.deliveryFailures &&
                      g.deliveryFailures.cloudWatch + g.deliveryFailures.s3 >
                        0 && (
                        <Typography
                          variant="caption"
                          component="div"
                          color="error"
                        >
                          delivery failures: {g.deliveryFailures.cloudWatch}{' '}
                          CloudWatch, {g.deliveryFailures.s3} S3
                        </Typography>
                      )}
                  </TableCell>
                  <TableCell>{promptsLogged(g)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )
      }
    </SectionView>
    <Typography variant="subtitle2" component="h3" style={{ marginTop: 16 }}>
      Guardrails
    </Typography>
    <SectionView section={guardrails} name="Guardrails">
      {data => <GuardrailTable guardrails={data} />}
    </SectionView>
  </InfoCard>
);
