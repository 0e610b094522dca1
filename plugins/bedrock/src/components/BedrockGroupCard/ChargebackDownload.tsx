import { useState } from 'react';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import type { ChargebackFormat } from '@bedrock-tenancy/plugin-bedrock-common';
import { bedrockApiRef } from '../../api';

/** The current month, `YYYY-MM` (UTC, as the backend counts months). */
const thisMonth = () => new Date().toISOString().slice(0, 7);

const EXPORTS: Array<{
  format: ChargebackFormat;
  label: string;
  description: string;
}> = [
  { format: 'csv', label: 'CSV', description: 'For a spreadsheet' },
  { format: 'json', label: 'JSON', description: 'For a script' },
  {
    format: 'focus',
    label: 'FOCUS',
    description:
      'FinOps FOCUS 1.2 columns (CSV), for a FinOps tool; estimates are marked as such',
  },
];

/** Saves a blob under a file name through a temporary link. */
function save(fileName: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Chargeback export of the group for a month, as CSV (for a spreadsheet), JSON, or CSV in the
 * FinOps FOCUS columns. The export goes
 * through the signed-in fetch (a plain link would carry no Backstage token).
 */
export const ChargebackDownload = (props: {
  group: CompoundEntityRef;
  includeChildren: boolean;
}) => {
  const api = useApi(bedrockApiRef);
  const [month, setMonth] = useState(thisMonth);
  const [busy, setBusy] = useState<ChargebackFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: ChargebackFormat) => {
    setBusy(format);
    setError(null);
    try {
      const { fileName, blob } = await api.getChargeback({
        group: props.group,
        month,
        format,
        includeChildren: props.includeChildren,
      });
      save(fileName, blob);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Box
      mt={2}
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      data-testid="group-chargeback"
    >
      <Typography variant="subtitle2" component="span">
        Chargeback export
      </Typography>
      <Box mx={1}>
        <TextField
          type="month"
          size="small"
          label="Month"
          value={month}
          onChange={e => setMonth(e.target.value)}
          inputProps={{ max: thisMonth(), 'aria-label': 'Export month' }}
        />
      </Box>
      {EXPORTS.map(({ format, label, description }) => (
        <Box key={format} mr={1}>
          <Button
            size="small"
            variant="outlined"
            startIcon={<GetAppIcon />}
            disabled={busy !== null || !month}
            onClick={() => download(format)}
            title={description}
          >
            {label}
          </Button>
        </Box>
      ))}
      {error && (
        <Typography color="error" variant="caption" role="alert">
          Export failed: {error}
        </Typography>
      )}
    </Box>
  );
};
