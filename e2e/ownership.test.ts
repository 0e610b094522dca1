import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { APP_URL, launchChromium, screenshot, signIn } from './browser';

/** Runs the lifecycle template from its form; answers the task page's text when it ends. */
async function runLifecycle(
  page: Page,
  tenantTitle: string,
  operation: RegExp,
): Promise<string> {
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
  // the task page: the run ends completed or failed, and says so in its log
  const end = page.getByText(/Run completed with status: (completed|failed)/);
  const log = page.getByRole('button', { name: /show logs/i });
  await page.waitForURL(/\/create\/tasks\//, { timeout: 60_000 });
  if (await log.isVisible().catch(() => false)) await log.click();
  await end.first().waitFor({ timeout: 180_000 });
  return (await page.locator('body').innerText()).toString();
}

describe("ownership: a team member changes his team's tenants, never another team's", () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
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
    const text = await runLifecycle(page, 'Docs summarizer', /^Suspend/);
    await screenshot(page, 'ownership-refused');
    assert.match(
      text,
      /You may not suspend Bedrock tenant docs-summarizer: only the owners of the entity it is bound to and Bedrock admins may \(bedrock\.tenant\.manage\)/,
    );
    assert.match(text, /Run completed with status: failed/);
  });

  it("lets Grace suspend and resume her own team's tenant", async () => {
    const suspended = await runLifecycle(page, 'Support bot', /^Suspend/);
    assert.match(suspended, /Run completed with status: completed/);
    await screenshot(page, 'ownership-own-suspended');
    const resumed = await runLifecycle(page, 'Support bot', /^Resume/);
    assert.match(resumed, /Run completed with status: completed/);
  });
});
