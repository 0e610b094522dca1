/*
 * TEST-ONLY stand-in for the AWS Budgets calls moto 5.2.1 lacks. Part of the stand-in server of
 * bedrockProfilesStandIn.ts, which hands it every `AWSBudgetServiceGateway.*` request.
 *
 * - UpdateBudget: done with moto's own state, so that every later DescribeBudget from moto shows
 *   the new budget. The current budget and its notifications are read from moto, the budget is
 *   deleted and made again from `NewBudget`, with what `NewBudget` omits kept from the current
 *   budget (CostFilters, TimeUnit, BudgetType, TimePeriod, CalculatedSpend, ...) and the same
 *   notifications and subscribers.
 * - DescribeSubscribersForNotification: moto keeps the subscribers it is sent but has no call
 *   that reads them back (it answers HTTP 500). So the stand-in notes the subscribers of the
 *   budget writes that pass through it (CreateBudget, CreateNotification, DeleteNotification,
 *   DeleteBudget are still done by moto) and answers from that note, for budgets moto has.
 *   UpdateBudget asks moto first (a later moto may answer) and falls back on the note; it
 *   refuses to run, rather than drop subscribers, for a notification made behind its back.
 * Every other Budgets call goes to moto unchanged.
 *
 * moto keys budgets twice: by the caller's account (from the access key: the default account,
 * or the role's account for STS credentials) and then by the `AccountId` field of the request.
 * The calls to moto carry the caller's own authorization headers, and the note is keyed the same
 * way.
 */
import type http from 'node:http';
import type { StandInReply } from './bedrockGuardrailsStandIn';

const TARGET_PREFIX = 'AWSBudgetServiceGateway.';

type Json = Record<string, any>;

interface MotoAnswer {
  status: number;
  body: Json;
  errorType?: string;
}

/** A notification's identity: moto matches notifications by their whole details. */
const notificationKey = (n: unknown) =>
  JSON.stringify(n, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );

const FORWARDED_HEADERS = [
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-user-agent',
  'user-agent',
];

/**
 * The Budgets part of the stand-in. `reply` answers a request it takes over, or resolves to
 * undefined for one the caller must forward to moto unchanged.
 */
export function budgetsRoutes(options: { motoEndpoint: string }) {
  /** subscribers seen, by `${callerAccount}/${AccountId}/${BudgetName}`, then notification */
  const subscribers = new Map<string, Map<string, unknown[]>>();
  const budgetKey = (
    callerAccount: string,
    accountId: unknown,
    name: unknown,
  ) => `${callerAccount}/${String(accountId)}/${String(name)}`;
  // UpdateBudget is several calls to moto: one at a time
  let queue: Promise<unknown> = Promise.resolve();

  async function moto(
    req: http.IncomingMessage,
    operation: string,
    body: unknown,
  ): Promise<MotoAnswer> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${TARGET_PREFIX}${operation}`,
    };
    for (const h of FORWARDED_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const res = await fetch(`${options.motoEndpoint}/`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Json;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { message: text };
    }
    return {
      status: res.status,
      body: parsed,
      errorType:
        res.headers.get('x-amzn-errortype') ??
        (typeof parsed.__type === 'string' ? parsed.__type : undefined),
    };
  }

  const relay = (a: MotoAnswer): StandInReply => ({
    status: a.status,
    body: a.body,
    errorType: a.status >= 400 ? a.errorType : undefined,
  });

  const error = (
    status: number,
    type: string,
    message: string,
  ): StandInReply => ({
    status,
    body: { __type: type, message },
    errorType: type,
  });

  async function updateBudget(
    req: http.IncomingMessage,
    body: Json,
    callerAccount: string,
  ): Promise<StandInReply> {
    const { AccountId, NewBudget } = body;
    if (!AccountId || !NewBudget?.BudgetName) {
      return error(
        400,
        'InvalidParameterException',
        'AccountId and NewBudget.BudgetName are required',
      );
    }
    const key = { AccountId, BudgetName: NewBudget.BudgetName };
    const current = await moto(req, 'DescribeBudget', key);
    if (current.status !== 200) {
      return current.errorType === 'NotFoundException'
        ? error(
            400,
            'NotFoundException',
            `Unable to update budget: ${NewBudget.BudgetName} - the budget doesn't exist.`,
          )
        : relay(current);
    }
    const listed = await moto(req, 'DescribeNotificationsForBudget', key);
    if (listed.status !== 200) return relay(listed);
    const noted = subscribers.get(
      budgetKey(callerAccount, AccountId, NewBudget.BudgetName),
    );
    const notifications: Array<{ Notification: Json; Subscribers: unknown }> =
      [];
    for (const Notification of (listed.body.Notifications ?? []) as Json[]) {
      const asked = await moto(req, 'DescribeSubscribersForNotification', {
        ...key,
        Notification,
      });
      const Subscribers =
        asked.status === 200
          ? asked.body.Subscribers
          : noted?.get(notificationKey(Notification));
      if (!Subscribers) {
        return error(
          500,
          'InternalErrorException',
          `budgets stand-in: the subscribers of notification ${notificationKey(
            Notification,
          )} of budget ${
            NewBudget.BudgetName
          } are unknown (moto cannot tell them, and the notification was not made through the stand-in)`,
        );
      }
      notifications.push({ Notification, Subscribers });
    }
    // what NewBudget omits stays as it was; moto sets LastUpdatedTime itself
    const { LastUpdatedTime: _was, ...kept } = current.body.Budget as Json;
    const merged: Json = { ...kept, ...NewBudget };
    if (NewBudget.PlannedBudgetLimits && !NewBudget.BudgetLimit) {
      delete merged.BudgetLimit;
    }
    const deleted = await moto(req, 'DeleteBudget', key);
    if (deleted.status !== 200) return relay(deleted);
    const made = await moto(req, 'CreateBudget', {
      AccountId,
      Budget: merged,
      NotificationsWithSubscribers: notifications,
    });
    if (made.status !== 200) {
      // put the budget back as it was
      await moto(req, 'CreateBudget', {
        AccountId,
        Budget: kept,
        NotificationsWithSubscribers: notifications,
      });
      return relay(made);
    }
    return { status: 200, body: {} };
  }

  async function describeSubscribers(
    req: http.IncomingMessage,
    body: Json,
    callerAccount: string,
  ): Promise<StandInReply> {
    const asked = await moto(req, 'DescribeSubscribersForNotification', body);
    if (asked.status < 500) return relay(asked);
    const { AccountId, BudgetName, Notification } = body;
    const exists = await moto(req, 'DescribeBudget', { AccountId, BudgetName });
    if (exists.status !== 200) return relay(exists);
    const noted = subscribers
      .get(budgetKey(callerAccount, AccountId, BudgetName))
      ?.get(notificationKey(Notification));
    if (!noted) {
      return error(
        400,
        'NotFoundException',
        `Unable to get subscribers: the notification of budget ${BudgetName} doesn't exist or was not made through the stand-in.`,
      );
    }
    return { status: 200, body: { Subscribers: noted } };
  }

  /** The write goes to moto; when moto takes it, the subscribers it carries are noted. */
  async function write(
    req: http.IncomingMessage,
    operation: string,
    body: Json,
    callerAccount: string,
  ): Promise<StandInReply> {
    const answer = await moto(req, operation, body);
    if (answer.status !== 200) return relay(answer);
    const name =
      operation === 'CreateBudget' ? body.Budget?.BudgetName : body.BudgetName;
    const k = budgetKey(callerAccount, body.AccountId, name);
    if (operation === 'CreateBudget') {
      subscribers.set(
        k,
        new Map(
          ((body.NotificationsWithSubscribers ?? []) as Json[]).map(n => [
            notificationKey(n.Notification),
            n.Subscribers,
          ]),
        ),
      );
    } else if (operation === 'DeleteBudget') {
      subscribers.delete(k);
    } else if (operation === 'CreateNotification') {
      if (!subscribers.has(k)) subscribers.set(k, new Map());
      subscribers
        .get(k)!
        .set(notificationKey(body.Notification), body.Subscribers);
    } else if (operation === 'DeleteNotification') {
      subscribers.get(k)?.delete(notificationKey(body.Notification));
    }
    return relay(answer);
  }

  return {
    /** Forgets the noted subscribers (the emulator was reset). */
    reset: () => subscribers.clear(),
    reply(request: {
      req: http.IncomingMessage;
      body: unknown;
      callerAccount: string;
    }): Promise<StandInReply> | undefined {
      const { req, callerAccount } = request;
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(TARGET_PREFIX)) return undefined;
      const operation = target.slice(TARGET_PREFIX.length);
      const body = (request.body ?? {}) as Json;
      const run = (f: () => Promise<StandInReply>) => {
        const next = queue.then(f, f);
        queue = next.catch(() => undefined);
        return next;
      };
      switch (operation) {
        case 'UpdateBudget':
          return run(() => updateBudget(req, body, callerAccount));
        case 'DescribeSubscribersForNotification':
          return run(() => describeSubscribers(req, body, callerAccount));
        case 'CreateBudget':
        case 'DeleteBudget':
        case 'CreateNotification':
        case 'DeleteNotification':
          return run(() => write(req, operation, body, callerAccount));
        default:
          return undefined;
      }
    },
  };
}
