/* The tenant's monthly AWS Budget: filtered on its cost allocation tag, notifying its topic. */
import {
  CreateBudgetCommand,
  CreateNotificationCommand,
  DeleteBudgetCommand,
  DeleteNotificationCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  UpdateBudgetCommand,
  type Budget,
  type Notification,
} from '@aws-sdk/client-budgets';
import { TAG_TENANT } from '@bedrock-tenancy/plugin-bedrock-common';
import type { AwsClients } from '@bedrock-tenancy/plugin-bedrock-node';
import { orUndefined } from '@bedrock-tenancy/plugin-bedrock-node';
import type { ChangeLog } from '../changes';
import { sameJson } from '../policies';
import { tagList, type Tags } from './tags';
import type { BudgetNotificationPlan, PlannedBudget } from '../types';

export const BUDGET_NOTIFICATIONS: BudgetNotificationPlan[] = [
  { notificationType: 'ACTUAL', threshold: 50 },
  { notificationType: 'ACTUAL', threshold: 80 },
  { notificationType: 'ACTUAL', threshold: 100 },
  { notificationType: 'FORECASTED', threshold: 100 },
];

/** Cost allocation tag filter of the budget: `user:<tag key>$<tenant id>`. */
export const budgetTagFilter = (tenantId: string) =>
  `user:${TAG_TENANT}$${tenantId}`;

type Budgets = Pick<AwsClients, 'budgets'>;
const NOT_FOUND = 'NotFoundException';

export async function readBudget(
  aws: Budgets,
  AccountId: string,
  BudgetName: string,
): Promise<Budget | undefined> {
  const res = await orUndefined(
    () =>
      aws.budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName })),
    NOT_FOUND,
  );
  return res?.Budget;
}

/**
 * The cost filter tells the tenant's budget from someone else's (budgets made before the suite
 * tagged them carry no tags): its tenant tag, or (account mode) only the tenant's account.
 */
export function budgetProblem(
  current: Budget | undefined,
  BudgetName: string,
  tenantId: string,
  accountId: string,
) {
  const filters = current?.CostFilters ?? {};
  const byTag = (filters.TagKeyValue ?? []).includes(budgetTagFilter(tenantId));
  const byAccount = sameJson(filters.LinkedAccount ?? [], [accountId]);
  return current && !byTag && !byAccount
    ? `budget ${BudgetName} exists but filters neither on this tenant's tag nor on its account alone`
    : undefined;
}

const sortedFilters = (f: Record<string, string[]> | undefined) =>
  Object.fromEntries(
    Object.keys(f ?? {})
      .filter(k => f![k]?.length)
      .sort()
      .map(k => [k, [...f![k]].sort()]),
  );

const notificationOf = (n: BudgetNotificationPlan): Notification => ({
  NotificationType: n.notificationType,
  ComparisonOperator: 'GREATER_THAN',
  Threshold: n.threshold,
  ThresholdType: 'PERCENTAGE',
});

const keyOf = (n: Notification) =>
  `${n.NotificationType}/${n.ComparisonOperator}/${Number(n.Threshold)}/${
    n.ThresholdType ?? 'PERCENTAGE'
  }`;

/**
 * Creates the budget (tagged with `ResourceTags`), or sets its limit and makes its notifications
 * the planned ones. The tags are set at creation only: the cost filter is what identifies the
 * tenant's budget, and a budget made before the suite tagged budgets stays untagged.
 */
export async function convergeBudget(
  aws: Budgets,
  AccountId: string,
  plan: PlannedBudget,
  tags: Tags,
  current: Budget | undefined,
  log: ChangeLog,
) {
  const BudgetName = plan.name;
  const budget: Budget = {
    BudgetName,
    BudgetLimit: { Amount: String(plan.limitUsd), Unit: 'USD' },
    TimeUnit: 'MONTHLY',
    BudgetType: 'COST',
    CostFilters: plan.costFilters,
  };
  const subscribers = [
    { SubscriptionType: 'SNS' as const, Address: plan.subscriberTopicArn },
  ];
  const sameFilters =
    current &&
    sameJson(
      sortedFilters(current.CostFilters),
      sortedFilters(plan.costFilters),
    );
  if (current && !sameFilters) {
    // another attribution mode: another budget (its history would not be this filter's)
    await removeBudget(aws, AccountId, BudgetName);
    log.add(`Deleted budget ${BudgetName}: its cost filter changed`, {
      costFilters: plan.costFilters,
    });
  }
  if (!current || !sameFilters) {
    await aws.budgets.send(
      new CreateBudgetCommand({
        AccountId,
        Budget: budget,
        NotificationsWithSubscribers: plan.notifications.map(n => ({
          Notification: notificationOf(n),
          Subscribers: subscribers,
        })),
        ResourceTags: tagList(tags),
      }),
    );
    log.add(`Created budget ${BudgetName}`, { limitUsd: plan.limitUsd });
    return;
  }
  if (Number(current.BudgetLimit?.Amount) !== plan.limitUsd) {
    await aws.budgets.send(
      new UpdateBudgetCommand({ AccountId, NewBudget: budget }),
    );
    log.add(`Set limit of budget ${BudgetName} to ${plan.limitUsd} USD`);
  }
  const res = await aws.budgets.send(
    new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName }),
  );
  const have = new Map((res.Notifications ?? []).map(n => [keyOf(n), n]));
  const want = new Map(
    plan.notifications.map(n => [keyOf(notificationOf(n)), notificationOf(n)]),
  );
  for (const [k, n] of want) {
    if (have.has(k)) continue;
    await aws.budgets.send(
      new CreateNotificationCommand({
        AccountId,
        BudgetName,
        Notification: n,
        Subscribers: subscribers,
      }),
    );
    log.add(`Added notification ${k} to budget ${BudgetName}`);
  }
  for (const [k, n] of have) {
    if (want.has(k)) continue;
    await aws.budgets.send(
      new DeleteNotificationCommand({ AccountId, BudgetName, Notification: n }),
    );
    log.add(`Removed notification ${k} from budget ${BudgetName}`);
  }
}

/** Deletes the budget; one deleted meanwhile is fine. */
export async function removeBudget(
  aws: Budgets,
  AccountId: string,
  BudgetName: string,
) {
  await orUndefined(
    () => aws.budgets.send(new DeleteBudgetCommand({ AccountId, BudgetName })),
    NOT_FOUND,
  );
}
