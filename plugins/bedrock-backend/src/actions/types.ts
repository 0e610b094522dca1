import type {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { BindingStore } from '../bindings/types';
import type { TenantChangeAuthorizer } from '../bindings/TenantChangeAuthorizer';
import type { BudgetIncreaseService } from '../increases/BudgetIncreaseService';
import type { TenantSuspender } from '../enforce/TenantSuspender';
import type { EntityReader } from '../service/EntityReader';
import type { GroupRollupService } from '../service/GroupRollupService';
import type { SummaryService } from '../service/SummaryService';

/**
 * What the actions answer from: the services the HTTP routes use, so an action decides access
 * exactly as the route does, always with the caller's credentials (the action context's).
 */
export interface BedrockActionsOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  entities: EntityReader;
  summary: SummaryService;
  groups: GroupRollupService;
  bindings: BindingStore;
  /** records each write (and each chargeback read: a data export) */
  auditor?: AuditorService;
  /** bedrock.rollup.includeChildGroups: a group action's default */
  includeChildGroups: boolean;
  /** the suspend and resume actions are registered only with it */
  suspender?: TenantSuspender;
  /** the request-budget-increase action is registered only with both */
  increases?: BudgetIncreaseService;
  changes?: TenantChangeAuthorizer;
  now?: () => number;
}

/** The zod the registry hands to schema functions: backend-plugin-api's own copy, not this package's. */
export type SchemaZod = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];
