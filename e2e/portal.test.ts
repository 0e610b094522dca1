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

describe('portal smoke', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await signIn(browser);
  });
  after(async () => {
    await browser?.close();
  });

  it('the backend answers, and asks for credentials on the API', async () => {
    const health = await fetch(`${BACKEND_URL}/api/bedrock/health`);
    assert.equal(health.status, 200);
    const anonymous = await fetch(`${BACKEND_URL}/api/catalog/entities`);
    assert.equal(anonymous.status, 401);
  });

  it('the catalog lists the demo tenants', async () => {
    await page.goto(`${APP_URL}/?filters[kind]=component&filters[user]=all`);
    for (const title of [
      'Checkout assistant',
      'Support bot',
      'Fraud analyst',
    ]) {
      await page
        .getByRole('link', { name: title })
        .first()
        .waitFor({ timeout: 120_000 });
    }
    await screenshot(page, 'catalog');
  });

  it('the catalog lists the demo groups and users', async () => {
    await page.goto(`${APP_URL}/?filters[kind]=group&filters[user]=all`);
    await page
      .getByRole('link', { name: 'Checkout' })
      .first()
      .waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: 'Engineering' }).first().waitFor();
    await page.goto(`${APP_URL}/?filters[kind]=user&filters[user]=all`);
    await page
      .getByRole('link', { name: /Ada Lovelace|ada/ })
      .first()
      .waitFor({ timeout: 120_000 });
  });

  it('a tenant entity page has the Bedrock tab, an unannotated one does not', async () => {
    await page.goto(`${APP_URL}/catalog/default/component/checkout-assistant`);
    // The entity header's tabs are links in the new frontend system's header.
    const tab = page.getByRole('link', { name: 'Bedrock', exact: true });
    await tab.waitFor({ timeout: 120_000 });
    await tab.click();
    await page.waitForURL(/\/bedrock$/);
    await screenshot(page, 'tenant-bedrock-tab');

    await page.goto(`${APP_URL}/catalog/default/component/checkout-web`);
    await page
      .getByRole('link', { name: 'Overview', exact: true })
      .waitFor({ timeout: 120_000 });
    assert.equal(
      await page.getByRole('link', { name: 'Bedrock', exact: true }).count(),
      0,
    );
  });
});
