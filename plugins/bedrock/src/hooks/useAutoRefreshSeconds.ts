import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** Default of `bedrock.frontend.autoRefreshSeconds`. */
export const DEFAULT_AUTO_REFRESH_SECONDS = 300;

/** The configured auto-refresh interval in seconds; 0 when turned off. */
export function useAutoRefreshSeconds(): number {
  const config = useApi(configApiRef);
  const value = config.getOptionalNumber('bedrock.frontend.autoRefreshSeconds');
  if (value === undefined) return DEFAULT_AUTO_REFRESH_SECONDS;
  return value > 0 ? value : 0;
}
