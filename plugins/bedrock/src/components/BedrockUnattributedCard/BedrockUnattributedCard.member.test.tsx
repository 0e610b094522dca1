/** A member's view, in a file of its own: usePermission caches its answer for a whole file. */
import { screen } from '@testing-library/react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { groupEntity } from '../../__fixtures__/entities';
import { BASE_URL, renderForEntity } from '../../__testUtils__/testApp';
import { BedrockUnattributedCard } from './BedrockUnattributedCard';

const server = setupServer();
registerMswTestHooks(server);

describe('BedrockUnattributedCard for a member', () => {
  it('renders nothing without bedrock.binding.manage, and never asks the backend', async () => {
    const asked: string[] = [];
    server.use(
      rest.get(`${BASE_URL}/admin/unattributed`, (req, res, ctx) => {
        asked.push(req.url.toString());
        return res(ctx.status(403), ctx.json({}));
      }),
    );
    await renderForEntity(<BedrockUnattributedCard />, groupEntity, {
      permission: 'DENY',
    });
    await new Promise(r => setTimeout(r, 100));
    expect(screen.queryByTestId('bedrock-unattributed')).toBeNull();
    expect(asked).toEqual([]);
  });
});
