export interface Config {
  bedrock?: {
    aws?: {
      /**
       * Endpoint override for every AWS client of the suite (an emulator such as moto).
       * Leave unset for real AWS. Shared with the bedrock backend plugin.
       */
      endpoint?: string;
    };
    /** Settings of the `bedrock:*` scaffolder actions (plugin-scaffolder-backend-module-bedrock). */
    provisioning?: {
      /**
       * AWS account ids (12 digits) the actions may provision in. Credentials come from the
       * `aws` section (@backstage/integration-aws-node), never from action inputs.
       */
      accounts?: string[];
      /** AWS regions the actions may provision in, e.g. `us-east-1`. */
      regions?: string[];
      /** The models tenants may get: one application inference profile per model. */
      models?: Array<{
        /** Base model id, e.g. `anthropic.claude-3-haiku-20240307-v1:0`. */
        id: string;
        /**
         * ARN the tenant's application inference profile copies from: a foundation model
         * (`arn:aws:bedrock:{region}::foundation-model/<id>`) or a system inference profile
         * (`arn:aws:bedrock:{region}:{accountId}:inference-profile/us.<id>`). `{region}` and
         * `{accountId}` are replaced with the tenant's.
         */
        copyFrom: string;
      }>;
      /** Default alarm thresholds; every one can be overridden per tenant. */
      thresholds?: {
        /** Input + output tokens per hour. Default 100000. */
        tokensPerHour?: number;
        /** Client + server errors per 5 minutes. Default 10. */
        errorsPer5Minutes?: number;
        /** Invocations per hour. Default 1000. */
        invocationsPerHour?: number;
        /** Average invocation latency in milliseconds (per 5 minutes, any model). Default 10000. */
        latencyMs?: number;
        /** Throttled invocations per 5 minutes. Default 0 (any throttle alarms). */
        throttlesPer5Minutes?: number;
      };
      /**
       * The principals allowed to assume a tenant's role (account ids, IAM role/user ARNs or
       * service principals such as `lambda.amazonaws.com`): all of them when the input names none,
       * and the allow-list an input picks from (a principal not listed is refused).
       */
      trustPrincipals?: string[];
      /** Default monthly budget in USD. Default 100. */
      monthlyBudgetUsd?: number;
      /**
       * Operator defaults of tenant guardrails (`guardrail` input of bedrock:tenant:create and
       * update). A template may raise filter strengths (NONE < LOW < MEDIUM < HIGH), add denied
       * topics and PII entities, raise ANONYMIZE to BLOCK, word the blocked messages and turn
       * enforcement on; anything weaker than these defaults is refused before any AWS call.
       * Unset: templates cannot ask for a guardrail.
       */
      guardrail?: {
        /** Every tenant gets a guardrail; a template cannot opt out. Default false. */
        required?: boolean;
        /**
         * The tenant role may invoke models only with its guardrail's published version (the
         * `bedrock:GuardrailIdentifier` condition key); a template cannot turn it off. Default false.
         */
        enforce?: boolean;
        /** Strength per content filter, for prompts (`input`) and answers (`output`); default NONE. */
        contentFilters?: {
          [filter in
            | 'hate'
            | 'insults'
            | 'sexual'
            | 'violence'
            | 'misconduct'
            | 'promptAttack']?: {
            input?: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
            /** always NONE for promptAttack (prompts only) */
            output?: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
          };
        };
        /** Topics the guardrail denies. */
        deniedTopics?: Array<{
          /** up to 100 letters, digits, spaces and _-!?. */
          name: string;
          /** up to 200 characters */
          definition: string;
          /** up to 5 example phrases */
          examples?: string[];
        }>;
        /** PII entity types (Bedrock's, e.g. EMAIL, PHONE, CREDIT_DEBIT_CARD_NUMBER) and what to do. */
        piiEntities?: Array<{ type: string; action: 'ANONYMIZE' | 'BLOCK' }>;
        /** What a caller gets for a blocked prompt (1-500 characters). */
        blockedInputMessage?: string;
        /** What a caller gets for a blocked answer (1-500 characters). */
        blockedOutputMessage?: string;
      };
      /**
       * Directory `bedrock:catalog:publish` writes tenant entity files (`<tenant id>.yaml`) to,
       * relative to the backend's working directory. Register the same directory in
       * `catalog.locations` as a `file` location with a glob (`<dir>/*.yaml`) so the catalog
       * reads them. Unset: the publish action refuses to run.
       */
      catalogDirectory?: string;
      /** Defaults of `bedrock:logging:ensure`. */
      logging?: {
        /** CloudWatch log group of the invocation logs. Default `/aws/bedrock/modelinvocations`. */
        logGroupName?: string;
        /** Log group retention in days (a value CloudWatch Logs accepts). Default 30. */
        retentionDays?: number;
        /** Key prefix of the log objects in the bucket. Default `bedrock-logs`. */
        keyPrefix?: string;
        /** Days before log objects move to `transitionStorageClass` (at least 30). Default 30. */
        transitionDays?: number;
        /** Storage class of the transition. Default `STANDARD_IA`. */
        transitionStorageClass?:
          | 'STANDARD_IA'
          | 'INTELLIGENT_TIERING'
          | 'GLACIER_IR'
          | 'GLACIER';
        /** Days before log objects expire. Default 365. */
        expirationDays?: number;
        /** KMS key ARN for the bucket's default encryption; SSE-S3 (AES256) when unset. */
        kmsKeyArn?: string;
        /**
         * Default of the `takeover` input: replace an invocation logging configuration this suite
         * did not create. Default false. `bedrock:logging:ensure` runs for Bedrock admins only.
         */
        allowTakeover?: boolean;
      };
    };
  };
}
