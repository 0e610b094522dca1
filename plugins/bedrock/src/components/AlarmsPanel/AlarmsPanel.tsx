import { InfoCard, Link } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  AlarmInfo,
  AlarmState,
  Section,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { formatDateTime } from '../../lib/format';
import { SectionView } from '../SectionView';

const STATE: Record<AlarmState, { text: string; color: string }> = {
  ALARM: { text: 'In alarm', color: '#d32f2f' },
  OK: { text: 'OK', color: '#2e7d32' },
  INSUFFICIENT_DATA: { text: 'Insufficient data', color: '#757575' },
};

/** An alarm state as colour and text, never colour alone. */
export const AlarmStateChip = ({ state }: { state: AlarmState }) => (
  <Chip
    size="small"
    label={STATE[state].text}
    data-testid={`alarm-state-${state}`}
    style={{ backgroundColor: STATE[state].color, color: '#fff' }}
  />
);

const order: Record<AlarmState, number> = {
  ALARM: 0,
  INSUFFICIENT_DATA: 1,
  OK: 2,
};

/** The tenant's CloudWatch alarms, those in ALARM first. */
export const AlarmsPanel = ({ alarms }: { alarms: Section<AlarmInfo[]> }) => (
  <InfoCard title="Alarms">
    <SectionView section={alarms} name="Alarms">
      {data =>
        data.length === 0 ? (
          <Typography variant="body2">
            No alarms found for this tenant.
          </Typography>
        ) : (
          <Table size="small" aria-label="Alarms">
            <TableHead>
              <TableRow>
                <TableCell>State</TableCell>
                <TableCell>Alarm</TableCell>
                <TableCell>Reason</TableCell>
                <TableCell>Last change</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {[...data]
                .sort((a, b) => order[a.state] - order[b.state])
                .map(alarm => (
                  <TableRow key={`${alarm.region}/${alarm.name}`}>
                    <TableCell>
                      <AlarmStateChip state={alarm.state} />
                    </TableCell>
                    <TableCell>
                      <Link to={alarm.consoleUrl}>{alarm.name}</Link>
                      <Typography
                        variant="caption"
                        component="div"
                        color="textSecondary"
                      >
                        {alarm.region}
                        {alarm.metricName && ` · ${alarm.metricName}`}
                        {alarm.threshold !== null && ` > ${alarm.threshold}`}
                      </Typography>
                    </TableCell>
                    <TableCell>{alarm.reason}</TableCell>
                    <TableCell>
                      {alarm.updatedAt ? formatDateTime(alarm.updatedAt) : '–'}
                    </TableCell>
                  </TableRow>
                ))}
            </TableBody>
          </Table>
        )
      }
    </SectionView>
  </InfoCard>
);
