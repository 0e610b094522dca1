import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { UnattributedReport } from '@bedrock-tenancy/plugin-bedrock-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { groupEntity } from '../../__fixtures__/entities';
import {
  BASE_URL,
  errorBody,
  renderForEntity,
} from '../../__testUtils__/testApp';
import { BedrockUnattributedCard } from './BedrockUnattributedCard';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(20_000);

const figures = (input: number, output: number, usd: number) => ({
  invocations: 1,
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  estimatedCostUsd: usd,
});

const REPORT: UnattributedReport = {
  range: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
  currency: 'USD',
  notes: ['costs at list prices'],
  accountRegions: [
    {
      accountId: '111111111111',
      region: 'us-east-1',
      collectedTo: '2026-11-30T23:00:00.000Z',
      lastError: null,
      account: figures(3_005_000, 1_000_000, 3.95),
      attributed: figures(1_000_000, 1_000_000, 3.45),
      unattributed: figures(2_005_000, 0, 0.5),
      overAttributedTokens: 100_000,
      unpricedModels: ['aiporphan'],
      partial: true,
      models: [],
    },
  ],
};

function serve(status: number, body: unknown) {
  const urls: Array<string | null> = [];
  server.use(
    rest.get(`${BASE_URL}/admin/unattributed`, (req, res, ctx) => {
      urls.push(req.url.searchParams.get('month'));
      return res(ctx.status(status), ctx.json(body as object));
    }),
  );
  return urls;
}

describe('BedrockUnattributedCard', () => {
  // a member: BedrockUnattributedCard.member.test.tsx (usePermission caches its answer per
  // permission for a whole file)
  it("shows an admin each account-region's usage, the tenants' part and the rest, partial marked", async () => {
    const urls = serve(200, REPORT);
    await renderForEntity(<BedrockUnattributedCard />, groupEntity);
    const row = await screen.findByTestId(
      'bedrock-unattributed-111111111111-us-east-1',
    );
    const cells = within(row).getAllByRole('cell');
    expect(cells[1]).toHaveTextContent('4M tokens$3.95+');
    expect(cells[2]).toHaveTextContent('2M tokens$3.45+');
    expect(cells[3]).toHaveTextContent('2M tokens$0.50+');
    expect(cells[0]).toHaveTextContent(
      'unpriced (cost is the priced part): aiporphan',
    );
    expect(cells[0]).toHaveTextContent(
      '100,000 tokens more than the account series',
    );
    expect(urls[0]).toMatch(/^\d{4}-\d{2}$/);
  });

  it('asks for another month when one is picked', async () => {
    const urls = serve(200, REPORT);
    await renderForEntity(<BedrockUnattributedCard />, groupEntity);
    await screen.findByTestId('bedrock-unattributed-111111111111-us-east-1');
    const select = screen.getByTestId(
      'bedrock-unattributed-month',
    ) as HTMLSelectElement;
    // named by its label, for screen readers (axe's select-name)
    expect(screen.getByLabelText('Month')).toBe(select);
    const second = select.options[1].value;
    fireEvent.change(select, { target: { value: second } });
    await waitFor(() => expect(urls).toContain(second));
  });

  it('shows an error in the card only', async () => {
    serve(500, errorBody('Error', 'database down', 500));
    await renderForEntity(<BedrockUnattributedCard />, groupEntity);
    expect(
      await screen.findByTestId('bedrock-unattributed-error'),
    ).toHaveTextContent('database down');
  });
});
