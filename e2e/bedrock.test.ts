import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import {
  DEMO_TENANTS,
  seededHours,
  seededTotalsByModel,
} from '@bedrock-tenancy/demo';
import { APP_URL, launchChromium, screenshot, signIn } from './browser';
import type { EnforcementPlan } from '@bedrock-tenancy/plugin-bedrock-common';
import {
  getJson,
  guestToken,
  rollup,
  seededAnchor,
  summary,
  waitForCollection,
} from './api';

const HOUR = 3_600_000;

/**
 * List prices of the demo's models, USD per 1,000 tokens (input, output), written by hand from
 * the price table: never computed by the code under test. Command R has no price: it must be
 * reported as unpriced, never as $0.
 */
const USD_PER_1K: Record<string, { in: number; out: number } | null> = {
  'anthropic.claude-3-haiku-20240307-v1:0': { in: 0.00025, out: 0.00125 },
  'anthropic.claude-3-5-sonnet-20240620-v1:0': { in: 0.003, out: 0.015 },
  'anthropic.claude-3-7-sonnet-20250219-v1:0': { in: 0.003, out: 0.015 },
  'amazon.nova-pro-v1:0': { in: 0.0008, out: 0.0032 },
  'amazon.nova-lite-v1:0': { in: 0.00006, out: 0.00024 },
  'amazon.titan-embed-text-v2:0': { in: 0.00002, out: 0 },
  'meta.llama3-1-8b-instruct-v1:0': { in: 0.00022, out: 0.00022 },
  'mistral.mistral-large-2402-v1:0': { in: 0.004, out: 0.012 },
  'cohere.command-r-v1:0': null,
};

/**
 * What the seed wrote for a tenant in [from, to), summed over models, and each model's cost:
 * token counts from the seed's generator, times the hand-written prices above.
 */
function seededTotals(tenantId: string, from: Date, to: Date) {
  const tenant = DEMO_TENANTS.find(t => t.tenantId === tenantId)!;
  const anchor = seededAnchor();
  const byModel = Object.values(seededTotalsByModel(tenant, anchor, from, to));
  const total = (k: keyof (typeof byModel)[number]) =>
    byModel.reduce((n, m) => n + m[k], 0);
  const costByModel: Record<string, number | null> = {};
  for (const model of tenant.models) {
    // the demo's model ids are base ids; the CloudWatch dimension may be a profile or `us.` id
    const price = USD_PER_1K[model.modelId];
    assert.notEqual(
      price,
      undefined,
      `no hand-written price for ${model.modelId}`,
    );
    const hours = seededHours(tenant, model, anchor, from, to);
    // the seed writes no datapoint for an hour without traffic (as AWS): no row, no model
    if (!hours.some(h => h.invocations || h.clientErrors)) continue;
    let cost = 0;
    for (const h of hours) {
      if (price)
        cost +=
          (h.inputTokens / 1000) * price.in +
          (h.outputTokens / 1000) * price.out;
    }
    costByModel[model.modelId] = price ? cost : null;
  }
  return {
    invocations: total('invocations'),
    inputTokens: total('inputTokens'),
    outputTokens: total('outputTokens'),
    clientErrors: total('clientErrors'),
    serverErrors: total('serverErrors'),
    throttles: total('throttles'),
    costByModel,
  };
}

const figure = (page: Page, testId: string) =>
  page.getByTestId(testId).first().getAttribute('data-value');

describe('Bedrock views against the seeded emulator', () => {
  let browser: Browser;
  let page: Page;
  let token: string;

  before(async () => {
    token = await guestToken();
    await waitForCollection(
      DEMO_TENANTS.map(t => t.tenantId),
      token,
    );
    browser = await launchChromium();
    page = await signIn(browser);
  });
  after(async () => {
    await browser?.close();
  });

  for (const tenant of DEMO_TENANTS) {
    it(`the API returns exactly the seeded usage and cost of ${tenant.tenantId}`, async () => {
      const to = seededAnchor();
      const from = new Date(to.getTime() - 7 * 24 * HOUR);
      // the backfill goes window by window: wait until it has reached the seed's last hour
      const deadline = Date.now() + 240_000;
      for (;;) {
        const until = (await summary(tenant.tenantId, 'range=7d', token))
          .freshness.dataUntil;
        if (until && Date.parse(until) >= to.getTime()) break;
        if (Date.now() > deadline) break;
        await new Promise(r => setTimeout(r, 3000));
      }
      const s = await summary(
        tenant.tenantId,
        `from=${from.toISOString()}&to=${to.toISOString()}`,
        token,
      );
      const want = seededTotals(tenant.tenantId, from, to);
      assert.equal(s.totals.invocations, want.invocations);
      assert.equal(s.totals.inputTokens, want.inputTokens);
      assert.equal(s.totals.outputTokens, want.outputTokens);
      assert.equal(s.totals.clientErrors, want.clientErrors);
      assert.equal(s.totals.serverErrors, want.serverErrors);
      assert.equal(s.totals.throttles, want.throttles);
      const cost = want.costByModel;
      assert.deepEqual(
        s.models.map(m => m.modelId).sort(),
        Object.keys(cost).sort(),
      );
      for (const m of s.models) {
        const expected = cost[m.modelId];
        if (expected === null) {
          assert.equal(m.priced, false, `${m.modelId} is reported as unpriced`);
          assert.equal(m.estimatedCostUsd, null);
        } else {
          assert.equal(m.priced, true, `${m.modelId} is priced`);
          assert.ok(
            Math.abs(m.estimatedCostUsd! - expected) < 1e-6,
            `${m.modelId}: cost ${m.estimatedCostUsd} != ${expected}`,
          );
        }
      }
      const values = Object.values(cost);
      if (values.includes(null)) assert.equal(s.totals.estimatedCostUsd, null);
      else {
        const sum = values.reduce((a, b) => a! + b!, 0)!;
        assert.ok(
          Math.abs(s.totals.estimatedCostUsd! - sum) < 1e-6,
          `total cost ${s.totals.estimatedCostUsd} != ${sum}`,
        );
      }
    });
  }

  it('the tab paints its figures from one API request and shows the same headline figures as the API, and follows the range', async () => {
    const bedrockRequests: string[] = [];
    const record = (r: { url(): string }) => {
      if (new URL(r.url()).pathname.startsWith('/api/bedrock/'))
        bedrockRequests.push(new URL(r.url()).pathname.toLowerCase());
    };
    page.on('request', record);
    await page.goto(
      `${APP_URL}/catalog/default/component/checkout-assistant/bedrock`,
    );
    await page
      .getByTestId('headline-invocations')
      .waitFor({ timeout: 120_000 });
    page.off('request', record);
    // every figure comes from the summary; the budget increases card asks for its own list
    assert.deepEqual(
      bedrockRequests.filter(p => !p.endsWith('/budget-increases')),
      ['/api/bedrock/entity/component/default/checkout-assistant/summary'],
    );
    assert.ok(bedrockRequests.length <= 2, bedrockRequests.join(', '));
    const api7d = await summary('checkout-assistant', 'range=7d', token);
    assert.equal(
      Number(await figure(page, 'headline-invocations')),
      api7d.totals.invocations,
    );
    assert.equal(
      Number(await figure(page, 'headline-input-tokens')),
      api7d.totals.inputTokens,
    );
    assert.equal(
      Number(await figure(page, 'headline-output-tokens')),
      api7d.totals.outputTokens,
    );
    assert.equal(
      Number(await figure(page, 'headline-throttles')),
      api7d.totals.throttles,
    );
    await screenshot(page, 'tab-7d-1280x800');

    await page.getByRole('button', { name: '30 d' }).click();
    const api30d = await summary('checkout-assistant', 'range=30d', token);
    assert.notEqual(api30d.totals.invocations, api7d.totals.invocations);
    await page
      .locator(
        `[data-testid="headline-invocations"][data-value="${api30d.totals.invocations}"]`,
      )
      .waitFor({ timeout: 60_000 });
    assert.equal(
      Number(await figure(page, 'headline-input-tokens')),
      api30d.totals.inputTokens,
    );

    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'tab-30d-1920x1080');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the overview card shows the month to date of the API', async () => {
    await page.goto(`${APP_URL}/catalog/default/component/docs-summarizer`);
    await page
      .getByTestId('overview-month-to-date')
      .waitFor({ timeout: 120_000 });
    const mtd = await summary('docs-summarizer', 'range=mtd', token);
    assert.equal(mtd.cost.status, 'ok');
    const shown = Number(await figure(page, 'overview-month-to-date'));
    if (mtd.cost.status === 'ok')
      assert.ok(Math.abs(shown - mtd.cost.data.monthToDateUsd) < 0.005);
    await screenshot(
      page,
      'overview-card',
      page.getByTestId('overview-month-to-date'),
    );
  });

  it('the Group card rolls up what the group and its child groups own, and leaves the children out on request', async () => {
    await page.goto(`${APP_URL}/catalog/default/group/commerce`);
    await page.getByTestId('group-total-tenants').waitFor({ timeout: 120_000 });
    // child groups are counted by default (bedrock.rollup.includeChildGroups)
    const all = await rollup('commerce', 'range=mtd', token);
    assert.equal(all.includeChildren, true);
    assert.equal(all.totals.tenants, 2); // checkout-assistant and support-bot
    await page
      .locator(
        `[data-testid="group-total-invocations"][data-value="${all.totals.invocations}"]`,
      )
      .waitFor({ timeout: 60_000 });
    assert.equal(Number(await figure(page, 'group-total-tenants')), 2);
    const counted = (await page.getByTestId('group-counted').textContent())!;
    for (const g of all.groups ?? [])
      assert.ok(
        counted.includes(g.replace(/^group:default\//, '')),
        `the card names ${g}: ${counted}`,
      );
    await screenshot(page, 'group-card');

    await page.getByLabel('Include child groups').uncheck();
    const own = await rollup(
      'commerce',
      'range=mtd&includeChildren=false',
      token,
    );
    await page
      .locator(
        `[data-testid="group-total-tenants"][data-value="${own.totals.tenants}"]`,
      )
      .waitFor({ timeout: 60_000 });
    await page.getByLabel('Include child groups').check();
  });

  it('the Group card downloads the chargeback CSV, whose total is the roll-up of the month', async () => {
    await page.goto(`${APP_URL}/catalog/default/group/commerce`);
    const card = page.getByTestId('group-chargeback');
    await card.waitFor({ timeout: 120_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const month = new Date().toISOString().slice(0, 7);
    assert.equal(
      download.suggestedFilename(),
      `bedrock-chargeback-default-commerce-${month}.csv`,
    );
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const header = lines[0].split(',');
    assert.equal(header[0], 'month');
    const total = lines.find(l => l.split(',')[1] === 'total')!.split(',');
    const mtd = await rollup('commerce', 'range=mtd', token);
    const col = (name: string) => total[header.indexOf(name)];
    assert.equal(Number(col('invocations')), mtd.totals.invocations);
    assert.ok(
      Math.abs(
        Number(col('estimated_cost_usd')) - mtd.totals.estimatedCostUsd,
      ) < 1e-5,
    );
    await screenshot(page, 'group-chargeback', card);
    // the CSV as a spreadsheet would show it, for the README
    const rows = lines
      .slice(0, 12)
      .map(
        l =>
          `<tr>${l
            .split(',')
            .map(
              c => `<td>${c.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</td>`,
            )
            .join('')}</tr>`,
      )
      .join('');
    const sheet = await browser.newPage();
    await sheet.setContent(
      `<style>body{font:12px sans-serif}td{border:1px solid #ccc;padding:2px 6px;white-space:nowrap}tr:first-child{font-weight:bold;background:#eee}</style><table>${rows}</table>`,
    );
    await screenshot(sheet, 'chargeback-csv');
    await sheet.close();
  });

  it('the tenant opted in to budget enforcement shows how far it is from the 100% that suspends it', async () => {
    // the demo's create action opted docs-summarizer in (role tag -> binding); the dry-run plan
    // (Bedrock admins: the guest is in the platform team) says what enforcement would do now
    let plan: EnforcementPlan | undefined;
    for (let i = 0; i < 60; i++) {
      plan = await getJson<EnforcementPlan>('/enforcement/plan', token);
      if (plan.tenants.some(t => t.tenantId === 'docs-summarizer')) break;
      await new Promise(r => setTimeout(r, 2000));
    }
    const docs = plan!.tenants.find(t => t.tenantId === 'docs-summarizer');
    assert.ok(docs, 'docs-summarizer is in the enforcement plan');
    assert.equal(plan!.tenants.length, 1);
    assert.deepEqual(docs.setting, {
      action: 'suspend',
      basis: 'actual',
      autoResume: true,
    });
    assert.equal(docs.decision, 'none');
    assert.equal(docs.suspended, false);
    assert.ok(
      docs.usedFraction! > 0.8 && docs.usedFraction! < 1,
      `past 80%, below 100%: ${docs.usedFraction}`,
    );
    await page.goto(
      `${APP_URL}/catalog/default/component/docs-summarizer/bedrock`,
    );
    const banner = page.getByTestId('enforcement-banner');
    await banner.waitFor({ timeout: 120_000 });
    assert.match(
      (await banner.textContent()) ?? '',
      /Budget enforcement is on: this tenant is suspended when its spend reaches 100% of its budget/,
    );
    await screenshot(page, 'enforcement-banner', banner);
  });

  it('an owned entity without the annotations is listed as such on its group', async () => {
    await page.goto(`${APP_URL}/catalog/default/group/team-checkout`);
    const unannotated = page.getByTestId('group-unannotated');
    await unannotated.waitFor({ timeout: 120_000 });
    assert.match(
      (await unannotated.textContent()) ?? '',
      /Checkout web|checkout-web/,
    );
  });
});
