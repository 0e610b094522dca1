/*
 * Temporary budget increases (issue 24 §2) in the running portal: Grace (team-support, not a
 * Bedrock admin) asks on her team's tenant's tab for more budget until a day, the guest (a
 * Bedrock admin) approves it there, and the tenant's AWS Budget (moto behind the emulator's
 * stand-in) is raised by the amount. A member of another team sees none of it.
 *
 * support-bot is used because no other e2e test asserts its budget figures, and the demo's
 * other tenants are read for their budget elsewhere (docs-summarizer's enforcement, checkout-
 * assistant's tab). The approved increase stays in force for the rest of the run: a tenant with
 * one approved may ask for no other until it ends, so this file runs once per portal.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type {
  BudgetBlock,
  BudgetIncreaseList,
} from '@bedrock-tenancy/plugin-bedrock-common';
import {
  APP_URL,
  BACKEND_URL,
  launchChromium,
  screenshot,
  signIn,
} from './browser';
import {
  getJson,
  guestToken,
  memberToken,
  summary,
  waitForCollection,
} from './api';

/** team-support's tenant: Grace's team owns it. */
const TENANT = 'support-bot';
/** team-checkout's tenant: Grace may not read it. */
const OTHER_TEAMS_TENANT = 'checkout-assistant';
const TAB = (name: string) =>
  `${APP_URL}/catalog/default/component/${name}/bedrock`;
const INCREASES = (name: string) =>
  `/entity/component/default/${name}/budget-increases`;

const AMOUNT = 150;
const REASON = 'Load test of the new ticket triage flow before the launch';
const NOTE = 'Approved for the launch week';

/** As the tab writes amounts (src/lib/format.ts): `$1,234.50`. */
const usd = (v: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(v);

/** `YYYY-MM-DD` `offset` days after `from` (UTC). */
const dayAfter = (from: string, offset: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000)
    .toISOString()
    .slice(0, 10);

/** The tenant's AWS Budget as the API reports it. */
async function budgetOf(name: string, token: string): Promise<BudgetBlock> {
  const { budget } = await summary(name, 'range=7d', token);
  assert.equal(budget.status, 'ok', JSON.stringify(budget));
  assert.ok(budget.status === 'ok' && budget.data, `${name} has a budget`);
  return budget.data;
}

/** Opens the tab and waits for the Budget panel and the increases card. */
async function openTab(page: Page, name: string) {
  await page.goto(TAB(name));
  await page.getByTestId('budget-left').waitFor({ timeout: 120_000 });
  await page.getByTestId('budget-increases').waitFor({ timeout: 60_000 });
}

/** The row's value (the second text of a Budget panel row). */
const rowValue = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).locator('p').nth(1).textContent())?.trim();

describe('temporary budget increases: a member asks on the tab, a Bedrock admin approves', () => {
  let browser: Browser;
  let adminToken: string;
  let before0: BudgetBlock;
  let endsOn: string;

  before(async () => {
    adminToken = await guestToken();
    await waitForCollection([TENANT], adminToken);
    before0 = await budgetOf(TENANT, adminToken);
    const list = await getJson<BudgetIncreaseList>(
      INCREASES(TENANT),
      adminToken,
    );
    assert.deepEqual(
      list.increases.filter(
        i => i.status === 'pending' || i.status === 'approved',
      ),
      [],
      `${TENANT} has no open increase yet (this file runs once per portal)`,
    );
    endsOn = dayAfter(new Date().toISOString().slice(0, 10), 7);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('a member of the owning team sees what is left, is told a bad end date in the dialog, and asks; he sees no Approve', async () => {
    const page = await signIn(
      browser,
      { width: 1280, height: 1300 },
      { member: true },
    );
    try {
      await openTab(page, TENANT);
      assert.equal(
        await rowValue(page, 'budget-left'),
        usd(Math.max(0, before0.limitUsd - before0.actualSpendUsd)),
      );
      const card = page.getByTestId('budget-increases');
      assert.equal(
        await page.getByTestId('budget-increase-pending').count(),
        0,
      );
      await card.getByTestId('budget-increase-request').click();
      const dialog = page.getByRole('dialog', {
        name: 'Request a temporary budget increase',
      });
      await dialog.waitFor();

      const list = await getJson<BudgetIncreaseList>(
        INCREASES(TENANT),
        await memberToken(),
      );
      assert.equal(list.canRequest, true);
      assert.equal(list.canDecide, false);
      const tooLate = dayAfter(list.limits.latestEndsOn, 1);
      await dialog.getByLabel('Amount (USD)').fill(String(AMOUNT));
      await dialog.getByLabel('Last day (UTC)').fill(tooLate);
      await dialog.getByLabel('Reason').fill(REASON);
      // nothing is posted while a field is wrong
      let posted = 0;
      const count = (r: { method(): string; url(): string }) => {
        if (r.method() === 'POST' && r.url().endsWith('/budget-increases'))
          posted++;
      };
      page.on('request', count);
      await dialog.getByRole('button', { name: 'Submit' }).click();
      await dialog
        .getByText(
          `The end date may be ${list.limits.latestEndsOn} at the latest`,
        )
        .waitFor();
      assert.equal(posted, 0);
      page.off('request', count);

      await dialog.getByLabel('Last day (UTC)').fill(endsOn);
      const answer = page.waitForResponse(
        r =>
          r.request().method() === 'POST' &&
          // the tab writes the kind as the entity has it (Component)
          r.url().toLowerCase().endsWith(INCREASES(TENANT)),
      );
      await dialog.getByRole('button', { name: 'Submit' }).click();
      assert.equal((await answer).status(), 201);
      await dialog.waitFor({ state: 'detached' });

      const pending = page.getByTestId('budget-increase-pending');
      await pending.waitFor({ timeout: 60_000 });
      await card.getByText('Waiting for a Bedrock admin').waitFor();
      const text = (await pending.textContent()) ?? '';
      assert.match(text, new RegExp(`\\+\\${usd(AMOUNT)} until ${endsOn}`));
      assert.match(text, /asked by user:default\/grace/);
      assert.match(text, new RegExp(`Reason: ${REASON}`));
      assert.equal(
        await page.getByTestId('budget-increase-approve').count(),
        0,
      );
      assert.equal(
        await page.getByTestId('budget-increase-decline').count(),
        0,
      );
      // asked, not granted: the limit is the same
      assert.equal(await rowValue(page, 'budget-limit'), usd(before0.limitUsd));
      await screenshot(page, 'bedrock-tab-budget-increase-pending', card);
    } finally {
      await page.close();
    }
  });

  it('a Bedrock admin approves it with a note on the same tab: the budget is raised by the amount', async () => {
    const page = await signIn(browser, { width: 1280, height: 1300 });
    try {
      await openTab(page, TENANT);
      const card = page.getByTestId('budget-increases');
      await card.getByTestId('budget-increase-pending').waitFor();
      await card.getByTestId('budget-increase-approve').click();
      const dialog = page.getByRole('dialog', {
        name: 'Approve the budget increase',
      });
      await dialog.waitFor();
      await dialog.getByLabel('Note to the requester (optional)').fill(NOTE);
      const answer = page.waitForResponse(
        r => r.request().method() === 'POST' && /\/approve$/.test(r.url()),
        { timeout: 120_000 },
      );
      await dialog.getByTestId('budget-increase-confirm').click();
      assert.equal((await answer).status(), 200, await (await answer).text());
      await dialog.waitFor({ state: 'detached' });

      const raised = before0.limitUsd + AMOUNT;
      const active = page.getByTestId('budget-increase-active');
      await active.waitFor({ timeout: 60_000 });
      assert.match(
        (await active.textContent()) ?? '',
        new RegExp(
          `\\+\\${usd(AMOUNT)} until ${endsOn}, approved by user:default/guest`,
        ),
      );
      await card
        .getByText(
          `Budget ${usd(before0.limitUsd)} → ${usd(raised)}, back to ${usd(
            before0.limitUsd,
          )} after ${endsOn}`,
        )
        .waitFor();
      await card.getByText(`note: ${NOTE}`, { exact: false }).waitFor();
      assert.equal(
        await page.getByTestId('budget-increase-pending').count(),
        0,
      );
      // the tab reloads its summary after the decision: the panel shows the raised limit
      await page
        .getByTestId('budget-limit')
        .getByText(usd(raised), { exact: true })
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await rowValue(page, 'budget-left'),
        usd(
          Math.max(
            0,
            raised - (await budgetOf(TENANT, adminToken)).actualSpendUsd,
          ),
        ),
      );
      // and so does AWS, read back by the backend
      const after1 = await budgetOf(TENANT, adminToken);
      assert.ok(
        Math.abs(after1.limitUsd - raised) < 0.005,
        `limit ${after1.limitUsd} != ${raised}`,
      );
      await screenshot(page, 'bedrock-tab-budget-increase-approved', card);
    } finally {
      await page.close();
    }
  });

  it('a member of another team gets no budget increases of a tenant he may not read, and no request button', async () => {
    const token = await memberToken();
    const res = await fetch(
      `${BACKEND_URL}/api/bedrock${INCREASES(OTHER_TEAMS_TENANT)}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(res.status, 403);
    const post = await fetch(
      `${BACKEND_URL}/api/bedrock${INCREASES(OTHER_TEAMS_TENANT)}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ amountUsd: 1, endsOn, reason: 'not mine' }),
      },
    );
    assert.equal(post.status, 403);

    const page = await signIn(
      browser,
      { width: 1280, height: 900 },
      { member: true },
    );
    try {
      await page.goto(TAB(OTHER_TEAMS_TENANT));
      await page
        .getByText('Not permitted')
        .first()
        .waitFor({ timeout: 120_000 });
      assert.equal(await page.getByTestId('budget-increases').count(), 0);
      assert.equal(
        await page.getByTestId('budget-increase-request').count(),
        0,
      );
      assert.equal(await page.getByTestId('budget-left').count(), 0);
    } finally {
      await page.close();
    }
  });
});
