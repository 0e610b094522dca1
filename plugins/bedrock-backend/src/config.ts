import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_PRICES,
  PriceRow,
} from '@bedrock-tenancy/plugin-bedrock-common';
import { Duration } from 'luxon';
import { z } from 'zod';
import { CLOUDWATCH_HOURLY_RETENTION_DAYS } from './lib/time';

/** How much one status run may do; `bedrock.status.*` (config.d.ts documents each). */
export interface StatusBudget {
  /** fetches (one tenant's alarms, one tenant's budget, one account-region's logging) in flight */
  concurrency: number;
  /** milliseconds one account may take in one run; its remaining fetches wait for the next run */
  accountBudgetMs: number;
  /** milliseconds after which a run starts no more fetches (inside the task timeout) */
  runBudgetMs: number;
}

/** The plugin's settings, read once from `bedrock.*` with defaults applied. */
export interface BedrockBackendConfig {
  endpoint?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  collector: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    backfillDays: number;
    refetchHours: number;
    windowHours: number;
    retentionDays: number;
    concurrency: number;
    fetchEveryHours: number;
    shards: number;
    /** collect the accounts' whole usage too, for the spend no tenant owns (unattributed/) */
    accountUsage: boolean;
  };
  status: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    budget: StatusBudget;
  };
  costExplorer: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** the most GetCostAndUsage requests (USD 0.01 each) the suite sends a UTC day */
    maxRequestsPerDay: number;
  };
  /** estimate vs bill: when a tenant's monthly variance is told to the Bedrock admins */
  reconciliation: {
    notify: boolean;
    /** |variance| as a percentage of the bill at least this... */
    varianceThresholdPercent: number;
    /** ...and at least this many USD */
    minVarianceUsd: number;
    /** entity refs told; default bedrock.bindings.adminRecipients */
    adminRecipients: string[];
  };
  /**
   * the Group roll-up: whether it counts child groups unless a request says otherwise, and the
   * most groups and owned entities it reads (past them a roll-up is a 400)
   */
  rollup: {
    includeChildGroups: boolean;
    maxGroups: number;
    maxEntities: number;
    /** seconds a group tree read with the plugin's credentials is shared by every caller; 0 = never */
    treeCacheSeconds: number;
  };
  idleDays: number;
  staleAfterMinutes: number;
  refreshIntervalSeconds: number;
  /** Backstage's cache service as the plugin uses it: the longest a call waits for it */
  cache: { timeoutMs: number };
  /** seconds a caller's conditional policy decision is reused; 0 = never */
  decisionCacheSeconds: number;
  prices: PriceRow[];
  /** the AWS Price List reader (prices/PriceListSync) */
  priceList: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** where the Price List Query API is called: us-east-1, eu-central-1 or ap-south-1 */
    endpointRegion: string;
    /** regions whose prices are read; empty: every region */
    regions: string[];
    /** the account whose credentials call the API; default the first of bindings.accounts */
    accountId?: string;
  };
  /** where tenant bindings are read from AWS tags */
  bindings: {
    accounts: string[];
    regions: string[];
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
}

const priceRowSchema = z
  .object({
    model: z.string().min(1),
    region: z.string().min(1).default('*'),
    // Standard is written as no tier, the way the built-in rows are
    tier: z
      .enum(['standard', 'priority', 'flex', 'batch'])
      .optional()
      .transform(t => (t === 'standard' ? undefined : t)),
    inputPer1k: z.number().nonnegative(),
    outputPer1k: z.number().nonnegative(),
    cacheReadPer1k: z.number().nonnegative().optional(),
    cacheWritePer1k: z.number().nonnegative().optional(),
    cacheWrite1hPer1k: z.number().nonnegative().optional(),
    effectiveFrom: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .default('1970-01-01'),
    source: z.string().default('app-config bedrock.prices'),
  })
  .strict();

function schedule(
  config: Config | undefined,
  defaults: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  if (!config) return defaults;
  // keys the config leaves out (e.g. initialDelay) keep their defaults
  const set = Object.entries(
    readSchedulerServiceTaskScheduleDefinitionFromConfig(config),
  ).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) };
}

/** Milliseconds of a schedule's timeout (a HumanDuration or an ISO 8601 duration). */
export function timeoutMs(s: SchedulerServiceTaskScheduleDefinition): number {
  const ms = (
    typeof s.timeout === 'string'
      ? Duration.fromISO(s.timeout)
      : Duration.fromObject(s.timeout)
  ).toMillis();
  if (!(ms > 0))
    throw new InputError(
      `a schedule timeout must be a positive duration, got ${JSON.stringify(
        s.timeout,
      )}`,
    );
  return ms;
}

/**
 * Share of the status task's timeout a run spends starting fetches: the rest is left for the
 * fetches in flight (each bounded by aws.requestTimeoutMs) and for recording the run.
 */
export const STATUS_RUN_SHARE = 0.8;

const positive = (config: Config, key: string, fallback: number) => {
  const v = config.getOptionalNumber(key) ?? fallback;
  if (!(v > 0))
    throw new InputError(`bedrock.${key} must be a positive number, got ${v}`);
  return v;
};

/** Parses `bedrock.prices` rows; throws naming the bad row. */
export function readPriceRows(raw: unknown): PriceRow[] {
  const rows = z.array(priceRowSchema).safeParse(raw ?? []);
  if (!rows.success) {
    const issue = rows.error.issues[0];
    throw new InputError(
      `bedrock.prices[${issue.path.join('.')}]: ${issue.message}`,
    );
  }
  // an operator's row outranks the AWS price list and the built-in table (findPrice)
  return rows.data.map(r => ({ ...r, origin: 'config' as const }));
}

/** The regions that answer the AWS Price List Query API. */
const PRICE_LIST_ENDPOINTS = ['us-east-1', 'eu-central-1', 'ap-south-1'];

/** `bedrock.priceList`: read daily from us-east-1, every region, unless configured otherwise. */
function readPriceListSettings(c: Config): BedrockBackendConfig['priceList'] {
  const endpointRegion =
    c.getOptionalString('priceList.endpointRegion') ?? 'us-east-1';
  if (!PRICE_LIST_ENDPOINTS.includes(endpointRegion))
    throw new InputError(
      `bedrock.priceList.endpointRegion must be one of ${PRICE_LIST_ENDPOINTS.join(
        ', ',
      )}, got ${endpointRegion}`,
    );
  return {
    enabled: c.getOptionalBoolean('priceList.enabled') ?? true,
    schedule: schedule(c.getOptionalConfig('priceList.schedule'), {
      frequency: { hours: 24 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
    }),
    endpointRegion,
    regions: c.getOptionalStringArray('priceList.regions') ?? [],
    accountId:
      c.getOptionalString('priceList.accountId') ??
      c.getOptionalStringArray('bindings.accounts')?.[0] ??
      c.getOptionalStringArray('provisioning.accounts')?.[0],
  };
}

export function readBedrockConfig(root: Config): BedrockBackendConfig {
  const c = root.getOptionalConfig('bedrock') ?? new ConfigReader({});
  return readFrom(c);
}

function readFrom(c: Config): BedrockBackendConfig {
  const backfillDays = Math.min(
    positive(c, 'collector.backfillDays', 30),
    CLOUDWATCH_HOURLY_RETENTION_DAYS,
  );
  const fetchEveryHours = Math.min(
    Math.round(positive(c, 'collector.fetchEveryHours', 3)),
    24,
  );
  const statusSchedule = schedule(c.getOptionalConfig('status.schedule'), {
    frequency: { minutes: 5 },
    timeout: { minutes: 3 },
    initialDelay: { seconds: 3 },
  });
  return {
    endpoint: c.getOptionalString('aws.endpoint') || undefined,
    maxAttempts: positive(c, 'aws.maxAttempts', 3),
    requestTimeoutMs: positive(c, 'aws.requestTimeoutMs', 30_000),
    collector: {
      enabled: c.getOptionalBoolean('collector.enabled') ?? true,
      schedule: schedule(c.getOptionalConfig('collector.schedule'), {
        frequency: { minutes: 15 },
        timeout: { minutes: 10 },
        initialDelay: { seconds: 5 },
      }),
      backfillDays,
      refetchHours: c.getOptionalNumber('collector.refetchHours') ?? 3,
      windowHours: Math.min(positive(c, 'collector.windowHours', 24), 24 * 7),
      retentionDays: positive(c, 'collector.retentionDays', 90),
      concurrency: positive(c, 'collector.concurrency', 2),
      fetchEveryHours,
      shards: Math.min(Math.round(positive(c, 'collector.shards', 12)), 256),
      accountUsage: c.getOptionalBoolean('collector.accountUsage') ?? true,
    },
    status: {
      schedule: statusSchedule,
      budget: {
        concurrency: positive(c, 'status.concurrency', 4),
        accountBudgetMs: positive(c, 'status.accountTimeoutSeconds', 60) * 1000,
        runBudgetMs: timeoutMs(statusSchedule) * STATUS_RUN_SHARE,
      },
    },
    costExplorer: {
      enabled: c.getOptionalBoolean('costExplorer.enabled') ?? false,
      schedule: schedule(c.getOptionalConfig('costExplorer.schedule'), {
        frequency: { hours: 12 },
        timeout: { minutes: 5 },
        initialDelay: { minutes: 1 },
      }),
      maxRequestsPerDay: Math.floor(
        positive(c, 'costExplorer.maxRequestsPerDay', 100),
      ),
    },
    reconciliation: {
      notify: c.getOptionalBoolean('reconciliation.notify') ?? true,
      varianceThresholdPercent: positive(
        c,
        'reconciliation.varianceThresholdPercent',
        10,
      ),
      minVarianceUsd: Math.max(
        c.getOptionalNumber('reconciliation.minVarianceUsd') ?? 10,
        0,
      ),
      adminRecipients:
        c.getOptionalStringArray('reconciliation.adminRecipients') ??
        c.getOptionalStringArray('bindings.adminRecipients') ??
        [],
    },
    rollup: {
      includeChildGroups:
        c.getOptionalBoolean('rollup.includeChildGroups') ?? true,
      maxGroups: Math.floor(positive(c, 'rollup.maxGroups', 2000)),
      maxEntities: Math.floor(positive(c, 'rollup.maxEntities', 20_000)),
      treeCacheSeconds: Math.min(
        Math.max(c.getOptionalNumber('rollup.treeCacheSeconds') ?? 60, 0),
        600,
      ),
    },
    idleDays: positive(c, 'idleDays', 7),
    // a summary is stale once a fetch is an hour late
    staleAfterMinutes: positive(
      c,
      'staleAfterMinutes',
      (fetchEveryHours + 1) * 60,
    ),
    refreshIntervalSeconds: positive(c, 'refresh.minIntervalSeconds', 60),
    cache: { timeoutMs: positive(c, 'cache.timeoutMs', 250) },
    decisionCacheSeconds: Math.min(
      Math.max(
        c.getOptionalNumber('permissions.decisionCacheSeconds') ?? 10,
        0,
      ),
      60,
    ),
    prices: [...DEFAULT_PRICES, ...readPriceRows(c.getOptional('prices'))],
    priceList: readPriceListSettings(c),
    bindings: {
      // by default: where the scaffolder actions create tenants
      accounts:
        c.getOptionalStringArray('bindings.accounts') ??
        c.getOptionalStringArray('provisioning.accounts') ??
        [],
      regions:
        c.getOptionalStringArray('bindings.regions') ??
        c.getOptionalStringArray('provisioning.regions') ??
        [],
      // the plugin reads the tags once at startup itself; the schedule repeats it
      schedule: schedule(c.getOptionalConfig('bindings.schedule'), {
        frequency: { hours: 1 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 15 },
      }),
    },
  };
}
