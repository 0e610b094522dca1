import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  APP_URL,
  BACKEND_URL,
  launchChromium,
  screenshot,
  signIn,
} from './browser';
import { guestToken, waitForCollection } from './api';

/** Grace's token (the local portal's second sign-in), for following her tasks through the API. */
async function graceToken(): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/api/auth/guest-member/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  return (await res.json()).backstageIdentity.token;
}

/**
 * Runs the lifecycle template from its form in the browser; follows the task the page opened
 * until it ends, and answers its status and log.
 */
async function runLifecycle(
  page: Page,
  tenantTitle: string,
  operation: RegExp,
): Promise<{ status: string; log: string }> {
  await page.goto(
    `${APP_URL}/create/templates/default/bedrock-tenant-lifecycle`,
  );
  const tenant = page.locator('#root_entityRef');
  await tenant.waitFor({ timeout: 120_000 });
  await tenant.click();
  await tenant.fill(tenantTitle);
  await page.getByRole('option', { name: tenantTitle, exact: true }).click();
  await page.locator('#root_operation').click();
  await page.getByRole('option', { name: operation }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\/[^/]+/, { timeout: 60_000 });
  const taskId = new URL(page.url()).pathname.split('/').pop()!;
  const token = await graceToken();
  const get = async (path: string) =>
    (
      await fetch(`${BACKEND_URL}/api/scaffolder/v2/tasks/${taskId}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
  const deadline = Date.now() + 180_000;
  let task = await get('');
  while (!['completed', 'failed', 'cancelled'].includes(task.status)) {
    assert.ok(Date.now() < deadline, `task ${taskId} did not end`);
    await new Promise(r => setTimeout(r, 2000));
    task = await get('');
  }
  const events: any[] = await get('/events');
  return {
    status: task.status,
    log: events.map(e => e.body?.message ?? '').join('\n'),
  };
}

describe("ownership: a team member changes his team's tenants, never another team's", () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    // the demo tenants are bound from their AWS tags once the backend has read them
    await waitForCollection(
      ['docs-summarizer', 'support-bot'],
      await guestToken(),
    );
    browser = await launchChromium();
    page = await signIn(
      browser,
      { width: 1280, height: 900 },
      { member: true },
    );
  });
  after(async () => {
    await browser?.close();
  });

  it("refuses Grace the suspension of team-docs' tenant with a clear reason", async () => {
    const { status, log } = await runLifecycle(
      page,
      'Docs summarizer',
      /^Suspend/,
    );
    // the task page says why, in the browser
    await page
      .getByText(/You may not suspend Bedrock tenant docs-summarizer/)
      .first()
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'ownership-refused');
    assert.equal(status, 'failed');
    assert.match(
      log,
      /You may not suspend Bedrock tenant docs-summarizer: only the owners of the entity it is bound to and Bedrock admins may \(bedrock\.tenant\.manage\)/,
    );
  });

  it("lets Grace suspend and resume her own team's tenant", async () => {
    const suspended = await runLifecycle(page, 'Support bot', /^Suspend/);
    assert.equal(suspended.status, 'completed', suspended.log);
    await screenshot(page, 'ownership-own-suspended');
    const resumed = await runLifecycle(page, 'Support bot', /^Resume/);
    assert.equal(resumed.status, 'completed', resumed.log);
  });
});
