import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { readTenantAnnotations } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  APP_URL,
  BACKEND_URL,
  launchChromium,
  screenshot,
  signIn,
} from './browser';
import { guestToken } from './api';

/** A tenant id no earlier run used: the emulator and the catalog live as long as the portal. */
const TENANT = `e2e-${Date.now().toString(36)}`;

async function catalogEntity(name: string, token: string) {
  const res = await fetch(
    `${BACKEND_URL}/api/catalog/entities/by-name/component/default/${name}`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  return res.ok ? res.json() : undefined;
}

/** Opens an entity picker, types, and chooses the option of that title. */
async function pick(page: Page, input: string, title: string) {
  await page.locator(input).click();
  await page.locator(input).fill(title);
  await page.getByRole('option', { name: title, exact: true }).click();
}

describe('the tenant template, run from the UI', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
    page = await signIn(browser);
  });
  after(async () => {
    if (page) await screenshot(page, 'template-last-state');
    await browser?.close();
  });

  it('provisions a tenant in the emulator and the tenant appears in the catalog', async () => {
    await page.goto(`${APP_URL}/create`);
    await page
      .getByText('Amazon Bedrock tenant')
      .first()
      .waitFor({ timeout: 120_000 });
    await page.goto(`${APP_URL}/create/templates/default/bedrock-tenant`);
    await page.locator('#root_tenantId').waitFor({ timeout: 120_000 });

    await page.locator('#root_tenantId').fill(TENANT);
    await page.locator('#root_title').fill('E2E tenant');
    await pick(page, '#root_owner', 'Docs');
    await pick(page, '#root_system', 'Knowledge');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Nova Lite').check();
    await page.getByRole('button', { name: 'Next' }).click();

    // minItems 1: the form starts with one e-mail field
    await page
      .locator('input[id^="root_notificationEmails"]')
      .first()
      .fill('team-docs@example.com');
    await page.getByRole('button', { name: 'Next' }).click();

    // the guardrail step: left at its defaults (no guardrail)
    await page.getByText('Add a Bedrock guardrail').first().waitFor();
    await page.getByRole('button', { name: 'Review' }).click();
    await screenshot(page, 'template-review');
    await page.getByRole('button', { name: 'Create' }).click();

    await page
      .getByText('Open the tenant in the catalog')
      .waitFor({ timeout: 180_000 });
    await screenshot(page, 'template-done');

    const token = await guestToken();
    const deadline = Date.now() + 240_000;
    let entity: any;
    while (
      !(entity = await catalogEntity(TENANT, token)) &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 5000));
    }
    assert.ok(
      entity,
      `component:default/${TENANT} did not appear in the catalog`,
    );
    const link = readTenantAnnotations(entity);
    assert.equal(link.kind, 'ok');
    if (link.kind === 'ok') {
      assert.equal(link.tenant.tenantId, TENANT);
      assert.equal(link.tenant.attribution, 'inference-profile');
      assert.deepEqual(Object.values(link.tenant.inferenceProfiles), [
        'amazon.nova-lite-v1:0',
      ]);
    }
    assert.equal(entity.spec.owner, 'group:default/team-docs');
  });
});
