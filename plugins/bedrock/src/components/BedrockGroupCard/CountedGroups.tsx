import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { GroupRollup } from '@bedrock-tenancy/plugin-bedrock-common';
import { useEntityLink } from '../../hooks/useBedrockTabLink';

/**
 * Which groups the figures count, how many tenants the caller may not read, and whether the
 * cost total is partial: what a department head needs to trust the totals.
 */
export const CountedGroups = ({ rollup }: { rollup: GroupRollup }) => {
  const entityLink = useEntityLink();
  const groups = rollup.groups ?? [rollup.groupRef];
  return (
    <Box mt={1} data-testid="group-counted">
      {rollup.totals.partial && (
        <Chip
          size="small"
          label="partial"
          color="secondary"
          data-testid="group-partial"
          title={rollup.totals.partialReason ?? undefined}
        />
      )}
      <Typography variant="caption" component="div" color="textSecondary">
        Counting the tenants of {groups.length === 1 ? 'group ' : 'groups '}
        {groups.map((g, i) => (
          <span key={g}>
            {i > 0 && ', '}
            <Link to={entityLink(g)} underline="always">
              {humanizeEntityRef(parseEntityRef(g), { defaultKind: 'group' })}
            </Link>
          </span>
        ))}
        {rollup.totals.partial && rollup.totals.partialReason
          ? `. Cost is partial: ${rollup.totals.partialReason}.`
          : '.'}
        {rollup.unreadableTenants
          ? ` ${rollup.unreadableTenants} tenant(s) you may not read are left out.`
          : ''}
      </Typography>
    </Box>
  );
};
