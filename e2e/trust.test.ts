import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { GroupRollup } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  APP_URL,
  BACKEND_URL,
  launchChromium,
  screenshot,
  signIn,
} from './browser';
import { guestToken, memberToken, waitForCollection } from './api';

/** examples/impostor.yaml: team-support's copy of checkout-assistant's annotations. */
const IMPOSTOR = 'checkout-assistant-impostor';

const call = (path: string, token: string, method = 'GET') =>
  fetch(`${BACKEND_URL}/api/bedrock${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });

describe('trust model: an entity copying a tenant gets nothing', () => {
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

  it("a team member reading his team's copy gets the unverified state, no figures, and no refresh", async () => {
    const token = await memberToken();
    const copy = await call(
      `/entity/component/default/${IMPOSTOR}/summary?range=7d`,
      token,
    );
    assert.equal(copy.status, 409);
    const body = await copy.json();
    // printed for the record of how the copy looks to a team member
    console.log(
      `member GET copy summary: ${copy.status} ${body.error.name}: ${body.error.message}`,
    );
    assert.equal(body.error.name, 'UnverifiedTenantError');
    // the demo's catalog is readable by everyone, so the holder is named (a caller who cannot
    // read it is told "an entity you cannot see": src/service/entityAccess.test.ts)
    assert.match(
      body.error.message,
      /It is bound to component:default\/checkout-assistant/,
    );
    assert.equal(body.totals, undefined);
    // he may not read the real tenant at all
    const real = await call(
      '/entity/component/default/checkout-assistant/summary?range=7d',
      token,
    );
    assert.equal(real.status, 403);
    console.log(`member GET real checkout-assistant summary: ${real.status}`);
    const refresh = await call(
      `/entity/component/default/${IMPOSTOR}/refresh`,
      token,
      'POST',
    );
    assert.equal(refresh.status, 409);
    console.log(`member POST copy refresh: ${refresh.status}`);
    const rollup = (await (
      await call('/group/default/team-support/rollup?range=7d', token)
    ).json()) as GroupRollup;
    assert.deepEqual(
      rollup.tenants.map(t => t.entityRef),
      ['component:default/support-bot'],
    );
    assert.equal(rollup.totals.tenants, 1);
    console.log(
      `member team-support roll-up: tenants ${JSON.stringify(
        rollup.tenants.map(t => t.entityRef),
      )}, totals ${JSON.stringify(rollup.totals)}, unverified ${JSON.stringify(
        rollup.unverified,
      )}`,
    );
    assert.deepEqual(
      rollup.unverified.map(u => u.entityRef),
      [`component:default/${IMPOSTOR}`],
    );
  });

  it('the entity page shows "Unverified tenant" and no figures', async () => {
    await page.goto(`${APP_URL}/catalog/default/component/${IMPOSTOR}/bedrock`);
    const state = page.getByTestId('bedrock-unverified').first();
    await state.waitFor({ timeout: 120_000 });
    const text = await state.innerText();
    assert.match(text, /Unverified tenant/);
    assert.match(text, /bound to component:default\/checkout-assistant/);
    assert.match(text, /bedrock-tenant-lifecycle/);
    assert.equal(await page.getByTestId('headline-invocations').count(), 0);
    await screenshot(page, 'unverified-tenant');
  });

  it('the Group card lists the copy apart, never in the totals', async () => {
    await page.goto(`${APP_URL}/catalog/default/group/team-support`);
    const unverified = page.getByTestId('group-unverified');
    await unverified.waitFor({ timeout: 120_000 });
    assert.match(
      await unverified.innerText(),
      /Checkout assistant \(impostor copy\)/,
    );
    assert.equal(
      await page
        .getByTestId('group-total-tenants')
        .first()
        .getAttribute('data-value'),
      '1',
    );
    await screenshot(page, 'group-unverified', unverified);
  });
});
