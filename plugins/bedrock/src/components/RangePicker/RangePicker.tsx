import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import type { RangePreset } from '@bedrock-tenancy/plugin-bedrock-common';
import type { BedrockRange } from '../../api';

const PRESETS: Array<{ value: RangePreset; label: string }> = [
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
  { value: 'mtd', label: 'Month to date' },
];

const DAY_MS = 24 * 3600 * 1000;

const useStyles = makeStyles(theme => ({
  // the fields sit on the page's grey background, where the theme's secondary label colour
  // falls under 4.5:1 (axe color-contrast); focus still turns the label the primary colour
  label: { color: theme.palette.text.primary },
}));

/** Custom dates are whole UTC days: from the start of `from` to the end of `to`. */
export function customRange(
  fromDate: string,
  toDate: string,
): BedrockRange | undefined {
  const from = Date.parse(`${fromDate}T00:00:00Z`);
  const to = Date.parse(`${toDate}T00:00:00Z`) + DAY_MS;
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) return undefined;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The time range of the page: a preset, or custom dates. */
export const RangePicker = (props: {
  value: BedrockRange;
  onChange: (range: BedrockRange) => void;
}) => {
  const { value, onChange } = props;
  const classes = useStyles();
  const [custom, setCustom] = useState(!('preset' in value));
  const [fromDate, setFromDate] = useState(
    'from' in value ? value.from.slice(0, 10) : '',
  );
  const [toDate, setToDate] = useState(
    'to' in value
      ? new Date(Date.parse(value.to) - 1).toISOString().slice(0, 10)
      : '',
  );
  const selected = !custom && 'preset' in value ? value.preset : 'custom';
  const applied =
    fromDate && toDate ? customRange(fromDate, toDate) : undefined;

  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={selected}
        aria-label="Time range"
        onChange={(_e, next: string | null) => {
          if (!next) return;
          if (next === 'custom') {
            setCustom(true);
            return;
          }
          setCustom(false);
          onChange({ preset: next as RangePreset });
        }}
      >
        {PRESETS.map(p => (
          <ToggleButton
            key={p.value}
            value={p.value}
            aria-label={p.label}
            style={{ textTransform: 'none' }}
          >
            {p.label}
          </ToggleButton>
        ))}
        <ToggleButton
          value="custom"
          aria-label="Custom"
          style={{ textTransform: 'none' }}
        >
          Custom
        </ToggleButton>
      </ToggleButtonGroup>
      {custom && (
        <>
          <TextField
            type="date"
            size="small"
            id="bedrock-range-from"
            label="From (UTC)"
            InputLabelProps={{ shrink: true, classes: { root: classes.label } }}
            value={fromDate}
            onChange={e => setFromDate(e.target.value)}
          />
          <TextField
            type="date"
            size="small"
            id="bedrock-range-to"
            label="To (UTC)"
            InputLabelProps={{ shrink: true, classes: { root: classes.label } }}
            value={toDate}
            onChange={e => setToDate(e.target.value)}
            error={Boolean(fromDate && toDate && !applied)}
            helperText={
              fromDate && toDate && !applied
                ? 'To must not be before From'
                : undefined
            }
          />
          <Button
            size="small"
            variant="outlined"
            disabled={!applied}
            onClick={() => applied && onChange(applied)}
          >
            Apply
          </Button>
        </>
      )}
    </Box>
  );
};
