/**
 * Temporary budget increases end to end, as the teams would try them: team-a's member asks for
 * alpha, team-b may neither see nor ask nor decide, only a Bedrock admin approves or declines, an
 * approval raises alpha's AWS Budget (moto behind the emulator's stand-in, real SDK calls), and
 * after the last day the limit goes back by itself unless someone set another one meanwhile.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  BudgetsClient,
  CreateBudgetCommand,
  DescribeBudgetCommand,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import {
  BedrockStandIn,
  MotoServer,
  startBedrockStandIn,
  startMoto,
} from '@bedrock-tenancy/demo';
import { AwsClientFactory } from '@bedrock-tenancy/plugin-bedrock-node';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import request from 'supertest';
import {
  ADMIN,
  ALICE,
  ALPHA_REF,
  asUser,
  BOB,
  COPY_REF,
  startActionsBackend,
} from '../__testUtils__/actionsFixture';
import { DatabaseBindingStore } from '../bindings/DatabaseBindingStore';
import { tenantOfBinding } from '../bindings/verify';
import { BudgetIncreaseService } from './BudgetIncreaseService';
import { BudgetIncreaseStore } from './BudgetIncreaseStore';

jest.setTimeout(180_000);

const ACCOUNT = '444455556661'; // alpha's
const DAY = 86_400_000;
const day = (offset: number) =>
  new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

describe('temporary budget increases', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  let budgets: BudgetsClient;
  let knex: Knex;
  let server: any;
  const send = jest.fn(async (_o: any) => {});
  const success = jest.fn(async (_o?: any) => {});
  const fail = jest.fn(async (_o: any) => {});
  const createEvent = jest.fn(async (_o: any) => ({ success, fail }));

  const aws = () => ({
    endpoint: standIn.endpoint,
    maxAttempts: 1,
    requestTimeoutMs: 60_000,
  });
  const limitInAws = async () =>
    Number(
      (
        await budgets.send(
          new DescribeBudgetCommand({
            AccountId: ACCOUNT,
            BudgetName: 'bedrock-alpha',
          }),
        )
      ).Budget?.BudgetLimit?.Amount,
    );

  beforeAll(async () => {
    moto = await startMoto();
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: ACCOUNT,
    });
    budgets = new BudgetsClient({
      endpoint: standIn.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret' },
    });
    await budgets.send(
      new CreateBudgetCommand({
        AccountId: ACCOUNT,
        Budget: {
          BudgetName: 'bedrock-alpha',
          BudgetLimit: { Amount: '10', Unit: 'USD' },
          TimeUnit: 'MONTHLY',
          BudgetType: 'COST',
          CostFilters: { TagKeyValue: ['user:bedrock-tenancy:tenant$alpha'] },
        },
      }),
    );
    knex = await databases.init('SQLITE_3');
    server = await startActionsBackend({
      knex,
      config: {
        bedrock: {
          aws: aws(),
          collector: { enabled: false },
          permissions: { decisionCacheSeconds: 0 },
          budgetIncreases: {
            maxAmountUsd: 500,
            maxDays: 30,
            adminRecipients: ['group:default/platform'],
          },
        },
      },
      features: [
        mockServices.auditor.mock({ createEvent }).factory,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send } as any),
        }),
      ],
    });
  });

  afterAll(async () => {
    await standIn?.stop();
    await moto?.stop();
  });
  beforeEach(() => jest.clearAllMocks());

  const path = (ref: string) =>
    `/api/bedrock/entity/${ref.replace(':', '/')}/budget-increases`;
  const list = (ref: string, user: string) =>
    request(server).get(path(ref)).set('Authorization', asUser(user));
  const ask = (ref: string, user: string, body: object) =>
    request(server)
      .post(path(ref))
      .set('Authorization', asUser(user))
      .send(body);
  const decide = (
    id: string,
    decision: 'approve' | 'decline',
    user: string,
    body: object = {},
  ) =>
    request(server)
      .post(`/api/bedrock/budget-increases/${id}/${decision}`)
      .set('Authorization', asUser(user))
      .send(body);
  const summaryLimit = async () =>
    (
      await request(server)
        .get(`/api/bedrock/entity/component/default/alpha/summary`)
        .set('Authorization', asUser(ALICE))
    ).body.budget.data.limitUsd;

  let firstId: string;

  it("keeps another team out: it neither sees alpha's requests nor asks for it", async () => {
    expect((await list(ALPHA_REF, BOB)).status).toBe(403);
    const res = await ask(ALPHA_REF, BOB, {
      amountUsd: 100,
      endsOn: day(3),
      reason: 'we want theirs',
    });
    expect(res.status).toBe(403);
    // its own entity copying alpha's annotations is not alpha
    const copy = await ask(COPY_REF, BOB, {
      amountUsd: 100,
      endsOn: day(3),
      reason: 'copied annotations',
    });
    expect(copy.status).toBe(409);
    // nor does it list alpha's requests through its copy
    const copied = await list(COPY_REF, BOB);
    expect(copied.status).toBe(409);
    expect(copied.body.error.name).toBe('UnverifiedTenantError');
    expect(JSON.stringify(copied.body)).not.toContain('amountUsd');
    expect(await BudgetIncreaseStore.fromKnex(knex).list('alpha', 10)).toEqual(
      [],
    );
    expect(send).not.toHaveBeenCalled();
  });

  it('tells the owners what they may do, and checks a request before recording it', async () => {
    const mine = await list(ALPHA_REF, ALICE);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      increases: [],
      canRequest: true,
      canDecide: false,
      limits: { maxAmountUsd: 500, latestEndsOn: day(30) },
    });
    for (const [body, message] of [
      [{ amountUsd: 0, endsOn: day(3), reason: 'x' }, 'amountUsd'],
      [{ amountUsd: 10.001, endsOn: day(3), reason: 'x' }, 'whole cents'],
      [{ amountUsd: 501, endsOn: day(3), reason: 'x' }, 'USD 500.00'],
      [{ amountUsd: 10, endsOn: day(-1), reason: 'x' }, 'has passed'],
      [{ amountUsd: 10, endsOn: day(31), reason: 'x' }, 'at most 30 days'],
      [{ amountUsd: 10, endsOn: '2026-02-30', reason: 'x' }, 'calendar date'],
      [{ amountUsd: 10, endsOn: day(3), reason: ' ' }, 'say why'],
      [{ amountUsd: 10, endsOn: day(3), reason: 'x', extra: 1 }, 'extra'],
    ] as const) {
      const res = await ask(ALPHA_REF, ALICE, body);
      expect({ status: res.status, message: res.body.error.message }).toEqual({
        status: 400,
        message: expect.stringContaining(message),
      });
    }
    expect(await BudgetIncreaseStore.fromKnex(knex).list('alpha', 10)).toEqual(
      [],
    );
  });

  it('records a member’s request, one at a time, and tells the admins', async () => {
    const res = await ask(ALPHA_REF, ALICE, {
      amountUsd: 25.5,
      endsOn: day(2),
      reason: 'launch week load test',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      tenantId: 'alpha',
      entityRef: ALPHA_REF,
      amountUsd: 25.5,
      status: 'pending',
      requestedBy: ALICE,
    });
    firstId = res.body.id;
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/platform'] },
      payload: {
        title: `${ALPHA_REF}: budget increase requested`,
        description: expect.stringContaining('USD 25.50 more'),
        link: '/catalog/default/component/alpha/bedrock',
      },
    });
    expect(createEvent.mock.calls[0][0]).toMatchObject({
      eventId: 'budget-increase',
      meta: { step: 'request', actor: ALICE, tenantId: 'alpha' },
    });
    // the person's own token carried it: the auditor names the person, not a plugin
    expect(createEvent.mock.calls[0][0].request.headers.authorization).toBe(
      asUser(ALICE),
    );
    const again = await ask(ALPHA_REF, ALICE, {
      amountUsd: 10,
      endsOn: day(2),
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already has a budget increase');
    expect(await limitInAws()).toBe(10); // nothing changes before an admin decides
  });

  it('lets neither the requester nor another team decide', async () => {
    for (const user of [ALICE, BOB]) {
      const res = await decide(firstId, 'approve', user);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('bedrock.binding.manage');
      expect((await decide(firstId, 'decline', user)).status).toBe(403);
    }
    expect((await list(ALPHA_REF, ALICE)).body.increases[0].status).toBe(
      'pending',
    );
  });

  it("raises alpha's AWS Budget on an admin's approval, once, and shows it at once", async () => {
    expect((await list(ALPHA_REF, ADMIN)).body.canDecide).toBe(true);
    const res = await decide(firstId, 'approve', ADMIN, { note: 'ok' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'approved',
      decidedBy: ADMIN,
      decisionNote: 'ok',
      limitBeforeUsd: 10,
      limitDuringUsd: 35.5,
    });
    expect(await limitInAws()).toBe(35.5);
    // the tenant was collected again: the tab's budget is the raised one
    expect(await summaryLimit()).toBe(35.5);
    // the owners and the requester are told
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: [ALPHA_REF, ALICE] },
        payload: expect.objectContaining({
          title: `${ALPHA_REF}: budget increase approved`,
        }),
      }),
    );
    const twice = await decide(firstId, 'approve', ADMIN);
    expect(twice.status).toBe(409);
    expect((await decide(firstId, 'decline', ADMIN)).status).toBe(409);
    expect(await limitInAws()).toBe(35.5);
  });

  /** The sweep as the scheduled task runs it, on a day after the increase's last day. */
  const sweepOn = (offsetDays: number) => {
    const config = new ConfigReader({
      aws: {
        accounts: [
          {
            accountId: ACCOUNT,
            accessKeyId: 'AKIATEST',
            secretAccessKey: 'test-secret',
          },
        ],
      },
    });
    const bindings = DatabaseBindingStore.fromKnex(knex);
    const refreshed: string[] = [];
    const service = BudgetIncreaseService.create({
      store: BudgetIncreaseStore.fromKnex(knex),
      clients: AwsClientFactory.fromConfig(config, aws()),
      settings: { maxAmountUsd: 500, maxDays: 30, adminRecipients: [] },
      tenantOf: async id => {
        const b = await bindings.get(id);
        return b ? tenantOfBinding(b) : undefined;
      },
      refresh: async t => {
        refreshed.push(t.tenantId);
      },
      logger: mockServices.logger.mock(),
      now: () => Date.now() + offsetDays * DAY,
    });
    return { refreshed, run: () => service.sweep() };
  };

  it('leaves an increase alone until its last day has passed, then puts the limit back', async () => {
    expect(await sweepOn(2).run()).toEqual([]); // the last day itself: still in effect
    expect(await limitInAws()).toBe(35.5);
    const sweep = sweepOn(3);
    const ended = await sweep.run();
    expect(ended).toEqual([
      expect.objectContaining({
        id: firstId,
        status: 'ended',
        endNote: 'The limit is back to USD 10.00 (from USD 35.50)',
      }),
    ]);
    expect(await limitInAws()).toBe(10);
    expect(sweep.refreshed).toEqual(['alpha']);
    expect(await sweepOn(3).run()).toEqual([]); // once
    expect(await limitInAws()).toBe(10);
  });

  it('keeps a limit someone set while the increase applied', async () => {
    const res = await ask(ALPHA_REF, ALICE, {
      amountUsd: 5,
      endsOn: day(1),
      reason: 'one more day',
    });
    expect(res.status).toBe(201);
    expect((await decide(res.body.id, 'approve', ADMIN)).status).toBe(200);
    expect(await limitInAws()).toBe(15);
    // the owners' template update sets 40 meanwhile
    await budgets.send(
      new UpdateBudgetCommand({
        AccountId: ACCOUNT,
        NewBudget: {
          BudgetName: 'bedrock-alpha',
          BudgetLimit: { Amount: '40', Unit: 'USD' },
          TimeUnit: 'MONTHLY',
          BudgetType: 'COST',
        },
      }),
    );
    const [ended] = await sweepOn(2).run();
    expect(ended.endNote).toBe(
      'The limit was set to USD 40.00 by someone else while the increase applied: it stands',
    );
    expect(await limitInAws()).toBe(40);
  });

  it('records a decline with its note and changes nothing; a request nobody decided lapses', async () => {
    const asked = await ask(ALPHA_REF, ALICE, {
      amountUsd: 50,
      endsOn: day(1),
      reason: 'more',
    });
    const res = await decide(asked.body.id, 'decline', ADMIN, {
      note: 'not this month',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'declined',
      decidedBy: ADMIN,
      decisionNote: 'not this month',
    });
    expect(await limitInAws()).toBe(40);
    const late = await ask(ALPHA_REF, ALICE, {
      amountUsd: 50,
      endsOn: day(0),
      reason: 'today only',
    });
    expect(late.status).toBe(201);
    const [lapsed] = await sweepOn(1).run();
    expect(lapsed).toMatchObject({ id: late.body.id, status: 'lapsed' });
    expect((await decide(late.body.id, 'approve', ADMIN)).status).toBe(409);
    expect(await limitInAws()).toBe(40);
    // the whole history, newest first, for everyone who reads alpha
    const history = (await list(ALPHA_REF, ALICE)).body.increases;
    expect(history.map((i: any) => i.status)).toEqual([
      'lapsed',
      'declined',
      'ended',
      'ended',
    ]);
  });

  describe('through the request-budget-increase action (MCP)', () => {
    const invoke = (user: string, input: object) =>
      request(server)
        .post(
          '/api/bedrock/.backstage/actions/v1/actions/bedrock:request-budget-increase/invoke',
        )
        .set('Authorization', asUser(user))
        .send(input);
    const input = {
      entityRef: ALPHA_REF,
      amountUsd: 60,
      endsOn: day(5),
      reason: 'asked by an assistant',
    };

    it('previews for the owners by default, recording nothing; another team is refused', async () => {
      const preview = await invoke(ALICE, input);
      expect(preview.status).toBe(200);
      expect(preview.body.output).toEqual({
        dryRun: true,
        tenantId: 'alpha',
        entityRef: ALPHA_REF,
        amountUsd: 60,
        endsOn: day(5),
        limitNowUsd: 40,
        limitDuringUsd: 100,
        increaseId: null,
        status: 'preview',
      });
      expect(createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'budget-increase',
          meta: expect.objectContaining({
            step: 'request-preview',
            actor: ALICE,
          }),
        }),
      );
      expect((await invoke(BOB, input)).status).toBe(403);
      expect((await invoke(BOB, { ...input, dryRun: false })).status).toBe(403);
      expect(
        (await invoke(ALICE, { ...input, endsOn: day(40) })).body.error.message,
      ).toContain('at most 30 days');
      expect(
        (await list(ALPHA_REF, ALICE)).body.increases.filter(
          (i: any) => i.status === 'pending',
        ),
      ).toEqual([]);
    });

    it('records the request with dryRun false, for the person, and only an admin approves it', async () => {
      const res = await invoke(ALICE, { ...input, dryRun: false });
      expect(res.status).toBe(200);
      expect(res.body.output).toMatchObject({
        status: 'pending',
        limitDuringUsd: 100,
      });
      const id = res.body.output.increaseId;
      const [latest] = (await list(ALPHA_REF, ADMIN)).body.increases;
      expect(latest).toMatchObject({
        id,
        status: 'pending',
        requestedBy: ALICE,
      });
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: `${ALPHA_REF}: budget increase requested`,
          }),
        }),
      );
      expect((await decide(id, 'decline', ALICE)).status).toBe(403);
      expect((await decide(id, 'decline', ADMIN)).status).toBe(200);
    });
  });
});
