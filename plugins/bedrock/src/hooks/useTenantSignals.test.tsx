import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { SIGNAL_DEBOUNCE_MS, useTenantSignals } from './useTenantSignals';

/** A signal API whose channels the test fires by hand. */
function fakeSignals() {
  const listeners = new Map<string, Set<(m: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      set.add(onMessage);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage) };
    },
  };
  const fire = (channel: string) =>
    listeners.get(channel)?.forEach(l => l({ type: 'bedrock-tenant-changed' }));
  const count = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  return { api, fire, count, channels: () => [...listeners.keys()] };
}

const withSignals =
  (api?: SignalApi) =>
  ({ children }: { children: ReactNode }) =>
    api ? (
      <TestApiProvider apis={[[signalApiRef, api]]}>{children}</TestApiProvider>
    ) : (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );

describe('useTenantSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('refetches once per burst of signals on the tenants’ channels, and is live', () => {
    const signals = fakeSignals();
    const { result, unmount } = renderHook(
      () =>
        useTenantSignals(['Component:default/A', 'component:default/b'], {
          pollSeconds: 60,
        }),
      { wrapper: withSignals(signals.api) },
    );
    expect(result.current).toEqual({ version: 0, live: true });
    expect(signals.channels().sort()).toEqual([
      'bedrock:tenant:component:default/a',
      'bedrock:tenant:component:default/b',
    ]);

    act(() => {
      signals.fire('bedrock:tenant:component:default/a');
      signals.fire('bedrock:tenant:component:default/b');
      jest.advanceTimersByTime(SIGNAL_DEBOUNCE_MS);
    });
    expect(result.current.version).toBe(1);

    // with signals on, no polling: a minute later nothing changed
    act(() => jest.advanceTimersByTime(120_000));
    expect(result.current.version).toBe(1);

    // a signal on another tenant's channel is ignored
    act(() => {
      signals.fire('bedrock:tenant:component:default/other');
      jest.advanceTimersByTime(SIGNAL_DEBOUNCE_MS);
    });
    expect(result.current.version).toBe(1);

    unmount();
    expect(signals.count()).toBe(0);
  });

  it('falls back to polling when signals are not installed', () => {
    const { result } = renderHook(
      () => useTenantSignals(['component:default/a'], { pollSeconds: 30 }),
      { wrapper: withSignals(undefined) },
    );
    expect(result.current).toEqual({ version: 0, live: false });
    act(() => jest.advanceTimersByTime(30_000));
    expect(result.current.version).toBe(1);
    act(() => jest.advanceTimersByTime(60_000));
    expect(result.current.version).toBe(3);
  });

  it('does not poll without signals when polling is off', () => {
    const { result } = renderHook(
      () => useTenantSignals(['component:default/a']),
      { wrapper: withSignals(undefined) },
    );
    act(() => jest.advanceTimersByTime(600_000));
    expect(result.current).toEqual({ version: 0, live: false });
  });
});
