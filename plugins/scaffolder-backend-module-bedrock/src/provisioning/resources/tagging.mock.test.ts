/**
 * Tags moto does not keep (budget ResourceTags, dashboard TagResource), checked on the calls the
 * real SDK clients send, with aws-sdk-client-mock.
 */
import { BudgetsClient, CreateBudgetCommand } from '@aws-sdk/client-budgets';
import {
  CloudWatchClient,
  PutDashboardCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { ChangeLog } from '../changes';
import { convergeBudget } from './budget';
import { convergeDashboard, dashboardArn } from './dashboard';

const cloudwatch = mockClient(CloudWatchClient);
const budgets = mockClient(BudgetsClient);
const TAGS = {
  'bedrock-tenancy:tenant': 'shop-bot',
  'bedrock-tenancy:managed-by': 'backstage-bedrock-tenancy',
};
const aws = {
  accountId: '123456789012',
  cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
  budgets: new BudgetsClient({ region: 'us-east-1' }),
};
const body = { widgets: [] };

beforeEach(() => {
  cloudwatch.reset();
  budgets.reset();
});
afterAll(() => {
  cloudwatch.restore();
  budgets.restore();
});

describe('tags moto does not keep', () => {
  it('tags the dashboard it puts, by its account-wide ARN', async () => {
    cloudwatch.on(PutDashboardCommand).resolves({});
    cloudwatch.on(TagResourceCommand).resolves({});
    const log = new ChangeLog();
    await convergeDashboard(
      aws,
      { name: 'bedrock-shop-bot', body },
      TAGS,
      undefined,
      log,
    );
    expect(
      cloudwatch.commandCalls(TagResourceCommand)[0].args[0].input,
    ).toEqual({
      ResourceARN:
        'arn:aws:cloudwatch::123456789012:dashboard/bedrock-shop-bot',
      Tags: [
        { Key: 'bedrock-tenancy:tenant', Value: 'shop-bot' },
        {
          Key: 'bedrock-tenancy:managed-by',
          Value: 'backstage-bedrock-tenancy',
        },
      ],
    });
    expect(dashboardArn('1', 'd')).toBe('arn:aws:cloudwatch::1:dashboard/d');
    expect(log.changes).toEqual(['Put dashboard bedrock-shop-bot']);
  });

  it('leaves an unchanged dashboard alone, and survives an endpoint that cannot tag dashboards', async () => {
    await convergeDashboard(
      aws,
      { name: 'bedrock-shop-bot', body },
      TAGS,
      { body: JSON.stringify(body) },
      new ChangeLog(),
    );
    expect(cloudwatch.calls()).toHaveLength(0);

    cloudwatch.on(PutDashboardCommand).resolves({});
    cloudwatch
      .on(TagResourceCommand)
      .rejects(
        Object.assign(new Error('nope'), { name: 'ResourceNotFoundException' }),
      );
    const log = new ChangeLog();
    await convergeDashboard(
      aws,
      { name: 'bedrock-shop-bot', body },
      TAGS,
      undefined,
      log,
    );
    expect(log.changes[1]).toMatch(/left untagged/);

    cloudwatch.on(TagResourceCommand).rejects(new Error('AccessDenied'));
    await expect(
      convergeDashboard(
        aws,
        { name: 'bedrock-shop-bot', body },
        TAGS,
        undefined,
        new ChangeLog(),
      ),
    ).rejects.toThrow('AccessDenied');
  });

  it('creates the budget with ResourceTags', async () => {
    budgets.on(CreateBudgetCommand).resolves({});
    await convergeBudget(
      aws,
      '123456789012',
      {
        name: 'bedrock-shop-bot',
        limitUsd: 100,
        costFilters: { TagKeyValue: ['user:bedrock-tenancy:tenant$shop-bot'] },
        notifications: [],
        subscriberTopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      },
      TAGS,
      undefined,
      new ChangeLog(),
    );
    expect(
      budgets.commandCalls(CreateBudgetCommand)[0].args[0].input.ResourceTags,
    ).toEqual([
      { Key: 'bedrock-tenancy:tenant', Value: 'shop-bot' },
      { Key: 'bedrock-tenancy:managed-by', Value: 'backstage-bedrock-tenancy' },
    ]);
  });
});
