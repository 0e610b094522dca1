import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { AlarmInfo } from '@bedrock-tenancy/plugin-bedrock-common';
import { AlarmsPanel } from './AlarmsPanel';

const alarm = (name: string, state: AlarmInfo['state']): AlarmInfo => ({
  name,
  state,
  reason: `${name} reason`,
  updatedAt: null,
  metricName: null,
  threshold: null,
  region: 'us-east-1',
  consoleUrl: `https://console.aws.amazon.com/cloudwatch/${name}`,
});

describe('AlarmsPanel', () => {
  it('lists alarms in ALARM first, each state in words', async () => {
    await renderInTestApp(
      <AlarmsPanel
        alarms={{
          status: 'ok',
          data: [
            alarm('a-ok', 'OK'),
            alarm('b-nodata', 'INSUFFICIENT_DATA'),
            alarm('c-alarm', 'ALARM'),
          ],
        }}
      />,
    );
    const rows = within(screen.getByRole('table', { name: 'Alarms' }))
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['In alarm', 'Insufficient data', 'OK']);
    expect(rows[0]).toHaveTextContent('c-alarm reason');
    expect(rows[0]).toHaveTextContent('–');
  });

  it('says when there are no alarms', async () => {
    await renderInTestApp(<AlarmsPanel alarms={{ status: 'ok', data: [] }} />);
    expect(
      screen.getByText('No alarms found for this tenant.'),
    ).toBeInTheDocument();
  });
});
