import { isAwsError } from '@bedrock-tenancy/plugin-bedrock-node';

export interface RetryOptions {
  attempts: number;
  delayMs: number;
}

/** Retries of calls that wait for IAM propagation: 6 attempts, 5 s apart. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 6, delayMs: 5000 };

/** One attempt: nothing to wait for. */
export const NO_RETRY: RetryOptions = { attempts: 1, delayMs: 0 };

/** Retries `fn` while it fails with one of the named AWS errors. */
export async function retryOn<T>(
  names: string[],
  options: RetryOptions,
  fn: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= options.attempts || !isAwsError(e, ...names)) throw e;
      await new Promise(r => setTimeout(r, options.delayMs));
    }
  }
}
