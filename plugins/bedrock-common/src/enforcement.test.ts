import {
  budgetEnforcementSchema,
  budgetEnforcementTag,
  parseBudgetEnforcementTag,
} from './enforcement';

describe('budget enforcement opt-in', () => {
  it.each([
    [
      { action: 'suspend', basis: 'actual', autoResume: false },
      'suspend actual',
    ],
    [
      { action: 'suspend', basis: 'estimate', autoResume: true },
      'suspend estimate auto-resume',
    ],
  ] as const)('round-trips %j through the role tag %j', (setting, tag) => {
    expect(budgetEnforcementTag(setting)).toBe(tag);
    expect(parseBudgetEnforcementTag(tag)).toEqual(setting);
  });

  it.each([undefined, '', 'suspend', 'suspend actual x', 'resume actual'])(
    'reads %j as no opt-in',
    value => expect(parseBudgetEnforcementTag(value)).toBeNull(),
  );

  it('defaults the basis to actual spend and auto-resume to off, and refuses other actions', () => {
    expect(budgetEnforcementSchema.parse({ action: 'suspend' })).toEqual({
      action: 'suspend',
      basis: 'actual',
      autoResume: false,
    });
    expect(
      budgetEnforcementSchema.safeParse({ action: 'delete' }).success,
    ).toBe(false);
  });
});
