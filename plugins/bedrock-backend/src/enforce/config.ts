import { Config } from '@backstage/config';

export interface EnforcementSettings {
  /** act on tenants that opted in; default true (a tenant that did not opt in is never touched) */
  enabled: boolean;
  /** decide and log, never change AWS; default false */
  dryRun: boolean;
}

/** Reads `bedrock.enforcement`. */
export function readEnforcementSettings(config: Config): EnforcementSettings {
  const c = config.getOptionalConfig('bedrock.enforcement');
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    dryRun: c?.getOptionalBoolean('dryRun') ?? false,
  };
}
