import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { tenantChannel } from '@bedrock-tenancy/plugin-bedrock-common';
import { useEffect, useState } from 'react';
import { useInterval } from './useInterval';

/** Signals of one collection cycle arrive together: refetch once for them. */
export const SIGNAL_DEBOUNCE_MS = 500;

/**
 * A number that changes whenever one of the tenants changed on the backend: use it as a
 * dependency of the fetch. With signals installed, the backend says "tenant X changed" after
 * each collection (no figures: the refetch goes through the permission-checked API); without
 * them, the number changes every `pollSeconds` instead (0: never).
 *
 * Several channels, so the hook talks to the signal API directly rather than through
 * `useSignal`, which follows one channel.
 */
export function useTenantSignals(
  entityRefs: string[],
  options: { pollSeconds?: number } = {},
): { version: number; live: boolean } {
  const signals = useApiHolder().get(signalApiRef);
  const [version, setVersion] = useState(0);
  const channels = [...new Set(entityRefs.map(tenantChannel))].sort();
  const key = channels.join(' ');

  useEffect(() => {
    if (!signals || !channels.length) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setVersion(v => v + 1);
      }, SIGNAL_DEBOUNCE_MS);
    };
    const subscriptions = channels.map(c => signals.subscribe(c, bump));
    return () => {
      if (timer) clearTimeout(timer);
      subscriptions.forEach(s => s.unsubscribe());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signals, key]);

  useInterval(
    () => setVersion(v => v + 1),
    signals ? 0 : options.pollSeconds ?? 0,
  );
  return { version, live: Boolean(signals) };
}
