import { InputError } from '@backstage/errors';
import { resolveRange } from './range';

/** A fixed clock in the middle of an hour; every expected end below is written out by hand. */
const NOW = Date.parse('2026-11-20T12:30:00.000Z');

const resolved = (query: unknown, now = NOW) => {
  const r = resolveRange(query, now);
  return {
    from: new Date(r.from).toISOString(),
    to: new Date(r.to).toISOString(),
  };
};

describe('resolveRange', () => {
  it.each([
    // presets end with the current, partial hour: [.., 13:00)
    [{ range: '24h' }, '2026-11-19T13:00:00.000Z', '2026-11-20T13:00:00.000Z'],
    [{ range: '7d' }, '2026-11-13T13:00:00.000Z', '2026-11-20T13:00:00.000Z'],
    [{ range: '30d' }, '2026-10-21T13:00:00.000Z', '2026-11-20T13:00:00.000Z'],
    [{ range: 'mtd' }, '2026-11-01T00:00:00.000Z', '2026-11-20T13:00:00.000Z'],
    // no range at all means 30 days
    [{}, '2026-10-21T13:00:00.000Z', '2026-11-20T13:00:00.000Z'],
    // from/to: from rounds down, to rounds up, to whole hours
    [
      { from: '2026-11-02T10:15:00Z', to: '2026-11-05T06:01:00Z' },
      '2026-11-02T10:00:00.000Z',
      '2026-11-05T07:00:00.000Z',
    ],
    // ends already on an hour stay where they are
    [
      { from: '2026-11-02T10:00:00Z', to: '2026-11-05T06:00:00Z' },
      '2026-11-02T10:00:00.000Z',
      '2026-11-05T06:00:00.000Z',
    ],
    // offsets are honoured: 08:01+02:00 is 06:01Z
    [
      { from: '2026-11-02T12:59:59+02:00', to: '2026-11-05T08:01:00+02:00' },
      '2026-11-02T10:00:00.000Z',
      '2026-11-05T07:00:00.000Z',
    ],
    // from alone runs to the end of the current hour
    [
      { from: '2026-11-18T00:00:00Z' },
      '2026-11-18T00:00:00.000Z',
      '2026-11-20T13:00:00.000Z',
    ],
  ])('resolves %j to [%s, %s)', (query, from, to) => {
    expect(resolved(query)).toEqual({ from, to });
  });

  it('counts the hour that starts exactly now as the current hour', () => {
    const onTheHour = Date.parse('2026-11-20T12:00:00.000Z');
    expect(resolved({ range: '24h' }, onTheHour)).toEqual({
      from: '2026-11-19T13:00:00.000Z',
      to: '2026-11-20T13:00:00.000Z',
    });
    const lastMs = Date.parse('2026-11-20T12:59:59.999Z');
    expect(resolved({ range: '24h' }, lastMs)).toEqual({
      from: '2026-11-19T13:00:00.000Z',
      to: '2026-11-20T13:00:00.000Z',
    });
  });

  it('starts month to date on the first of the month in UTC, across a year end', () => {
    expect(
      resolved({ range: 'mtd' }, Date.parse('2027-01-01T00:10:00.000Z')),
    ).toEqual({
      from: '2027-01-01T00:00:00.000Z',
      to: '2027-01-01T01:00:00.000Z',
    });
    expect(
      resolved({ range: 'mtd' }, Date.parse('2026-12-31T23:59:00.000Z')),
    ).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
  });

  it('allows exactly 455 days and refuses one hour more', () => {
    expect(
      resolved({ from: '2025-08-20T00:00:00Z', to: '2026-11-18T00:00:00Z' }),
    ).toEqual({
      from: '2025-08-20T00:00:00.000Z',
      to: '2026-11-18T00:00:00.000Z',
    });
    expect(() =>
      resolveRange(
        { from: '2025-08-20T00:00:00Z', to: '2026-11-18T00:00:01Z' },
        NOW,
      ),
    ).toThrow('invalid range query: at most 455 days');
  });

  it.each([
    [
      { range: '1y' },
      /^invalid range query: range: .*use range=24h\|7d\|30d\|mtd/,
    ],
    [
      { range: '24h', from: '2026-11-01T00:00:00Z' },
      /^invalid range query: give either range or from\/to, not both/,
    ],
    [{ to: '2026-11-01T00:00:00Z' }, /^invalid range query: to needs from/],
    [{ from: 'yesterday' }, /^invalid range query: from: /],
    [
      { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      /^invalid range query: from must be before to/,
    ],
    [{ unknown: '1' }, /^invalid range query: .*unrecognized/i],
  ])(
    'refuses %j with an InputError that says what to send',
    (query, message) => {
      let error: unknown;
      try {
        resolveRange(query, NOW);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    },
  );
});
