// axe-core (the accessibility engine) injected into a page by the driver, which is not subject to
// the page's CSP; returns the serious and critical violations, described for an assertion message.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const source = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** `context` as axe.run takes it (default: the whole document). */
export async function seriousViolations(page, context = null) {
  await page.evaluate(`${source};0`);
  return page.evaluate(async (ctx) => {
    const result = await globalThis.axe.run(ctx ?? document, { resultTypes: ['violations'] });
    // An empty context (a selector that matched nothing) would "pass" without checking anything.
    if (result.passes.length === 0) return ['axe checked nothing: the context matched no element'];
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, context);
}
