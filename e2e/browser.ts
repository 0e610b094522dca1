import { Browser, chromium, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const APP_URL = process.env.E2E_APP_URL ?? 'http://localhost:3000';
export const BACKEND_URL =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
export const SCREENSHOTS = resolve(__dirname, '../artifacts/screenshots');

/** Debian's chromium, never a browser downloaded by a tool. Flags keep it off the network. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Opens the portal and signs in as the demo guest (a Bedrock admin), or with `member` as Grace
 * (team-support, not an admin): the sign-in page's guest button is then answered with the local
 * portal's second sign-in (`auth.providers.guest-member`), a real token of hers.
 */
export async function signIn(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
  options: { member?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  if (options.member) {
    await page.route('**/api/auth/guest/refresh**', async route => {
      const res = await fetch(`${BACKEND_URL}/api/auth/guest-member/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      await route.fulfill({
        status: res.status,
        contentType: 'application/json',
        body: await res.text(),
      });
    });
  }
  await page.goto(APP_URL);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor({ timeout: 120_000 });
  await enter.click();
  await enter.waitFor({ state: 'detached', timeout: 60_000 });
  return page;
}

/**
 * Saves a screenshot of the page, or with `focus`, of the viewport scrolled to that element
 * (Backstage pages scroll inside their content area, which a full-page shot does not follow).
 */
export async function screenshot(page: Page, name: string, focus?: Locator) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (focus) await focus.scrollIntoViewIfNeeded();
  const path = resolve(SCREENSHOTS, `${name}.png`);
  try {
    await page.screenshot({ path, fullPage: !focus });
  } catch (e) {
    // a full-page capture of a busy page has hung Chromium's compositor on a loaded CI machine
    // (30 s timeout): the screenshot is evidence, not an assertion, so the viewport is taken
    // instead, once
    if ((e as Error).name !== 'TimeoutError') throw e;
    await page.screenshot({ path, fullPage: false, timeout: 60_000 });
  }
}
