import { mockServices } from '@backstage/backend-test-utils';
import { BindingSync } from './BindingSync';
import { TagBindingReader } from './TagBindingReader';
import { BindingStore, TenantBinding } from './types';

const binding = { tenantId: 't1', entityRef: 'component:default/one' };

/** A store that records what was put, and a reader that fails its first `failures` reads. */
function setup(failures: number) {
  const put = jest.fn(async () => 'written' as const);
  const store = {
    get: async () => undefined,
    put,
  } as unknown as BindingStore;
  let reads = 0;
  const reader = {
    read: jest.fn(async () =>
      ++reads <= failures
        ? {
            bindings: [],
            errors: ['123456789012/us-east-1: a request timed out'],
          }
        : { bindings: [binding as unknown as TenantBinding], errors: [] },
    ),
  } as unknown as TagBindingReader;
  const sync = BindingSync.create({
    store,
    reader,
    logger: mockServices.logger.mock(),
    configured: [],
    accounts: ['123456789012'],
    regions: ['us-east-1'],
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
  });
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
  };
  return { sync, put, reader, slept, sleep };
}

describe('BindingSync.syncFromTags', () => {
  it('reads again after a failed read, until it succeeds, and binds what it then finds', async () => {
    const s = setup(2);
    expect(
      await s.sync.syncFromTags({
        retryDelaysMs: [10, 20, 40],
        sleep: s.sleep,
      }),
    ).toBe(1);
    expect(s.slept).toEqual([10, 20]);
    expect(s.reader.read).toHaveBeenCalledTimes(3);
    expect(s.put).toHaveBeenCalledTimes(1);
  });

  it('stops after the last delay, and reads once without delays', async () => {
    const s = setup(10);
    expect(
      await s.sync.syncFromTags({ retryDelaysMs: [10, 20], sleep: s.sleep }),
    ).toBe(0);
    expect(s.reader.read).toHaveBeenCalledTimes(3);
    const once = setup(10);
    expect(await once.sync.syncFromTags({ sleep: once.sleep })).toBe(0);
    expect(once.reader.read).toHaveBeenCalledTimes(1);
    expect(once.slept).toEqual([]);
  });

  it('does not read again when the read succeeded', async () => {
    const s = setup(0);
    await s.sync.syncFromTags({ retryDelaysMs: [10], sleep: s.sleep });
    expect(s.reader.read).toHaveBeenCalledTimes(1);
    expect(s.slept).toEqual([]);
  });
});
