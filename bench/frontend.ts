/*
 * Frontend benchmark, against a running portal (bash scripts/start.sh):
 * - the JavaScript the Bedrock tab loads lazily when it is opened, gzipped;
 * - the time from clicking the tab to the headline figures being shown.
 * Prints figures; asserts nothing.
 *
 *   node --import tsx bench/frontend.ts            # the dev server (unminified bundles)
 *   yarn workspace app build && E2E_APP_URL=http://localhost:7007 node --import tsx bench/frontend.ts
 *                                                  # the production bundle, served by the backend
 */
import { gzipSync } from 'node:zlib';
import { APP_URL, launchChromium, signIn } from '../e2e/browser';

const RUNS = 5;

async function main() {
  const browser = await launchChromium();
  const page = await signIn(browser);
  const times: number[] = [];
  let lazyBytes = 0;
  let lazyGzip = 0;
  let lazyFiles = 0;
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${APP_URL}/catalog/default/component/checkout-assistant`);
    const tab = page.getByRole('link', { name: 'Bedrock', exact: true });
    await tab.waitFor({ timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    const scripts: Array<Promise<Buffer>> = [];
    const onResponse = (res: any) => {
      if (res.request().resourceType() === 'script') scripts.push(res.body());
    };
    if (run === 0) page.on('response', onResponse);
    const t0 = Date.now();
    await tab.click();
    await page
      .getByTestId('headline-invocations')
      .waitFor({ timeout: 120_000 });
    await page
      .locator(
        '[data-testid="headline-invocations"][data-value]:not([data-value=""])',
      )
      .waitFor();
    times.push(Date.now() - t0);
    if (run === 0) {
      page.off('response', onResponse);
      for (const body of await Promise.all(scripts)) {
        lazyFiles++;
        lazyBytes += body.length;
        lazyGzip += gzipSync(body).length;
      }
    }
  }
  await browser.close();
  times.sort((a, b) => a - b);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  process.stdout.write(
    `portal: ${APP_URL}\n` +
      `lazy JavaScript loaded by the first opening of the Bedrock tab: ${lazyFiles} files, ${kib(
        lazyBytes,
      )}, ${kib(lazyGzip)} gzipped\n` +
      `tab click to headline figures shown, ${RUNS} runs: median ${
        times[Math.floor(RUNS / 2)]
      } ms, min ${times[0]} ms, max ${times[RUNS - 1]} ms\n`,
  );
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
