import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { AdvicePanel } from './AdvicePanel';

describe('AdvicePanel', () => {
  it('says when a tenant is idle and what to do', async () => {
    await renderInTestApp(
      <AdvicePanel
        idle={{
          idle: true,
          lastInvocationAt: '2026-10-01T12:00:00.000Z',
          thresholdDays: 14,
        }}
        suggestions={[
          {
            kind: 'suspend-idle',
            message: 'Suspend the tenant to stop its fixed costs.',
          },
        ]}
      />,
    );
    expect(screen.getByTestId('idle-status')).toHaveTextContent(
      'Idle: no invocation in the last 14 days · last invocation 2026-10-01 12:00 UTC',
    );
    expect(
      screen.getByText('Suspend the tenant to stop its fixed costs.'),
    ).toBeInTheDocument();
  });

  it('says when no invocation is recorded', async () => {
    await renderInTestApp(
      <AdvicePanel
        idle={{ idle: true, lastInvocationAt: null, thresholdDays: 14 }}
        suggestions={[]}
      />,
    );
    expect(screen.getByTestId('idle-status')).toHaveTextContent(
      'Idle: no invocation in the last 14 days · no invocation recorded',
    );
    expect(screen.getByText('No suggestions.')).toBeInTheDocument();
  });
});
