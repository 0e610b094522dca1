/**
 * The increases table on SQLite and PostgreSQL: what enforcement reads of it (the increase in
 * effect, else the latest ended since a day), steps only from the status they expect, and every
 * field read back as written.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import type { BudgetIncrease } from '@bedrock-tenancy/plugin-bedrock-common';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { BudgetIncreaseStore } from './BudgetIncreaseStore';

const increase = (
  id: number,
  tenantId: string,
  patch: Partial<BudgetIncrease> = {},
): BudgetIncrease => ({
  id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  tenantId,
  entityRef: `component:default/${tenantId}`,
  amountUsd: 12.34,
  endsOn: '2026-11-25',
  reason: 'launch',
  status: 'pending',
  requestedBy: 'user:default/alice',
  requestedAt: `2026-11-${String(10 + id).padStart(2, '0')}T10:00:00.000Z`,
  decidedBy: null,
  decidedAt: null,
  decisionNote: null,
  limitBeforeUsd: null,
  limitDuringUsd: null,
  endedAt: null,
  endNote: null,
  ...patch,
});

const ended = (at: string) => ({
  status: 'ended' as const,
  decidedBy: 'user:default/admin',
  decidedAt: '2026-11-01T00:00:00.000Z',
  decisionNote: 'ok',
  limitBeforeUsd: 100,
  limitDuringUsd: 112.34,
  endedAt: at,
  endNote: 'The limit is back to USD 100.00',
});

describe('BudgetIncreaseStore', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
  });

  async function store(id: any) {
    const knex = await databases.init(id);
    await DatabaseUsageStore.migrate(knex);
    return BudgetIncreaseStore.fromKnex(knex);
  }

  it.each(databases.eachSupportedId())(
    'reads back every field as written, to the cent, on %p',
    async id => {
      const s = await store(id);
      const full = increase(1, 'a', ended('2026-11-26T00:05:00.000Z'));
      await s.insert(full);
      expect(await s.get(full.id)).toEqual(full);
      const bare = increase(2, 'b');
      await s.insert(bare);
      expect(await s.get(bare.id)).toEqual(bare);
      expect(await s.get(increase(3, 'c').id)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'gives enforcement the increase in effect, else the latest one ended since the day asked, per tenant, on %p',
    async id => {
      const s = await store(id);
      // a: ended twice this month and one in effect; b: ended this month twice; c: ended last
      // month; d: pending and declined only
      await s.insert(increase(1, 'a', ended('2026-11-05T00:00:00.000Z')));
      await s.insert(increase(2, 'a', ended('2026-11-09T00:00:00.000Z')));
      await s.insert(increase(3, 'a', { status: 'approved' }));
      await s.insert(increase(4, 'b', ended('2026-11-20T00:00:00.000Z')));
      await s.insert(increase(5, 'b', ended('2026-11-12T00:00:00.000Z')));
      await s.insert(increase(6, 'c', ended('2026-10-30T00:00:00.000Z')));
      await s.insert(increase(7, 'd', { status: 'declined' }));
      await s.insert(increase(8, 'd'));
      const got = await s.latestApplied(
        ['a', 'b', 'c', 'd', 'e'],
        '2026-11-01T00:00:00.000Z',
      );
      expect(
        Object.fromEntries([...got].map(([t, i]) => [t, i.id.slice(-2)])),
      ).toEqual({ a: '03', b: '04' });
      expect(await s.latestApplied([], '2026-11-01T00:00:00.000Z')).toEqual(
        new Map(),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'reads enforcement facts of more tenants than one query may name, on %p',
    async id => {
      const s = await store(id);
      const ids = Array.from({ length: 900 }, (_, k) => `t${k}`);
      await s.insert(increase(1, 't0', { status: 'approved' }));
      await s.insert(increase(2, 't450', { status: 'approved' }));
      await s.insert(increase(3, 't899', { status: 'approved' }));
      const got = await s.latestApplied(ids, '2026-11-01T00:00:00.000Z');
      expect([...got.keys()].sort()).toEqual(['t0', 't450', 't899']);
    },
  );

  it.each(databases.eachSupportedId())(
    'lists a tenant newest first, up to the limit; steps only from the expected status; frees the tenant when one closes, on %p',
    async id => {
      const s = await store(id);
      await s.insert(increase(1, 'a', { status: 'declined' }));
      await s.insert(increase(2, 'a', { status: 'lapsed' }));
      const open = increase(3, 'a');
      await s.insert(open);
      await s.insert(increase(4, 'b'));
      expect((await s.list('a', 10)).map(i => i.id.slice(-2))).toEqual([
        '03',
        '02',
        '01',
      ]);
      expect((await s.list('a', 2)).map(i => i.id.slice(-2))).toEqual([
        '03',
        '02',
      ]);
      // one open per tenant
      await expect(s.insert(increase(5, 'a'))).rejects.toThrow(
        'already has a budget increase pending or in effect',
      );
      // a step from the wrong status, or of an unknown id, does nothing
      expect(
        await s.transition(open.id, 'approved', { status: 'ended' }),
      ).toBeUndefined();
      expect(
        await s.transition(increase(9, 'z').id, 'pending', {
          status: 'declined',
        }),
      ).toBeUndefined();
      expect((await s.get(open.id))!.status).toBe('pending');
      const declined = await s.transition(open.id, 'pending', {
        status: 'declined',
        decidedBy: 'user:default/admin',
      });
      expect(declined).toMatchObject({
        status: 'declined',
        decidedBy: 'user:default/admin',
        reason: 'launch',
      });
      expect(await s.get(open.id)).toEqual(declined);
      // closed: the tenant may ask again
      await s.insert(increase(6, 'a'));
      expect(
        (await s.due('2026-11-26')).map(i => [i.tenantId, i.status]).sort(),
      ).toEqual([
        ['a', 'pending'],
        ['b', 'pending'],
      ]);
      expect(await s.due('2026-11-25')).toEqual([]);
    },
  );
});
