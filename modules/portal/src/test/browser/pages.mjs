// Renders portal pages in real headless Chromium (Debian's: playwright-core never downloads a browser) and writes
// what it saw; the JUnit test that starts the real server and portal (PagesInChromiumTest) decides what is wrong.
//
//   node pages.mjs <pages.json>
//
// pages.json: { "base": "https://127.0.0.1:<port>", "out": "<directory>", "chromium": "<binary>",
//               "pages": [ { "name": "overview", "path": "/overview", "cookies": "xt_session=…",
//                            "form": [["csrf", "…"], ["name", "…"]] }, … ] }
// A page with a "form" is the answer to that form POSTed to its path (a confirmation, a form shown again with errors).
//
// For each page, one browser launch for all of them:
// 1. with JavaScript ON (and the page's Content-Security-Policy bypassed so that axe-core can be injected): the page
//    is loaded from the server (its HTML kept as <out>/<name>.html) and axe-core runs at 1280 px wide (WCAG 2.0, 2.1
//    and 2.2 A and AA rules and best practices), then at 390 px the rules whose outcome depends on the layout;
// 2. with JavaScript OFF: the same response (not requested again: a POST would act twice) is rendered, its content
//    and forms are read, and full-page screenshots at 1280 and 390 px are written to <out>/<name>-<width>.png.
// <out>/report.json holds, per page: status, violations (id, impact, help, targets), and what the JavaScript-less
// rendering showed (scripts, inline handlers, javascript: URLs, forms without a plain method and action, the main
// region's text length, the h1, the document's width beyond the viewport at 390 px).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 390];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
// at the narrow width only the rules whose outcome depends on the layout run again (all of them take seconds a page)
const NARROW_RULES = ['target-size', 'scrollable-region-focusable', 'meta-viewport', 'meta-viewport-large',
  'color-contrast', 'link-in-text-block', 'region', 'landmark-one-main'];

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
mkdirSync(config.out, { recursive: true });

function cookiesOf(header, base) {
  return (header ?? '').split(';').map((pair) => pair.trim()).filter((pair) => pair.includes('=')).map((pair) => {
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base, secure: true };
  });
}

async function newContext(browser, javaScriptEnabled) {
  const context = await browser.newContext({
    // the server's CA is made at its first start; trusting it in Chromium would need a certificate database
    ignoreHTTPSErrors: true,
    javaScriptEnabled,
    // the portal's CSP forbids every script, axe-core's too; only the JavaScript-on pass bypasses it
    bypassCSP: javaScriptEnabled,
    viewport: { width: WIDTHS[0], height: 900 },
    deviceScaleFactor: 1,
  });
  return context;
}

/** The context's one tab, with exactly this page's cookies. */
async function prepare(context, page) {
  await context.clearCookies();
  await context.addCookies(cookiesOf(page.cookies, config.base));
  const [tab] = context.pages();
  await tab.unrouteAll();
  await tab.setViewportSize({ width: WIDTHS[0], height: 900 });
  return tab;
}

/** Loads the page from the server (a GET, or the form POSTed); the navigation's response. */
async function load(tab, page) {
  const url = config.base + page.path;
  if (page.form) {
    await tab.route((target) => target.href === url, (route) => route.request().isNavigationRequest()
      ? route.continue({
        method: 'POST',
        postData: new URLSearchParams(page.form).toString(),
        headers: { ...route.request().headers(), 'content-type': 'application/x-www-form-urlencoded' },
      })
      : route.continue(), { times: 1 });
  }
  return tab.goto(url, { waitUntil: 'load' });
}

async function axeAt(tab, width, runOnly) {
  await tab.setViewportSize({ width, height: 900 });
  const result = await tab.evaluate((only) => window.axe.run(document, {
    runOnly: only, resultTypes: ['violations'],
  }), runOnly);
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    width,
    targets: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`
      .replace(/\s+/g, ' ').slice(0, 300)),
  }));
}

/** What the page is without JavaScript: read in a context where no script of the page can run. */
function withoutJavaScript() {
  const main = document.querySelector('main');
  const handlers = [...document.querySelectorAll('*')].flatMap((element) => [...element.attributes]
    .filter((attribute) => attribute.name.startsWith('on')).map((attribute) => `${element.tagName} ${attribute.name}`));
  const javascriptUrls = [...document.querySelectorAll('[href], [src], [action], [formaction]')]
    .filter((element) => ['href', 'src', 'action', 'formaction'].some((name) =>
      (element.getAttribute(name) ?? '').trim().toLowerCase().startsWith('javascript:')))
    .map((element) => element.outerHTML.slice(0, 120));
  const forms = [...document.forms].map((form) => ({
    method: (form.getAttribute('method') ?? '').toLowerCase(),
    action: form.getAttribute('action') ?? '',
    submits: form.querySelectorAll('button:not([type="button"]):not([type="reset"]), input[type="submit"]').length,
  }));
  return {
    title: document.title,
    h1: document.querySelector('h1')?.textContent.trim() ?? '',
    mainText: main ? main.innerText.trim().length : 0,
    scripts: document.querySelectorAll('script').length,
    handlers,
    javascriptUrls,
    // a form that works without JavaScript: GET or POST, somewhere to go, and a button to send it
    brokenForms: forms.filter((form) => !['get', 'post'].includes(form.method) || form.action === ''
      || form.submits === 0),
    forms: forms.length,
    stylesheets: document.styleSheets.length,
  };
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const report = [];
const live = await newContext(browser, true);
const still = await newContext(browser, false);
await live.newPage();
await still.newPage();
try {
  for (const page of config.pages) {
    const entry = { name: page.name, path: page.path, method: page.form ? 'POST' : 'GET' };
    report.push(entry);
    const started = Date.now();
    try {
      const tab = await prepare(live, page);
      const response = await load(tab, page);
      entry.status = response.status();
      entry.url = tab.url().replace(config.base, '');
      const body = await response.body();
      const headers = response.headers();
      writeFileSync(path.join(config.out, `${page.name}.html`), body);
      await tab.evaluate(AXE);
      entry.violations = [
        ...await axeAt(tab, WIDTHS[0], { type: 'tag', values: AXE_TAGS }),
        ...await axeAt(tab, WIDTHS[1], { type: 'rule', values: NARROW_RULES }),
      ];

      const shot = await prepare(still, page);
      // the very response axe-core saw, rendered again with JavaScript off; the stylesheet comes from the server
      await shot.route((target) => target.href === config.base + entry.url, (route) => route.fulfill({ status: entry.status, headers, body }),
        { times: 1 });
      await shot.goto(config.base + entry.url, { waitUntil: 'load' });
      entry.static = await shot.evaluate(withoutJavaScript);
      entry.screenshots = [];
      for (const width of WIDTHS) {
        await shot.setViewportSize({ width, height: 900 });
        const overflow = await shot.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        entry.static[`overflowAt${width}`] = overflow;
        const file = path.join(config.out, `${page.name}-${width}.png`);
        await shot.screenshot({ path: file, fullPage: true });
        entry.screenshots.push(file);
      }
    } catch (error) {
      entry.error = String(error?.stack ?? error).slice(0, 2000);
    }
    entry.millis = Date.now() - started;
    process.stdout.write(`${page.name}: ${entry.status ?? 'error'}, ${entry.violations?.length ?? '?'} violation(s), `
      + `${entry.millis} ms\n`);
  }
} finally {
  await browser.close();
  writeFileSync(path.join(config.out, 'report.json'), JSON.stringify(report, null, 2));
}
