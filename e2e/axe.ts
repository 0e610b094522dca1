import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, injected into the page under test (no network, no CDN). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0 and 2.1 at levels A and AA, and axe's best practices (heading order, landmarks). */
export const AXE_TAGS = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'best-practice',
];

/** Where the suite's own views start in the DOM (each view's root carries the attribute). */
export const SUITE_ROOT = '[data-bedrock-view]';

export interface AxeFinding {
  rule: string;
  impact: string | null;
  help: string;
  /** axe's CSS path of the element */
  target: string;
  html: string;
  /** inside one of the suite's views (a failure), or in Backstage's page around it */
  ours: boolean;
}

/**
 * Runs axe over the whole page, so contrast and heading order are judged in the page's real
 * context, and says for each failing element whether it sits inside one of the suite's views.
 * Backstage's own page chrome is outside every view; its findings are reported, not failed.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  return page.evaluate(
    async ({ tags, root }) => {
      const axe = (window as any).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      const findings: AxeFinding[] = [];
      for (const v of result.violations) {
        for (const node of v.nodes) {
          const selector = node.target[node.target.length - 1];
          const el =
            typeof selector === 'string'
              ? document.querySelector(selector)
              : null;
          findings.push({
            rule: v.id,
            impact: v.impact,
            help: v.help,
            target: JSON.stringify(node.target),
            html: node.html.slice(0, 200),
            ours: Boolean(el?.closest(root)),
          });
        }
      }
      return findings;
    },
    { tags: AXE_TAGS, root: SUITE_ROOT },
  );
}

/** One line per finding, for the test's output and the failure message. */
export const describeFindings = (findings: AxeFinding[]) =>
  findings
    .map(
      f =>
        `  ${f.rule} (${f.impact}): ${f.help}\n    ${f.target}\n    ${f.html}`,
    )
    .join('\n');
