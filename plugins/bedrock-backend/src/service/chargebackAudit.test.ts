/**
 * Each chargeback download is an audit event: who (the request's caller, not the plugin), which
 * group, month and format; a refused or failed one is recorded as failed.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ALICE,
  asUser,
  startActionsBackend,
} from '../__testUtils__/actionsFixture';

jest.setTimeout(60_000);

describe('chargeback download audit', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const success = jest.fn(async (_o?: any) => {});
  const fail = jest.fn(async (_o: any) => {});
  const createEvent = jest.fn(async (_o: any) => ({ success, fail }));
  let server: any;

  beforeAll(async () => {
    server = await startActionsBackend({
      knex: await databases.init('SQLITE_3'),
      features: [mockServices.auditor.mock({ createEvent }).factory],
    });
  });
  beforeEach(() => jest.clearAllMocks());

  it('records the person, the group, the month and the format', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const res = await request(server)
      .get(`/api/bedrock/group/default/team-a/chargeback`)
      .query({ month, format: 'csv', includeChildren: 'false' })
      .set('Authorization', asUser(ALICE));
    expect(res.status).toBe(200);
    expect(createEvent).toHaveBeenCalledTimes(1);
    const event = createEvent.mock.calls[0][0];
    expect(event).toMatchObject({
      eventId: 'chargeback-export',
      severityLevel: 'medium',
      meta: {
        groupRef: 'group:default/team-a',
        month,
        format: 'csv',
        includeChildren: false,
      },
    });
    // the auditor takes the actor from the request: the person's own token
    expect(event.request.headers.authorization).toBe(asUser(ALICE));
    expect(success).toHaveBeenCalledWith({
      meta: { tenants: 1, unreadableTenants: 0 },
    });
  });

  it('records a download that fails as failed', async () => {
    const res = await request(server)
      .get(`/api/bedrock/group/default/team-a/chargeback`)
      .query({ month: '2999-01' })
      .set('Authorization', asUser(ALICE));
    expect(res.status).toBe(400);
    expect(createEvent).toHaveBeenCalledTimes(1);
    expect(fail).toHaveBeenCalledTimes(1);
    expect(success).not.toHaveBeenCalled();
  });
});
