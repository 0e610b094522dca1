import { validateRequestForm } from './requestForm';

const limits = { maxAmountUsd: 500, latestEndsOn: '2027-03-01' };
const today = '2026-12-07';

describe('validateRequestForm', () => {
  it('returns the request to post, reason trimmed, amount a number', () => {
    expect(
      validateRequestForm(
        { amountUsd: '500', endsOn: today, reason: ' Launch week ' },
        limits,
        today,
      ),
    ).toEqual({
      ok: true,
      request: { amountUsd: 500, endsOn: today, reason: 'Launch week' },
    });
  });

  it('names every wrong field', () => {
    expect(
      validateRequestForm(
        { amountUsd: '', endsOn: '2027-02-30', reason: '   ' },
        limits,
        today,
      ),
    ).toEqual({
      ok: false,
      errors: {
        amountUsd: 'Enter an amount in USD',
        endsOn: 'Enter a date (YYYY-MM-DD)',
        reason: 'Say why the tenant needs the increase',
      },
    });
    expect(
      validateRequestForm(
        { amountUsd: '10.005', endsOn: '2027-03-02', reason: 'x' },
        limits,
        today,
      ),
    ).toEqual({
      ok: false,
      errors: {
        amountUsd: 'Use whole cents (at most 2 decimals)',
        endsOn: 'The end date may be 2027-03-01 at the latest',
      },
    });
  });
});
