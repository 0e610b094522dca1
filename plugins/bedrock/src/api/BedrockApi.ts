import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  BudgetIncrease,
  BudgetIncreaseList,
  BudgetIncreaseRequest,
  ChargebackFormat,
  EntitySummary,
  GroupRollup,
  RangePreset,
  UnattributedReport,
} from '@bedrock-tenancy/plugin-bedrock-common';

/**
 * The time range of a request: a preset, or an explicit window (ISO 8601).
 *
 * @public
 */
export type BedrockRange =
  | { preset: RangePreset }
  | { from: string; to: string };

/**
 * Client of the bedrock backend plugin's HTTP API.
 *
 * @public
 */
export interface BedrockApi {
  /** Usage, cost, budget, alarms and governance of one tenant entity. */
  getEntitySummary(options: {
    entity: CompoundEntityRef;
    range: BedrockRange;
  }): Promise<EntitySummary>;
  /**
   * Totals across the tenants a group owns; without `includeChildren` the backend's default
   * (`bedrock.rollup.includeChildGroups`, true unless configured) decides.
   */
  getGroupRollup(options: {
    group: CompoundEntityRef;
    range: BedrockRange;
    includeChildren?: boolean;
  }): Promise<GroupRollup>;
  /** The chargeback export of one month (`YYYY-MM`) of a group, as a file to save. */
  getChargeback(options: {
    group: CompoundEntityRef;
    month: string;
    format: ChargebackFormat;
    includeChildren?: boolean;
  }): Promise<{ fileName: string; blob: Blob }>;
  /** Asks the backend to collect the entity's data now. */
  refreshEntity(options: { entity: CompoundEntityRef }): Promise<void>;
  /**
   * The tenant's temporary budget increases (newest first, at most 20), and whether the caller
   * may request one or decide on one.
   */
  getBudgetIncreases(options: {
    entity: CompoundEntityRef;
  }): Promise<BudgetIncreaseList>;
  /** Asks for a temporary increase of the tenant's monthly budget; it starts pending. */
  requestBudgetIncrease(options: {
    entity: CompoundEntityRef;
    request: BudgetIncreaseRequest;
  }): Promise<BudgetIncrease>;
  /** Approves or declines a pending request (Bedrock admins), with an optional note. */
  decideBudgetIncrease(options: {
    id: string;
    decision: 'approve' | 'decline';
    note?: string;
  }): Promise<BudgetIncrease>;
  /**
   * Bedrock admins only (403 for everyone else): per account and region, the Bedrock usage of a
   * month (`YYYY-MM`, default the current one) that no tenant is attributed.
   */
  getUnattributedUsage(options: {
    month?: string;
  }): Promise<UnattributedReport>;
}

/**
 * Reference to the {@link BedrockApi}.
 *
 * @public
 */
export const bedrockApiRef = createApiRef<BedrockApi>({
  id: 'plugin.bedrock.api',
});
