import {
  Budget as BudgetDefinition,
  BudgetsClient,
  CreateBudgetCommand,
  CreateBudgetCommandInput,
  CreateNotificationCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  Notification,
  NotFoundException,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import { BedrockStandIn, startBedrockStandIn } from './bedrockProfilesStandIn';
import { DEMO_ACCOUNTS, EMULATOR_CREDENTIALS } from './accounts';
import { MotoServer, startMoto } from './moto';

const ACCOUNT = DEMO_ACCOUNTS.platform;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:bedrock-checkout-budget`;

const AT_80: Notification = {
  NotificationType: 'ACTUAL',
  ComparisonOperator: 'GREATER_THAN',
  Threshold: 80,
  ThresholdType: 'PERCENTAGE',
};
const CHECKOUT: BudgetDefinition = {
  BudgetName: 'bedrock-checkout',
  BudgetLimit: { Amount: '500', Unit: 'USD' },
  TimeUnit: 'MONTHLY',
  BudgetType: 'COST',
  CostFilters: { TagKeyValue: ['user:bedrock-tenancy.io/tenant-id$checkout'] },
};
const FORECAST_100: Notification = {
  NotificationType: 'FORECASTED',
  ComparisonOperator: 'GREATER_THAN',
  Threshold: 100,
  ThresholdType: 'PERCENTAGE',
};

/** UpdateBudget of @aws-sdk/client-budgets, through its real serializers, against the stand-in. */
describe('budgets stand-in', () => {
  let moto: MotoServer;
  let standIn: BedrockStandIn;
  const client = (endpoint = standIn.endpoint) =>
    new BudgetsClient({
      region: 'us-east-1',
      endpoint,
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 1,
    });

  beforeAll(async () => {
    moto = await startMoto();
    standIn = await startBedrockStandIn({
      motoEndpoint: moto.endpoint,
      accountId: ACCOUNT,
    });
  }, 60_000);
  afterAll(async () => {
    await standIn?.stop();
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    standIn.reset();
  });

  const budget = (
    over: Partial<CreateBudgetCommandInput> = {},
  ): CreateBudgetCommandInput => ({
    AccountId: ACCOUNT,
    Budget: CHECKOUT,
    NotificationsWithSubscribers: [
      {
        Notification: AT_80,
        Subscribers: [{ SubscriptionType: 'SNS', Address: TOPIC }],
      },
      {
        Notification: FORECAST_100,
        Subscribers: [
          { SubscriptionType: 'EMAIL', Address: 'finops@example.com' },
        ],
      },
    ],
    ...over,
  });
  const key = { AccountId: ACCOUNT, BudgetName: 'bedrock-checkout' };

  it('updates the limit in moto and keeps filters, time unit, notifications and subscribers', async () => {
    await client().send(new CreateBudgetCommand(budget()));

    const updated = await client().send(
      new UpdateBudgetCommand({
        AccountId: ACCOUNT,
        // only the name and the new limit: the rest stays as it was
        NewBudget: {
          BudgetName: 'bedrock-checkout',
          BudgetLimit: { Amount: '750', Unit: 'USD' },
        } as BudgetDefinition,
      }),
    );
    expect(updated.$metadata.httpStatusCode).toBe(200);

    // read straight from moto too: the update is moto's own state
    for (const c of [client(), client(moto.endpoint)]) {
      const { Budget } = await c.send(new DescribeBudgetCommand(key));
      expect(Budget).toMatchObject({
        BudgetName: 'bedrock-checkout',
        BudgetLimit: { Amount: '750', Unit: 'USD' },
        TimeUnit: 'MONTHLY',
        BudgetType: 'COST',
        CostFilters: {
          TagKeyValue: ['user:bedrock-tenancy.io/tenant-id$checkout'],
        },
      });
      const { Notifications } = await c.send(
        new DescribeNotificationsForBudgetCommand(key),
      );
      expect(Notifications).toHaveLength(2);
      expect(Notifications).toEqual(
        expect.arrayContaining([
          expect.objectContaining(AT_80),
          expect.objectContaining(FORECAST_100),
        ]),
      );
    }
    const { Subscribers } = await client().send(
      new DescribeSubscribersForNotificationCommand({
        ...key,
        Notification: AT_80,
      }),
    );
    expect(Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: TOPIC }]);
    const email = await client().send(
      new DescribeSubscribersForNotificationCommand({
        ...key,
        Notification: FORECAST_100,
      }),
    );
    expect(email.Subscribers).toEqual([
      { SubscriptionType: 'EMAIL', Address: 'finops@example.com' },
    ]);
  });

  it('keeps a notification added later with CreateNotification', async () => {
    await client().send(
      new CreateBudgetCommand(budget({ NotificationsWithSubscribers: [] })),
    );
    await client().send(
      new CreateNotificationCommand({
        ...key,
        Notification: AT_80,
        Subscribers: [{ SubscriptionType: 'SNS', Address: TOPIC }],
      }),
    );
    await client().send(
      new UpdateBudgetCommand({
        AccountId: ACCOUNT,
        NewBudget: {
          ...CHECKOUT,
          BudgetLimit: { Amount: '900', Unit: 'USD' },
        },
      }),
    );
    const { Budget } = await client().send(new DescribeBudgetCommand(key));
    expect(Budget?.BudgetLimit?.Amount).toBe('900');
    const { Subscribers } = await client().send(
      new DescribeSubscribersForNotificationCommand({
        ...key,
        Notification: AT_80,
      }),
    );
    expect(Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: TOPIC }]);
  });

  it('updates the budget of the AccountId sent, not a same-named one of another account', async () => {
    await client().send(new CreateBudgetCommand(budget()));
    await client().send(
      new CreateBudgetCommand(budget({ AccountId: DEMO_ACCOUNTS.risk })),
    );
    await client().send(
      new UpdateBudgetCommand({
        AccountId: DEMO_ACCOUNTS.risk,
        NewBudget: {
          ...CHECKOUT,
          BudgetLimit: { Amount: '750', Unit: 'USD' },
        },
      }),
    );
    const risk = await client().send(
      new DescribeBudgetCommand({ ...key, AccountId: DEMO_ACCOUNTS.risk }),
    );
    expect(risk.Budget?.BudgetLimit?.Amount).toBe('750');
    const platform = await client().send(new DescribeBudgetCommand(key));
    expect(platform.Budget?.BudgetLimit?.Amount).toBe('500');
  });

  it('rejects the update of a budget that does not exist with NotFoundException', async () => {
    await client().send(new CreateBudgetCommand(budget()));
    const missing = client().send(
      new UpdateBudgetCommand({
        AccountId: ACCOUNT,
        NewBudget: {
          ...CHECKOUT,
          BudgetName: 'bedrock-nobody',
        },
      }),
    );
    await expect(missing).rejects.toBeInstanceOf(NotFoundException);
    await expect(missing).rejects.toMatchObject({
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    // the same name under another AccountId is another budget
    await expect(
      client().send(
        new UpdateBudgetCommand({
          AccountId: DEMO_ACCOUNTS.risk,
          NewBudget: CHECKOUT,
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
