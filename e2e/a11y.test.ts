import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { axeFindings, describeFindings, SUITE_ROOT } from './axe';
import type { BudgetIncreaseList } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  APP_URL,
  BACKEND_URL,
  launchChromium,
  screenshot,
  signIn,
} from './browser';
import { getJson, guestToken, waitForCollection } from './api';

const TAB = `${APP_URL}/catalog/default/component/checkout-assistant/bedrock`;
const INCREASES =
  '/entity/component/default/checkout-assistant/budget-increases';

/** The guest (a Bedrock admin) posts to the bedrock API, as the tab would. */
async function post(path: string, body: unknown) {
  const res = await fetch(`${BACKEND_URL}/api/bedrock${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await guestToken()}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Waits until every open dialog has faded in: axe measures contrast on what is painted, and a
 * dialog's text half way through Material UI's fade reads as low contrast.
 */
async function dialogsSettled(page: Page) {
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('[role="dialog"]')).every(
      d =>
        getComputedStyle(d.closest('.MuiDialog-container') ?? d).opacity ===
        '1',
    ),
  );
}

/**
 * Runs axe over the page and fails on any finding inside the suite's own views. Findings in
 * Backstage's page around them are printed (the README lists them with their upstream issues).
 */
async function assertAccessible(page: Page, view: string) {
  assert.ok(
    (await page.locator(SUITE_ROOT).count()) > 0,
    `${view}: no view of the suite on the page`,
  );
  const findings = await axeFindings(page);
  const outside = findings.filter(f => !f.ours);
  if (outside.length)
    console.log(
      `${view}: ${
        outside.length
      } finding(s) in Backstage's page, not the suite's:\n${describeFindings(
        outside,
      )}`,
    );
  const ours = findings.filter(f => f.ours);
  assert.equal(ours.length, 0, `${view}:\n${describeFindings(ours)}`);
}

/** The UTC date `offset` days from today, `YYYY-MM-DD`. */
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The next summary answer whose query matches, started before `act`. */
async function summaryAfter(page: Page, query: RegExp, act: () => unknown) {
  const answer = page.waitForResponse(
    r => r.url().includes('/summary?') && query.test(r.url()),
    { timeout: 120_000 },
  );
  await act();
  assert.equal((await answer).status(), 200);
}

for (const theme of ['light', 'dark'] as const) {
  describe(`axe finds nothing in the suite's views, ${theme} theme`, () => {
    let browser: Browser;
    let page: Page;

    before(async () => {
      await waitForCollection(['checkout-assistant'], await guestToken());
      browser = await launchChromium();
      page = await signIn(browser);
      // Backstage's theme switch keeps the choice under this key (AppThemeSelector)
      await page.evaluate(t => localStorage.setItem('theme', t), theme);
    });
    after(async () => {
      await browser?.close();
    });

    it('the tab in each range, a chart shown as a table, the custom range, the governance panel', async () => {
      await page.goto(TAB);
      await page
        .getByTestId('headline-invocations')
        .waitFor({ timeout: 120_000 });
      await page.getByTestId('chart-summary').first().waitFor();
      await assertAccessible(page, 'tab 7 d');
      for (const [label, query] of [
        ['24 h', /range=24h/],
        ['30 d', /range=30d/],
        ['Month to date', /range=mtd/],
      ] as const) {
        await summaryAfter(page, query, () =>
          page.getByRole('button', { name: label, exact: true }).click(),
        );
        await page.getByTestId('chart-summary').first().waitFor();
        await assertAccessible(page, `tab ${label}`);
      }
      await page.getByRole('button', { name: 'Custom', exact: true }).click();
      // two whole days inside the seeded 30 (the seed ends at the current hour)
      const from = day(-3);
      await page.getByLabel('From (UTC)').fill(from);
      await page.getByLabel('To (UTC)').fill(day(-2));
      await summaryAfter(page, new RegExp(`from=${from}`), () =>
        page.getByRole('button', { name: 'Apply' }).click(),
      );
      await page.getByRole('button', { name: 'Show as table' }).first().click();
      await page.getByTestId('chart-table').first().waitFor();
      await page.getByRole('heading', { name: 'Guardrails' }).waitFor();
      await assertAccessible(page, 'tab custom range, a chart as a table');
      if (theme === 'dark') await screenshot(page, 'dark-tab');
    });

    it('the budget increase request dialog with its messages, and the card with a pending request', async () => {
      await page.goto(TAB);
      const card = page.getByTestId('budget-increases');
      await card
        .getByTestId('budget-increase-request')
        .waitFor({ timeout: 120_000 });
      await card.getByTestId('budget-increase-request').click();
      const dialog = page.getByRole('dialog', {
        name: 'Request a temporary budget increase',
      });
      await dialog.waitFor();
      // submitted empty: each field says what is wrong
      await dialog.getByRole('button', { name: 'Submit' }).click();
      await dialog.getByText('Say why the tenant needs the increase').waitFor();
      await dialogsSettled(page);
      await assertAccessible(page, 'budget increase request dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      // a pending request (the guest is an admin: Approve and Decline show), declined after
      const open = (
        await getJson<BudgetIncreaseList>(INCREASES, await guestToken())
      ).increases.find(i => i.status === 'pending');
      const pending =
        open ??
        (await post(INCREASES, {
          amountUsd: 25,
          endsOn: day(7),
          reason: 'Accessibility check of the pending request',
        }));
      const list = async () =>
        getJson<BudgetIncreaseList>(INCREASES, await guestToken());
      try {
        await page.reload();
        await card
          .getByTestId('budget-increase-approve')
          .waitFor({ timeout: 120_000 });
        await assertAccessible(
          page,
          'budget increases card, a pending request',
        );
        await card.getByTestId('budget-increase-decline').click();
        const decision = page.getByRole('dialog', {
          name: 'Decline the budget increase',
        });
        await decision.waitFor();
        await dialogsSettled(page);
        await assertAccessible(page, 'budget increase decision dialog');
        await decision.getByTestId('budget-increase-confirm').click();
        await decision.waitFor({ state: 'detached' });
        await card
          .getByTestId('budget-increase-declined')
          .first()
          .waitFor({ timeout: 60_000 });
        await assertAccessible(page, 'budget increases card, earlier requests');
      } finally {
        // declined above, or here when a step failed: nothing stays pending for later tests
        if (
          (await list()).increases.some(
            i => i.id === pending.id && i.status === 'pending',
          )
        )
          await post(`/budget-increases/${pending.id}/decline`, {
            note: 'accessibility check',
          });
      }
    });

    it('the overview card', async () => {
      await page.goto(`${APP_URL}/catalog/default/component/docs-summarizer`);
      const card = page.getByTestId('overview-month-to-date');
      await card.waitFor({ timeout: 120_000 });
      await assertAccessible(page, 'overview card');
      if (theme === 'dark') await screenshot(page, 'dark-overview-card', card);
    });

    it('the Group card with its export', async () => {
      await page.goto(`${APP_URL}/catalog/default/group/commerce`);
      const card = page.locator('[data-bedrock-view="group"]');
      await page
        .getByTestId('group-total-tenants')
        .waitFor({ timeout: 120_000 });
      await page.getByTestId('group-chargeback').waitFor();
      await assertAccessible(page, 'Group card');
      if (theme === 'dark') await screenshot(page, 'dark-group-card', card);
    });

    it('the enforcement banner', async () => {
      await page.goto(
        `${APP_URL}/catalog/default/component/docs-summarizer/bedrock`,
      );
      await page
        .getByTestId('enforcement-banner')
        .waitFor({ timeout: 120_000 });
      await assertAccessible(page, 'enforcement banner');
    });

    it('the unverified-tenant state', async () => {
      await page.goto(
        `${APP_URL}/catalog/default/component/checkout-assistant-impostor/bedrock`,
      );
      await page
        .getByTestId('bedrock-unverified')
        .waitFor({ timeout: 120_000 });
      await assertAccessible(page, 'unverified tenant');
      if (theme === 'dark') await screenshot(page, 'dark-unverified-tenant');
    });
  });
}

/** What has the keyboard focus: its accessible name, and whether the suite's outline shows. */
const focused = (page: Page) =>
  page.evaluate(root => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {
      name: (el.getAttribute('aria-label') || el.textContent || '').trim(),
      id: el.id,
      inSuite: Boolean(el.closest(root)),
      // the suite's outline; a text field shows Material UI's own, its underline turning the
      // primary colour and twice as thick (the `Mui-focused` state)
      outline:
        (el.matches(':focus-visible') &&
          style.outlineStyle === 'solid' &&
          parseFloat(style.outlineWidth) >= 2) ||
        (el.tagName === 'INPUT' && Boolean(el.closest('.Mui-focused'))),
    };
  }, SUITE_ROOT);

/**
 * Presses Tab until the focus is on an element of the suite that `wanted` accepts, and checks
 * that every control of the suite it passes on the way shows a visible focus outline.
 */
async function tabTo(
  page: Page,
  wanted: (f: { name: string; id: string }) => boolean,
  what: string,
  maxPresses = 80,
) {
  const path: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f?.inSuite) continue;
    path.push(f.name.slice(0, 40));
    assert.ok(
      f.outline,
      `no visible focus on "${f.name}" (on the way to ${what})`,
    );
    if (wanted(f)) return path;
  }
  assert.fail(`${what} not reached by Tab; passed ${path.join(' | ')}`);
}

describe('the keyboard alone operates the suite, with a visible focus', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    await waitForCollection(['checkout-assistant'], await guestToken());
    browser = await launchChromium();
    page = await signIn(browser);
  });
  after(async () => {
    await browser?.close();
  });

  it('the tab: range picker, custom range, refresh, chart as a table, table sorting', async () => {
    await page.goto(TAB);
    await page
      .getByTestId('headline-invocations')
      .waitFor({ timeout: 120_000 });
    const firstModel = () =>
      page.getByTestId('model-table').locator('tbody tr').first().innerText();
    const lastModel = () =>
      page.getByTestId('model-table').locator('tbody tr').last().innerText();
    // into the suite's view from the top of the page: the range picker comes first
    await tabTo(page, f => f.name === '24 h', 'the range picker');
    await tabTo(page, f => f.name === '30 d', '30 d');
    await summaryAfter(page, /range=30d/, () => page.keyboard.press('Enter'));
    assert.equal(
      await page
        .getByRole('button', { name: '30 d', exact: true })
        .getAttribute('aria-pressed'),
      'true',
    );
    await tabTo(page, f => f.name === 'Custom', 'Custom');
    await page.keyboard.press('Space');
    await tabTo(page, f => f.id === 'bedrock-range-from', 'the From date');
    const [fy, fm, fd] = day(-3).split('-');
    const [ty, tm, td] = day(-2).split('-');
    await page.keyboard.type(`${fm}${fd}${fy}`);
    await tabTo(page, f => f.id === 'bedrock-range-to', 'the To date');
    await page.keyboard.type(`${tm}${td}${ty}`);
    await tabTo(page, f => f.name === 'Apply', 'Apply');
    await summaryAfter(page, new RegExp(`from=${day(-3)}`), () =>
      page.keyboard.press('Enter'),
    );
    await tabTo(page, f => /^Refresh/.test(f.name), 'Refresh');
    const refresh = page.waitForRequest(
      r => r.method() === 'POST' && r.url().endsWith('/refresh'),
    );
    await page.keyboard.press('Enter');
    await refresh;
    await tabTo(page, f => f.name === 'Show as table', 'Show as table');
    await page.keyboard.press('Enter');
    await page.getByTestId('chart-table').first().waitFor();
    const before = { first: await firstModel(), last: await lastModel() };
    assert.notEqual(before.first, before.last, 'the walk needs two models');
    await tabTo(page, f => f.name === 'Estimated cost', 'a sortable header');
    await page.keyboard.press('Enter');
    // sorted by cost, most expensive first: Enter reverses it
    await page.waitForFunction(
      ([first]) =>
        document
          .querySelector('[data-testid="model-table"] tbody tr')
          ?.textContent?.includes(first) === false,
      [before.first.split('\t')[0]],
    );
    assert.equal(
      (await firstModel()).split('\t')[0],
      before.last.split('\t')[0],
    );
    await screenshot(page, 'keyboard-focus-tab');
  });

  it('the Group card: month picker and export', async () => {
    await page.goto(`${APP_URL}/catalog/default/group/commerce`);
    await page.getByTestId('group-total-tenants').waitFor({ timeout: 120_000 });
    await tabTo(page, f => f.name === 'Export month', 'the month picker');
    const [y, m] = day(0).split('-');
    await page.keyboard.type(`${m}${y}`);
    await tabTo(page, f => f.name === 'CSV', 'the CSV export');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    assert.match(
      (await download).suggestedFilename(),
      new RegExp(`commerce-${y}-${m}\\.csv$`),
    );
  });
});
