// Launches Debian's Chromium headless through playwright-core for the
// browser tests, and the page helpers the browser tests share.  The flags
// keep Chromium off the network (this machine has none) and skip first-run
// work; --no-sandbox because tests run as root.  The accessibility check
// is axe-core (npm), a checker nobody here wrote.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

// Pages in fresh Swedish browser contexts whose console errors, page errors,
// CSP violations and dialogs are collected in `problems`; a test file ends
// by asserting it is empty.  `expectedError` is a RegExp while a step
// provokes console errors on purpose (Chromium logs failed requests as
// console errors), null otherwise.  `contextOptions` apply to every context.
export class WatchedPages {
  constructor(browser, contextOptions = {}) {
    this.browser = browser;
    this.contextOptions = contextOptions;
    this.problems = [];
    this.expectedError = null;
  }

  watch(page, name) {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (this.expectedError && this.expectedError.test(text)) return;
      this.problems.push(`${name} console: ${text}`);
    });
    page.on('pageerror', (err) => this.problems.push(`${name} pageerror: ${err.message}`));
    page.on('dialog', async (d) => {
      this.problems.push(`${name} dialog: ${d.message()}`);
      await d.dismiss();
    });
  }

  // A watched page named `name` (in problem reports) in a new context; { ctx, page }.
  async newPage(options, name) {
    const ctx = await this.browser.newContext({ locale: 'sv-SE', ...this.contextOptions, ...options });
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const page = await ctx.newPage();
    this.watch(page, name);
    return { ctx, page };
  }
}

// Sets a marker that a reload would wipe; assertNotReloaded checks it is still there.
export async function mark(page) {
  await page.evaluate(() => {
    window.inspelTestMarker = 'still-here';
  });
}

export async function assertNotReloaded(page) {
  assert.equal(await page.evaluate(() => window.inspelTestMarker), 'still-here', 'the page was reloaded');
}

// Loads axe-core into every page of `ctx` before the page's own scripts.
// An init script, because the pages' CSP (script-src 'self') refuses the
// inline <script> that page.addScriptTag would add.
export async function withAxe(ctx) {
  await ctx.addInitScript({ path: AXE_SOURCE });
}

// Runs axe's WCAG 2.1 A/AA and best-practice rules on the page as it is
// now (in a context set up with withAxe) and fails on any violation, naming
// each rule and the elements it found.  `what` names the state in messages.
export async function assertAccessible(page, what) {
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')}`);
  }, AXE_TAGS);
  assert.deepEqual(violations, [], `${what}:\n${violations.join('\n')}`);
}
