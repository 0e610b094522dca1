import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { bedrockPermissions } from '@bedrock-tenancy/plugin-bedrock-common';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { registerBedrockActions } from './actions';
import { CollectorTasks } from './collector/CollectorTasks';
import { StatusCollector } from './collector/StatusCollector';
import { UsageCollector } from './collector/UsageCollector';
import { BindingSync, notifyBindingConflicts } from './bindings/BindingSync';
import { checkAccountConfigured } from './bindings/errors';
import { readConfigBindings } from './bindings/configBindings';
import { DatabaseBindingStore } from './bindings/DatabaseBindingStore';
import { TagBindingReader } from './bindings/TagBindingReader';
import { TenantChangeAuthorizer } from './bindings/TenantChangeAuthorizer';
import { readBedrockConfig } from './config';
import { DatabaseUsageStore } from './database/DatabaseUsageStore';
import { createAfterCollection } from './notify';
import { NotificationLedger } from './notify/NotificationLedger';
import { BudgetEnforcer } from './enforce/BudgetEnforcer';
import { TenantSuspender } from './enforce/TenantSuspender';
import { readEnforcementSettings } from './enforce/config';
import { readNotifySettings } from './notify/config';
import { publishTenantChanged } from './notify/signals';
import { BudgetIncreaseService } from './increases/BudgetIncreaseService';
import { BudgetIncreaseStore } from './increases/BudgetIncreaseStore';
import { readBudgetIncreaseSettings } from './increases/config';
import { tenantOfBinding } from './bindings/verify';
import { DAY_MS, floorHour, HOUR_MS } from './lib/time';
import { GroupRollupService } from './service/GroupRollupService';
import { PolicyDecisionCache } from './service/PolicyDecisionCache';
import { BoundedCache } from './service/BoundedCache';
import { EntityReader } from './service/EntityReader';
import { RefreshLimiter } from './service/RefreshLimiter';
import { createRouter } from './service/router';
import { SummaryService } from './service/SummaryService';
import { createPricing } from './prices';
import { monthRange } from './service/chargeback';
import { VarianceNotifier } from './reconcile/VarianceNotifier';
import { CostExplorerBilling } from './reconcile/CostExplorerBilling';
import { AccountUsageCollector } from './unattributed/AccountUsageCollector';
import { BatchCollector } from './batch/BatchCollector';
import { AccountUsageStore } from './unattributed/AccountUsageStore';
import { createUnattributedRouter } from './unattributed/routes';
import { UnattributedService } from './unattributed/UnattributedService';

/**
 * The bedrock backend plugin: per-tenant Bedrock usage, alarms, cost and budgets.
 *
 * @public
 */
export const bedrockPlugin = createBackendPlugin({
  pluginId: 'bedrock',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        notifications: notificationService,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const {
          httpRouter,
          logger,
          config,
          database,
          scheduler,
          auth,
          catalog,
        } = deps;
        const settings = readBedrockConfig(config);
        deps.permissionsRegistry.addPermissions(bedrockPermissions);
        // one policy round trip per caller and permission every few seconds, never shared
        const permissions = PolicyDecisionCache.wrap({
          permissions: deps.permissions,
          ttlMs: settings.decisionCacheSeconds * 1000,
        });

        // the cache only speeds answers up: every call bounded, a failing cache skipped
        const cache = BoundedCache.wrap({
          cache: deps.cache,
          timeoutMs: settings.cache.timeoutMs,
          logger,
        });

        const store = await DatabaseUsageStore.create({ database });
        const bindings = DatabaseBindingStore.fromKnex(
          await database.getClient(),
        );
        const clients = AwsClientFactory.fromConfig(config, {
          endpoint: settings.endpoint,
          maxAttempts: settings.maxAttempts,
          requestTimeoutMs: settings.requestTimeoutMs,
        });
        // bindings first: the collector and the routes serve bound tenants only
        const sync = BindingSync.create({
          store: bindings,
          reader: TagBindingReader.create({ clients }),
          logger,
          configured: readConfigBindings(config, new Date().toISOString()),
          ...settings.bindings,
          // an unbound tenant whose AWS tags disagree: the Bedrock admins are told
          onConflict: notifyBindingConflicts({
            notifications: deps.notifications,
            recipients:
              config.getOptionalStringArray(
                'bedrock.bindings.adminRecipients',
              ) ?? [],
            logger,
          }),
        });
        await sync.applyConfig();
        // the first read of the AWS tags starts now; the collector's first run waits for it,
        // and for up to three reads again of what failed (10, 20, 40 s later)
        const firstTagSync = sync
          .syncFromTags({ retryDelaysMs: [10_000, 20_000, 40_000] })
          .catch(error =>
            logger.warn(
              `Reading tenant bindings from AWS tags failed: ${error}`,
            ),
          );
        await sync.schedule(scheduler);
        const usage = UsageCollector.create({
          store,
          clients,
          logger,
          options: settings.collector,
        });
        const status = StatusCollector.create({
          store,
          clients,
          logger,
          budget: settings.status.budget,
          billing: CostExplorerBilling.create({
            clients,
            store,
            logger,
            maxRequestsPerDay: settings.costExplorer.maxRequestsPerDay,
          }),
        });
        // prices: built-in, the AWS price list (stored, read on a schedule), bedrock.prices
        const pricing = await createPricing({
          settings,
          db: await database.getClient(),
          clients,
          bindings,
          logger,
        });
        await pricing.schedule(scheduler);
        const summary = SummaryService.create({
          store,
          cache,
          logger,
          options: {
            // a getter: each summary reads the table as the last price-list run left it
            get prices() {
              return pricing.table.rows();
            },
            priceNote: () => pricing.note(),
            idleDays: settings.idleDays,
            staleAfterMinutes: settings.staleAfterMinutes,
            costExplorerEnabled: settings.costExplorer.enabled,
          },
        });
        const notify = readNotifySettings(config);
        const suspensionNotices = notify.enabled && notify.events.suspension;
        const increaseStore = BudgetIncreaseStore.fromKnex(
          await database.getClient(),
        );
        const enforcer = BudgetEnforcer.create({
          settings: readEnforcementSettings(config),
          bindings,
          store,
          clients,
          ledger: new NotificationLedger(await database.getClient()),
          summarize: tenant => {
            const to = floorHour(Date.now()) + HOUR_MS;
            return summary.entitySummary(tenant, { from: to - DAY_MS, to });
          },
          // told like the other suspensions: off with bedrock.notifications(.events.suspension)
          notifications: suspensionNotices ? deps.notifications : undefined,
          auditor: deps.auditor,
          logger,
          increases: increaseStore,
        });
        // spend no tenant owns: the accounts' whole usage, beside the tenants'
        const accountUsageStore = AccountUsageStore.fromKnex(
          await database.getClient(),
        );
        const accountUsage = AccountUsageCollector.create({
          store: accountUsageStore,
          usage: store,
          clients,
          logger,
          options: settings.collector,
        });
        const unattributed = UnattributedService.create({
          store: accountUsageStore,
          prices: () => pricing.table.rows(),
          permissions,
        });
        // estimate vs bill: the admins hear of a tenant's monthly variance past the threshold
        const variance = new VarianceNotifier({
          threshold: {
            percent: settings.reconciliation.varianceThresholdPercent,
            minUsd: settings.reconciliation.minVarianceUsd,
          },
          recipients: settings.reconciliation.adminRecipients,
          ledger: new NotificationLedger(await database.getClient()),
          notifications: deps.notifications,
          reconcile: async (tenants, month) =>
            (
              await summary.rollupFigures(
                tenants,
                monthRange(month, Date.now()),
              )
            ).map(f => f.reconciliation),
          logger,
        });
        // batch inference jobs: the tenants' `+batch` rows, at the batch price
        const batch = BatchCollector.create({
          clients,
          store,
          logger,
          windowDays: settings.collector.backfillDays,
          concurrency: settings.collector.concurrency,
        });
        const tasks = CollectorTasks.create({
          settings,
          store,
          usage,
          status,
          bindings,
          logger,
          batchUsage: {
            collect: (tenants, options) => batch.collect(tenants, options),
          },
          accountUsage: {
            collect: (tenants, options) =>
              accountUsage.collect(tenants, options),
            prune: before => accountUsageStore.prune(before),
          },
          bindingsReady: firstTagSync,
          onBilled: settings.reconciliation.notify
            ? tenants => variance.check(tenants)
            : undefined,
          onCollected: await createAfterCollection({
            config,
            database,
            summary,
            notifications: deps.notifications,
            signals: deps.signals,
            logger,
            enforce: tenants => enforcer.enforce(tenants),
          }),
        });
        await tasks.schedule(scheduler);
        const increases = BudgetIncreaseService.create({
          store: increaseStore,
          clients,
          settings: readBudgetIncreaseSettings(config),
          tenantOf: async tenantId => {
            const binding = await bindings.get(tenantId);
            return binding ? tenantOfBinding(binding) : undefined;
          },
          refresh: tenant => tasks.refreshTenant(tenant),
          onChanged: entityRef =>
            publishTenantChanged(deps.signals, [entityRef], logger),
          notifications: notify.enabled ? deps.notifications : undefined,
          auditor: deps.auditor,
          logger,
        });
        await increases.schedule(scheduler);

        const entities = EntityReader.create({
          catalog,
          ttlMs: settings.decisionCacheSeconds * 1000,
        });
        const groups = GroupRollupService.create({
          catalog,
          auth,
          permissions,
          summary,
          bindings,
          accessTtlMs: settings.decisionCacheSeconds * 1000,
          treeTtlMs: settings.rollup.treeCacheSeconds * 1000,
          maxGroups: settings.rollup.maxGroups,
          maxEntities: settings.rollup.maxEntities,
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            permissions,
            userInfo: deps.userInfo,
            catalog,
            entities,
            summary,
            auth,
            bindings,
            groups,
            refresh: tenant => tasks.refreshTenant(tenant),
            checkAccount: accountId =>
              checkAccountConfigured(clients, accountId),
            limiter: RefreshLimiter.create({
              cache,
              intervalSeconds: settings.refreshIntervalSeconds,
            }),
            auditor: deps.auditor,
            includeChildGroups: settings.rollup.includeChildGroups,
            enforcementPlan: async () => enforcer.plan(await tasks.tenants()),
            increases,
            unattributed: (credentials, range) =>
              unattributed.forChargeback(credentials, range),
          }),
        );
        httpRouter.use(
          createUnattributedRouter({
            httpAuth: deps.httpAuth,
            service: unattributed,
          }),
        );
        // the same services and checks as the routes, for AI assistants (MCP)
        registerBedrockActions(deps.actionsRegistry, {
          permissions,
          catalog,
          entities,
          summary,
          groups,
          bindings,
          auditor: deps.auditor,
          includeChildGroups: settings.rollup.includeChildGroups,
          suspender: TenantSuspender.create({ clients }),
          increases,
          changes: TenantChangeAuthorizer.create({
            store: bindings,
            permissions,
            userInfo: deps.userInfo,
            catalog,
          }),
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
