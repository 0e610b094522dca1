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
       * When the usage collector runs. Default: every 15 minutes, 10-minute timeout, first run
       * 5 seconds after startup (so a fresh portal has data within a minute).
       *
       * What it costs: CloudWatch bills GetMetricData per metric requested (USD 0.01 per 1,000),
       * whatever the time span. Each cycle requests 9 metrics per model series (6 sums, latency
       * average, maximum and p99), idle or not, so a schedule of F cycles a month costs
       * F x 9 x USD 0.00001 per model series: every 15 minutes (2,880 cycles) about USD 0.26 per
       * model series and USD 0.78 per month for a tenant with three models (measured by
       * scripts/bench-collector.ts); hourly, a quarter of that.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Days fetched for a tenant seen for the first time. Default 30, at most 455 (CloudWatch keeps hourly data 455 days). */
      backfillDays?: number;
      /** Hours before the watermark fetched again each run, to pick up late datapoints. Default 3. */
      refetchHours?: number;
      /**
       * Hours per GetMetricData time window. Default 24. Smaller windows are faster on some
       * CloudWatch emulators; at most 168.
       */
      windowHours?: number;
      /** Days of hourly usage kept in the database. Default 90. */
      retentionDays?: number;
      /** Accounts and regions collected in parallel. Default 2. */
      concurrency?: number;
    };

    /** The status collector: alarms, budgets and invocation-logging settings. */
    status?: {
      /** When alarms, budgets and logging settings are fetched. Default: every 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * Billed cost from AWS Cost Explorer, filtered on the tenant cost allocation tag. Off by
     * default: every Cost Explorer request costs USD 0.01, and the plugin makes one per tenant
     * per run, so keep the schedule slow.
     */
    costExplorer?: {
      /** Fetch billed cost. Default false. Each GetCostAndUsage call costs USD 0.01. */
      enabled?: boolean;
      /** When billed cost is fetched. Default: every 12 hours. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /** Days without invocations after which a tenant is reported idle. Default 7. */
    idleDays?: number;

    /** Minutes after the last successful collection when a summary is marked stale. Default 60. */
    staleAfterMinutes?: number;

    /** The refresh route. */
    refresh?: {
      /** Seconds between two refreshes of one entity (answers 429 before). Default 60. */
      minIntervalSeconds?: number;
    };

    /**
     * Price rows added after the built-in table; a row wins over built-in rows for the same
     * model, region and day. Models without a price are reported as unpriced, never as $0.
     */
    prices?: Array<{
      /** Base model id, or a prefix ending in `*`, e.g. `anthropic.claude-3-haiku-*`. */
      model: string;
      /** AWS region, or `*` (default) for every region. */
      region?: string;
      /** USD per 1,000 input tokens. */
      inputPer1k: number;
      /** USD per 1,000 output tokens. */
      outputPer1k: number;
      /** USD per 1,000 prompt-cache read tokens. Default: the input price. */
      cacheReadPer1k?: number;
      /** USD per 1,000 prompt-cache write tokens. Default: the input price. */
      cacheWritePer1k?: number;
      /** YYYY-MM-DD: the row applies to usage on or after this day. Default 1970-01-01. */
      effectiveFrom?: string;
      /** Where the price comes from (shown for audit). */
      source?: string;
    }>;
  };
}
