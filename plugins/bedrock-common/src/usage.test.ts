import {
  addCounters,
  emptyCounters,
  ERROR_COUNTERS,
  errorRate,
  hasTraffic,
  LatencyMean,
  maxLatency,
  USAGE_COUNTERS,
} from './usage';

describe('usage arithmetic', () => {
  it('adds every counter, or only the fields given', () => {
    const all = emptyCounters();
    addCounters(all, { invocations: 2, cacheWriteTokens: 7, throttles: 1 });
    addCounters(all, { invocations: 3, inputTokens: undefined });
    expect(all).toEqual({
      ...emptyCounters(),
      invocations: 5,
      cacheWriteTokens: 7,
      throttles: 1,
    });

    const errors = { clientErrors: 0, serverErrors: 0, throttles: 0 };
    addCounters(errors, { ...all, clientErrors: 4 }, ERROR_COUNTERS);
    expect(errors).toEqual({ clientErrors: 4, serverErrors: 0, throttles: 1 });
    expect(Object.keys(errors)).not.toContain('invocations');
  });

  it('lists each counter once, in the order the store and the API use', () => {
    expect(Object.keys(emptyCounters())).toEqual([...USAGE_COUNTERS]);
  });

  it('counts cache tokens as traffic (they are billed), errors alone as none', () => {
    expect(hasTraffic({})).toBe(false);
    expect(hasTraffic({ ...emptyCounters(), clientErrors: 3 })).toBe(false);
    expect(hasTraffic({ cacheReadTokens: 1 })).toBe(true);
    expect(hasTraffic({ cacheWriteTokens: 1 })).toBe(true);
    expect(hasTraffic({ invocations: 1 })).toBe(true);
    expect(hasTraffic({ outputTokens: 1 })).toBe(true);
  });

  it('merges latency averages weighted by invocations, an hour of errors weighing 1', () => {
    const m = new LatencyMean();
    expect(m.value).toBeNull();
    m.add(100, 3); // 300
    m.add(null, 50); // no latency: ignored
    m.add(400, 1); // 400
    m.add(1000, 0); // weight 1: 1000
    expect(m.value).toBe((300 + 400 + 1000) / 5);
  });

  it('keeps the larger latency maximum, either side may be missing', () => {
    expect(maxLatency(null, undefined)).toBeNull();
    expect(maxLatency(null, 5)).toBe(5);
    expect(maxLatency(7, null)).toBe(7);
    expect(maxLatency(7, 9)).toBe(9);
  });

  it('computes the error rate over invocations plus errors', () => {
    expect(
      errorRate({ invocations: 0, clientErrors: 0, serverErrors: 0 }),
    ).toBeNull();
    expect(
      errorRate({ invocations: 6, clientErrors: 1, serverErrors: 1 }),
    ).toBe(0.25);
  });
});
