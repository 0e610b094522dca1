import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { ChartTable } from './chartText';

/** A chart's points as a plain table: the "show as table" view, for screen readers and copying. */
export const ChartDataTable = (props: { title: string; table: ChartTable }) => (
  // scrolls inside the card's chart height; focusable so a keyboard can scroll it
  <Box
    maxHeight={260}
    overflow="auto"
    tabIndex={0}
    role="region"
    aria-label={`${props.title} as a table`}
  >
    <Table size="small" stickyHeader data-testid="chart-table">
      <caption style={{ captionSide: 'top' }}>{props.title}</caption>
      <TableHead>
        <TableRow>
          {props.table.columns.map((c, i) => (
            <TableCell key={`${i}:${c}`} align={i === 0 ? 'left' : 'right'}>
              {c}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.table.rows.map(row => (
          <TableRow key={row[0]}>
            {row.map((v, i) => (
              <TableCell
                key={props.table.columns[i]}
                align={i === 0 ? 'left' : 'right'}
                component={i === 0 ? 'th' : 'td'}
                scope={i === 0 ? 'row' : undefined}
              >
                {v}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </Box>
);
