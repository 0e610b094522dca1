import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  bedrockBindingManagePermission,
  ChargebackUnattributed,
  PriceRow,
  UnattributedReport,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { iso } from '../lib/time';
import type { TimeRange } from '../service/range';
import { AccountUsageStore } from './AccountUsageStore';
import { chargebackUnattributed, unattributedReport } from './report';

/**
 * Reads the spend no tenant owns for Bedrock admins (bedrock.binding.manage): it names every
 * account and region and what is spent there outside the tenants, so nobody else sees it.
 */
export class UnattributedService {
  readonly #store: AccountUsageStore;
  readonly #prices: () => PriceRow[];
  readonly #permissions: PermissionsService;

  static create(o: {
    store: AccountUsageStore;
    /** the tenants' price table as it is now (the AWS price list is reloaded on a schedule) */
    prices: () => PriceRow[];
    permissions: PermissionsService;
  }) {
    return new UnattributedService(o);
  }

  private constructor(o: {
    store: AccountUsageStore;
    prices: () => PriceRow[];
    permissions: PermissionsService;
  }) {
    this.#store = o.store;
    this.#prices = o.prices;
    this.#permissions = o.permissions;
  }

  /** Whether the caller holds bedrock.binding.manage. */
  async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    const [decision] = await this.#permissions.authorize(
      [{ permission: bedrockBindingManagePermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The report of [from, to); the caller must be checked with {@link isAdmin} first. */
  async report(range: TimeRange): Promise<UnattributedReport> {
    const [rows, states] = await Promise.all([
      this.#store.getDaily({ from: iso(range.from), to: iso(range.to) }),
      this.#store.getStates(),
    ]);
    return unattributedReport({
      rows,
      states,
      prices: this.#prices(),
      range,
    });
  }

  /**
   * The chargeback export's unattributed rows of the range for an admin; undefined for anyone
   * else (the export then has no `unattributed` at all).
   */
  async forChargeback(
    credentials: BackstageCredentials,
    range: TimeRange,
  ): Promise<ChargebackUnattributed[] | undefined> {
    if (!(await this.isAdmin(credentials))) return undefined;
    return chargebackUnattributed(await this.report(range));
  }
}
