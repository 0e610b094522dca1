import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { GuardrailInfo } from '@bedrock-tenancy/plugin-bedrock-common';
import { entitySummary } from '../../__fixtures__/summary';
import { GovernancePanel } from './GovernancePanel';

const fixture = (
  entitySummary.guardrails as { status: 'ok'; data: GuardrailInfo[] }
).data[0];

describe('GovernancePanel guardrails', () => {
  it("shows the guardrail's version and figures, and whose the per-policy figures are", async () => {
    await renderInTestApp(
      <GovernancePanel
        governance={entitySummary.governance}
        guardrails={entitySummary.guardrails}
      />,
    );
    const row = screen.getByTestId('guardrail-us-east-1');
    // the name on one line, its version under it
    expect(row).toHaveTextContent('bedrock-checkout-assistantversion 2');
    expect(row).toHaveTextContent('last 7 days to 2026-11-23 10:00 UTC');
    // 63 of 4,200 invocations intervened: 1.5%
    expect(row).toHaveTextContent('4,20063 (1.5%)9,100');
    expect(
      screen.getByTestId('guardrail-policies-us-east-1'),
    ).toHaveTextContent(
      'ContentPolicy 41, SensitiveInformationPolicy 22whole account and region',
    );
    // the logging part is unaffected
    expect(screen.getByTestId('governance-us-east-1')).toBeInTheDocument();
  });

  it('reads "not available" with the reason where CloudWatch has nothing for the guardrail', async () => {
    await renderInTestApp(
      <GovernancePanel
        governance={entitySummary.governance}
        guardrails={{
          status: 'ok',
          data: [
            {
              ...fixture,
              version: null,
              totals: null,
              byPolicy: null,
              notes: ['no figures for this guardrail'],
            },
          ],
        }}
      />,
    );
    const row = screen.getByTestId('guardrail-us-east-1');
    expect(row).toHaveTextContent('(draft only)');
    expect(row).toHaveTextContent(
      'not availablenot availablenot availablenot availableno figures for this guardrail',
    );
  });

  it('says when a tenant has no guardrail, and shows a guardrail failure on its own', async () => {
    const { unmount } = await renderInTestApp(
      <GovernancePanel
        governance={entitySummary.governance}
        guardrails={{ status: 'ok', data: [] }}
      />,
    );
    expect(screen.getByTestId('guardrails-none')).toHaveTextContent(
      'No guardrail for this tenant.',
    );
    unmount();
    await renderInTestApp(
      <GovernancePanel
        governance={entitySummary.governance}
        guardrails={{ status: 'error', message: 'AccessDenied' }}
      />,
    );
    expect(screen.getByTestId('section-error')).toHaveTextContent(
      'Guardrails could not be loaded: AccessDenied',
    );
    expect(screen.getByTestId('governance-us-east-1')).toBeInTheDocument();
  });
});
