import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { EnforcementInfo } from '@bedrock-tenancy/plugin-bedrock-common';
import { EnforcementBanner } from './EnforcementBanner';

const base: EnforcementInfo = {
  tenantId: 'docs-summarizer',
  entityRef: 'component:default/docs-summarizer',
  setting: { action: 'suspend', basis: 'actual', autoResume: true },
  period: '2026-11',
  usedFraction: 0.86,
  spendUsd: 86,
  limitUsd: 100,
  suspended: false,
  suspendedBy: null,
  suspendedFor: null,
  suspendedOn: null,
  resumableBy: null,
  resumesOn: null,
  decision: 'none',
  reason: '86% of USD 100.00 used',
  checkedAt: '2026-11-20T12:00:00.000Z',
};

describe('EnforcementBanner', () => {
  it('says when a tenant is suspended because its budget was reached, and who can resume it', async () => {
    await renderInTestApp(
      <EnforcementBanner
        enforcement={{
          ...base,
          suspended: true,
          suspendedBy: 'budget:2026-11',
          suspendedFor: 'budget',
          suspendedOn: '2026-11-20',
          resumableBy: "the tenant's owners or a Bedrock admin",
          resumesOn: '2026-12-01',
        }}
      />,
    );
    const banner = screen.getByTestId('enforcement-banner');
    expect(banner).toHaveTextContent('Suspended: budget reached on 2026-11-20');
    expect(banner).toHaveTextContent(
      "Who can resume it: the tenant's owners or a Bedrock admin",
    );
    expect(banner).toHaveTextContent('resumes automatically on 2026-12-01');
  });

  it('says a hand suspension is never resumed by enforcement', async () => {
    await renderInTestApp(
      <EnforcementBanner
        enforcement={{
          ...base,
          suspended: true,
          suspendedBy: 'user:default/jane',
          suspendedFor: 'person',
          resumableBy: 'owners',
        }}
      />,
    );
    expect(screen.getByTestId('enforcement-banner')).toHaveTextContent(
      'Suspended by user:default/jane: budget enforcement never resumes it',
    );
  });

  it('shows how far an opted-in tenant is from 100%, and nothing without an opt-in', async () => {
    const { rerender } = await renderInTestApp(
      <EnforcementBanner enforcement={base} />,
    );
    expect(screen.getByTestId('enforcement-banner')).toHaveTextContent(
      'Now 86.0% of $100.00',
    );
    rerender(<EnforcementBanner enforcement={null} />);
    expect(screen.queryByTestId('enforcement-banner')).not.toBeInTheDocument();
  });
});
