import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Settings of the bedrock backend plugin (@bedrock-tenancy/plugin-bedrock-backend). */
  bedrock?: {
    /** How the plugin reaches AWS. Credentials come from the `aws` section (@backstage/integration-aws-node). */
    aws?: {
      /**
       * Sends every AWS call of the plugin to this endpoint instead of AWS's, e.g. a local
       * emulator (`http://127.0.0.1:4566`). Leave unset for real AWS.
       */
      endpoint?: string;
      /** Attempts per AWS call, retries included (SDK retry mode `standard`). Default 3. */
      maxAttempts?: number;
      /**
       * Milliseconds an AWS answer may take before the attempt fails and is retried, so a hung
       * endpoint cannot hold a collection cycle. Default 30000.
       */
      requestTimeoutMs?: number;
    };

    /** The usage collector: CloudWatch AWS/Bedrock metrics and, for identity attribution, invocation logs. */
    collector?: {
      /** Run the scheduled collectors on this instance. Default true. */
      enabled?: boolean;
      /**
       * When the usage collector's shard tasks run. Default: every 15 minutes, 10-minute
       * timeout, first run 5 seconds after startup (so a fresh portal has data within a minute).
       * A run that finds no account-region due makes no AWS call but the free ListMetrics.
       *
       * What it costs: CloudWatch bills GetMetricData per metric requested (USD 0.01 per 1,000),
       * whatever the time span, so the bill follows `fetchEveryHours`, not this schedule. Each
       * fetch requests, per model series with datapoints in the last two weeks, one metric per
       * statistic: 9 for a series with the 7 usual metrics (6 sums, latency average, maximum
       * and p99), 11 with cache tokens. A tenant with three models, active around the clock,
       * costs per month: fetchEveryHours 1: USD 0.19; 2: USD 0.10; 3 (default): USD 0.065
       * (USD 0.08 with cache tokens); 6: USD 0.03. Idle tenants (no datapoints for two weeks)
       * cost nothing. Measured by bench/collector.ts. A backfill (first collection)
       * costs `backfillDays / windowHours x 24` fetches once.
       */
      /** Days fetched for a tenant seen for the first time. Default 30, at most 455 (CloudWatch keeps hourly data 455 days). */
      backfillDays?: number;
      /**
       * Hours before the watermark fetched again with the next fetch, to pick up late
       * datapoints: each closed hour is requested when it closes and once more within these
       * hours (in the same calls, at no extra cost). Default 3.
       */
      refetchHours?: number;
      /**
       * Closed hours gathered before an account-region is fetched again: the freshness of usage
       * (and of budget notifications) against the CloudWatch bill (see `schedule`). Default 3, at
       * most 24. Fetches happen when the UTC hour is a multiple of it, in every replica alike;
       * the refresh route fetches one tenant at once.
       */
      fetchEveryHours?: number;
      /**
       * Scheduler tasks the account-regions are spread over (`bedrock-usage-shard-<k>`, each
       * global): each account-region is collected by exactly one replica at a time, and
       * replicas share the shards. Default 12.
       */
      shards?: number;
      /**
       * Hours per GetMetricData time window. Default 24. Smaller windows are faster on some
       * CloudWatch emulators; at most 168.
       */
      windowHours?: number;
      /** Days of hourly usage kept in the database. Default 90. */
      retentionDays?: number;
      /**
       * Account-regions collected in parallel by one backend instance (across all its shard
       * tasks; a shard that finds this instance full leaves itself to another replica). Default 2.
       */
      concurrency?: number;
      /**
       * Also collect every account-region's whole AWS/Bedrock usage (every ModelId series, token
       * and invocation metrics only), in the same shard run after its tenants, to show admins the
       * spend no tenant owns (GET /admin/unattributed, the chargeback export's unattributed rows).
       * Costs one more ListMetrics per account-region and fetch (free) and GetMetricData queries
       * for the series no profile tenant owns (base models, profiles of no tenant). Default true.
       */
      accountUsage?: boolean;
    };

    /** The status collector: alarms, budgets and invocation-logging settings. */
    status?: {
      /**
       * When alarms, budgets and logging settings are fetched. Default: every 5 minutes, first
       * run 3 seconds after startup, `timeout: { minutes: 3 }`. The timeout bounds a run: after
       * 80% of it the run starts no more fetches, records itself as partial with what it had no
       * time for, and the next run fetches that first.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Fetches in flight at once (one tenant's alarms, one tenant's budget, one account and
       * region's logging settings). Default 4.
       */
      concurrency?: number;
      /**
       * Seconds one AWS account may take in one run, so a slow or throttled account cannot use
       * the whole run; its remaining fetches are left for the next run. Default 60.
       */
      accountTimeoutSeconds?: number;
    };

    /**
     * Billed cost from AWS Cost Explorer, per tenant: the tenant cost allocation tag on its
     * profiles, `iamPrincipal/bedrock-tenancy:tenant` for identity tenants, the account's
     * Bedrock services for account tenants. Off by default: every Cost Explorer request costs
     * USD 0.01; the plugin makes one or two grouped requests per AWS account per run (never per
     * tenant or page view), so keep the schedule slow.
     */
    costExplorer?: {
      /** Fetch billed cost. Default false. Each GetCostAndUsage call costs USD 0.01. */
      enabled?: boolean;
      /** When billed cost is fetched. Default: every 12 hours. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * The most GetCostAndUsage requests the suite sends in a UTC day, counted in the database
       * across replicas; past it the accounts not read keep their last figures. A run sends one
       * grouped request per account (two when it has identity tenants), times the pages. Default 100.
       */
      maxRequestsPerDay?: number;
    };

    /**
     * Estimate vs bill: each tenant's estimate is compared with its billed cost (Cost Explorer,
     * needs `costExplorer.enabled`) per month over the days the bill is complete for; the
     * Bedrock admins are told once per tenant and month when the variance passes both bounds.
     */
    reconciliation?: {
      /** Tell the admins of a variance past the threshold. Default true. */
      notify?: boolean;
      /** |billed − estimated| as a percentage of the billed cost, at least. Default 10. */
      varianceThresholdPercent?: number;
      /** |billed − estimated| in USD, at least. Default 10. */
      minVarianceUsd?: number;
      /**
       * Entity refs told (topic `bedrock-cost-variance`), e.g. `group:default/platform`. Default
       * `bedrock.bindings.adminRecipients`; empty: the variance is only logged.
       */
      adminRecipients?: string[];
    };

    /**
     * Notifications to the owners of a tenant's entity (through @backstage/plugin-notifications-backend),
     * sent after each collection, once per event across replicas and restarts.
     */
    notifications?: {
      /** Send owner notifications. Default true. */
      enabled?: boolean;
      /** Percentages of the budget limit (actual spend) that notify once per budget period. Default [50, 80, 100]. */
      budgetThresholds?: number[];
      /** Each event type can be turned off; all are on by default. */
      events?: {
        /** A budget threshold crossed (actual spend), or the forecast reaching 100%. */
        budgetThreshold?: { enabled?: boolean };
        /** An alarm of the tenant entering ALARM, and returning to OK. */
        alarm?: { enabled?: boolean };
        /** A day flagged as a spend anomaly. */
        anomaly?: { enabled?: boolean };
        /** The tenant becoming idle. */
        idle?: { enabled?: boolean };
        /** The tenant suspended or resumed (seen as all its alarm actions turned off, or back on). */
        suspension?: { enabled?: boolean };
      };
    };

    /** Live updates of open pages (through @backstage/plugin-signals-backend). */
    signals?: {
      /** Publish a "tenant changed" signal (no figures) after each collection. Default true. */
      enabled?: boolean;
    };

    /**
     * Budget enforcement: a tenant that opted in (the tenant template's "Suspend the tenant at
     * 100% of its budget", recorded in its binding and as a tag on its role) is suspended when its
     * spend reaches its monthly budget, through the suspend action's own code path (Deny policy on
     * the tenant role, alarm actions off), audited with reason "budget", its owners notified. It
     * runs after each collection, at most once per tenant and budget period across replicas, and
     * never resumes a tenant a person suspended. The backend's AWS credentials for the tenant's
     * account then need iam:GetRole, iam:ListRoleTags, iam:TagRole, iam:UntagRole,
     * iam:GetRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy on `bedrock-tenant-*` roles and
     * cloudwatch:PutMetricAlarm on the tenant's alarms. `GET /api/bedrock/enforcement/plan`
     * (Bedrock admins) shows what it would do for each opted-in tenant now.
     */
    enforcement?: {
      /** Act on opted-in tenants. Default true; tenants that did not opt in are never touched. */
      enabled?: boolean;
      /**
       * Decide, log and show the decisions (the tab, the plan route), but change nothing in AWS.
       * Default false. Useful for a first week with enforcement.
       */
      dryRun?: boolean;
    };

    /**
     * Temporary budget increases: a tenant's owners ask on its Bedrock tab (or through the
     * `request-budget-increase` action) for an amount until a day; Bedrock admins
     * (`bedrock.binding.manage`) are notified and approve or decline. An approval raises the
     * tenant's AWS Budget limit by the amount (and with it budget enforcement's limit, resuming a
     * tenant enforcement suspended this month that is now under it); after the last day the
     * `bedrock-budget-increases` task (every 15 minutes) puts the limit back, unless someone set
     * another limit meanwhile. The backend's AWS credentials then need budgets:ViewBudget and
     * budgets:ModifyBudget on the tenants' budgets.
     */
    budgetIncreases?: {
      /** The most one request may add, USD. Default 10000. */
      maxAmountUsd?: number;
      /** How many days ahead a request's last day may be, 1-366. Default 90. */
      maxDays?: number;
      /**
       * Who is told of a new request (user or group entity refs). Default
       * `bedrock.bindings.adminRecipients`.
       */
      adminRecipients?: string[];
    };

    /** The Group card's roll-up and the chargeback export built on it. */
    rollup?: {
      /**
       * Count the tenants of child groups (spec.children, transitively) when a request does not
       * say: a department's page then shows its teams' tenants. Default true; the card's "Include
       * child groups" switch and the routes' `includeChildren=true|false` query override it.
       */
      includeChildGroups?: boolean;
      /**
       * The most groups a roll-up or export counts, the group itself included. The tree is read
       * from the catalog level by level, in requests of at most 48 refs; a larger tree answers
       * 400 asking to open a child group's roll-up or to leave the children out. Default 2000.
       */
      maxGroups?: number;
      /**
       * The most catalog entities the groups of a roll-up or export may own (tenants or not),
       * read in paginated queries of at most 12 owners each; more answers 400 the same way.
       * Default 20000.
       */
      maxEntities?: number;
      /**
       * Seconds a group's tree and what it owns, read with the plugin's own credentials, are
       * shared by every caller (reloaded in the background from half of it). Each caller is
       * shown only the part its catalog read decision (catalog.entity.read) lets it read, so a
       * caller's first roll-up of a large tree costs one policy decision, not a catalog walk. A
       * group or an entity added to the catalog shows in roll-ups after at most this long.
       * Default 60, at most 600; 0 reads the tree on every roll-up.
       */
      treeCacheSeconds?: number;
    };

    /** Days without invocations after which a tenant is reported idle. Default 7. */
    idleDays?: number;

    /**
     * Minutes after the last successful collection when a summary is marked stale. Default
     * (collector.fetchEveryHours + 1) x 60.
     */
    staleAfterMinutes?: number;

    /** How the routes ask the permission policy. */
    permissions?: {
      /**
       * Seconds a caller's conditional decision on a Bedrock permission is reused, in memory on
       * each instance, keyed by the caller's whole principal (user entity ref or service subject,
       * with any actor) and the permission: callers never share a decision. The decision (allow,
       * deny, or the catalog conditions with the caller's claims) is still applied to each entity
       * read with the caller's credentials. A policy or group-membership change shows after at
       * most this long. Default 10, at most 60; 0 asks the policy on every request.
       * For as long and per whole caller, the routes also reuse each entity the caller read
       * from the catalog (with the caller's credentials: an entity the catalog hides from the
       * caller stays a 404, whoever read it before), and the Group roll-up what the caller may
       * count of a group (the owned entities listed with the caller's credentials, the
       * permission and binding outcome): an edited entity, a new owned entity, an ownership or
       * binding change shows after at most this long; a collection shows at once.
       */
      decisionCacheSeconds?: number;
    };

    /** The refresh route. */
    refresh?: {
      /**
       * Seconds between two refreshes of one tenant (answers 429 before), counted across every
       * replica through the cache service (`backend.cache`: Redis or Valkey in production).
       * Default 60.
       */
      minIntervalSeconds?: number;
    };

    /** How the plugin uses Backstage's cache service (`backend.cache`: Redis in production). */
    cache?: {
      /**
       * Milliseconds a cache read or write may take before the plugin answers without it (a read
       * counts as a miss, a write is not waited for); after a failure the cache is left alone for 5
       * seconds, then tried again. The cache only speeds answers up: with it down they are
       * computed from the database. Default 250.
       */
      timeoutMs?: number;
    };

    /**
     * Tenant bindings the operator declares: for tenants the suite did not provision (whole-account
     * or identity attribution, or profiles made by hand). Applied at startup with source `config`;
     * a binding removed from this list is removed from the database at the next start. A tenant
     * serves data only to the entity its binding names, and only when that entity's annotations
     * agree with the binding. A profile id, a role ARN, or (account attribution) an account-region
     * can be held by one binding only.
     */
    tenants?: Array<{
      /** The tenant id, as in the entity's bedrock-tenancy.io/tenant-id annotation. */
      tenantId: string;
      /** The entity the tenant's data belongs to, e.g. `component:default/fraud-analyst`. */
      entityRef: string;
      /** The 12-digit AWS account. */
      accountId: string;
      /** AWS regions, e.g. `[us-east-1]`. */
      regions: string[];
      /** `account` (the whole account-region is this tenant's), `inference-profile` or `identity`. */
      attribution: 'account' | 'inference-profile' | 'identity';
      /** For `inference-profile`: application inference profile id -> base model id. */
      inferenceProfiles?: { [profileId: string]: string };
      /** For `identity`: the IAM role ARNs whose invocations are the tenant's. */
      principalArns?: string[];
      /**
       * Name prefix of the tenant's alarms: they are exactly `<alarmPrefix><kind>` (`tokens`,
       * `errors`, `invocations`, `latency`, `throttles`), never every alarm under the prefix.
       * Default `bedrock-<tenant id>-`.
       */
      alarmPrefix?: string;
      /** Name of the tenant's AWS Budget. Default `bedrock-<tenant id>`. */
      budgetName?: string;
      /**
       * Opt-in to budget enforcement (see `bedrock.enforcement`): suspend the tenant at 100% of its
       * budget. `basis`: `actual` (AWS Budgets' actual spend, default) or `estimate`; `autoResume`:
       * resume it when the next month starts (default false). Only a tenant with the suite's role
       * `bedrock-tenant-<tenant id>` can be suspended.
       */
      budgetEnforcement?: {
        action: 'suspend';
        basis?: 'actual' | 'estimate';
        autoResume?: boolean;
      };
    }>;

    /**
     * Where tenant bindings are read from AWS tags: the application inference profiles and tenant
     * roles tagged by the provisioning actions (`bedrock-tenancy:tenant`,
     * `bedrock-tenancy:entity-ref`, `bedrock-tenancy:managed-by`), read at startup and on the
     * schedule. Only resources named as the suite names the tenant's count (the role
     * `bedrock-tenant-<tenant id>`, the profile name the actions give its model). The tags only
     * create the binding of a tenant that has none, and only when they agree; they never change an
     * existing binding (entity, account, regions, profiles, budget-enforcement opt-in).
     */
    bindings?: {
      /** Accounts to read. Default `bedrock.provisioning.accounts`. */
      accounts?: string[];
      /** Regions to read. Default `bedrock.provisioning.regions`. */
      regions?: string[];
      /**
       * When the tags are read again (they are read once at startup regardless, before the first
       * collection). Default: every hour, first scheduled run 15 minutes after startup.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Entity refs of the Bedrock admins, e.g. `group:default/platform`: notified (topic
       * `bedrock-binding-conflict`) when the AWS tags of an unbound tenant disagree (two accounts,
       * two entities, a role and profiles that say different things). Such a tenant stays unbound
       * until its tags agree or an admin binds it. Empty (default): the conflict is only logged.
       */
      adminRecipients?: string[];
    };

    /**
     * Price rows of the operator: from its effectiveFrom, a row wins over every row of the AWS
     * price list and of the built-in table for the models it matches (use an exact model id to
     * override one model). Models without a price are reported as unpriced, never as $0.
     */
    prices?: Array<{
      /**
       * Base model id, or a prefix ending in `*`, e.g. `anthropic.claude-3-haiku-*`. Traffic
       * through a global cross-Region profile is priced only by rows starting with `global.`,
       * e.g. `global.anthropic.claude-sonnet-4-5-*`.
       */
      model: string;
      /** AWS region, or `*` (default) for every region. */
      region?: string;
      /**
       * The service tier the row prices: `standard` (default), `priority`, `flex` or `batch`.
       * Priority and Flex traffic (CloudWatch `<model-id>+priority`, `<model-id>+flex`) and
       * batch inference jobs (`<model-id>+batch`) are priced only by rows of their tier, and
       * are unpriced without one.
       */
      tier?: 'standard' | 'priority' | 'flex' | 'batch';
      /** USD per 1,000 input tokens. */
      inputPer1k: number;
      /** USD per 1,000 output tokens. */
      outputPer1k: number;
      /** USD per 1,000 prompt-cache read tokens. Default: the input price. */
      cacheReadPer1k?: number;
      /** USD per 1,000 prompt-cache write tokens, 5-minute TTL. Default: the input price. */
      cacheWritePer1k?: number;
      /** USD per 1,000 prompt-cache write tokens, 1-hour TTL. Default: the 5-minute write price. */
      cacheWrite1hPer1k?: number;
      /** YYYY-MM-DD: the row applies to usage on or after this day. Default 1970-01-01. */
      effectiveFrom?: string;
      /** Where the price comes from (shown for audit). */
      source?: string;
    }>;
    /**
     * The AWS Price List (`pricing:GetProducts`, service codes `AmazonBedrock` and
     * `AmazonBedrockFoundationModels`), read on a schedule into the database, dated by each
     * price's effective date. Precedence: a `bedrock.prices` row wins over the list, and the list
     * over the built-in table, which prices what the list lacks or while it cannot be read.
     */
    priceList?: {
      /** Read the list. Default true. */
      enabled?: boolean;
      /**
       * How often (a global task: one replica reads per run). Default every 24 hours, timeout
       * 10 minutes, first run a minute after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Where the API is called: `us-east-1` (default), `eu-central-1` or `ap-south-1`. */
      endpointRegion?: string;
      /** Regions whose prices are read. Default: every region. */
      regions?: string[];
      /**
       * The account whose credentials call the API (it needs `pricing:GetProducts`). Default:
       * the first of `bedrock.bindings.accounts` or `bedrock.provisioning.accounts`.
       */
      accountId?: string;
    };
  };
}
