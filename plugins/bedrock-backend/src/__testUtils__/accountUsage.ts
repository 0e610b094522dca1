/* TEST-ONLY: rows for the tests of the spend no tenant owns (src/unattributed). */
import { emptyUsageRow, HourlyUsageRow } from '../database/types';
import {
  AccountUsageRow,
  emptyTraffic,
  Traffic,
} from '../unattributed/attribution';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const NOVA_PRO = 'amazon.nova-pro-v1:0';

/**
 * One hourly usage row in ACCOUNT/REGION (a tenant's, or the account's with tenantId ''),
 * every counter not given at 0.
 */
export function usageRow(
  o: Partial<HourlyUsageRow> & { modelId: string; hour: string },
): HourlyUsageRow {
  return {
    ...emptyUsageRow({
      tenantId: o.tenantId ?? '',
      accountId: o.accountId ?? ACCOUNT,
      region: o.region ?? REGION,
      modelId: o.modelId,
      hour: o.hour,
    }),
    ...o,
  };
}

/** Traffic with the counters given, the others 0. */
export const traffic = (t: Partial<Traffic> = {}): Traffic => ({
  ...emptyTraffic(),
  ...t,
});

/** One account usage row in ACCOUNT/REGION, each side's counters not given at 0. */
export function accountUsageRow(
  o: Partial<
    Omit<AccountUsageRow, 'account' | 'attributed' | 'unattributed'>
  > & {
    modelId: string;
    hour: string;
    account?: Partial<Traffic>;
    attributed?: Partial<Traffic>;
    unattributed?: Partial<Traffic>;
  },
): AccountUsageRow {
  return {
    accountId: o.accountId ?? ACCOUNT,
    region: o.region ?? REGION,
    modelId: o.modelId,
    hour: o.hour,
    account: traffic(o.account),
    attributed: traffic(o.attributed),
    unattributed: traffic(o.unattributed),
  };
}
