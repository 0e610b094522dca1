import { strykerConfig } from '../../scripts/mutation/stryker.base.mjs';

// Where a silent bug costs money or leaks data: cost, usage and range math, the usage store,
// entity access and the group roll-up's filter.
export default strykerConfig({
  mutate: [
    'src/service/cost.ts',
    'src/service/usage.ts',
    'src/service/range.ts',
    'src/database/DatabaseUsageStore.ts',
    'src/service/entityAccess.ts',
    'src/service/GroupRollupService.ts',
  ],
  testMatch: ['**/service/*.test.ts', '**/database/*.test.ts'],
});
