// End to end in real headless Chromium: the real agent endpoint (Java, from the collector's build) with its SQLite
// file, this extension loaded unpacked, pages served on 127.0.0.1 under *.test names, tabs switched with
// bringToFront, and the stored web spans read back from the agent.
//
// Needs: Chromium at /usr/lib/chromium/chromium (or XT_CHROMIUM), java, the collector built
// (mvn -B -pl modules/collector -am package -DskipTests; ./test does it), and write access to
// /etc/chromium/policies/managed (root) for the managed policy. Without them the test is skipped, or with
// XT_REQUIRE_ALL=1 it fails naming what is missing.

/* global chrome -- functions passed to evaluate() run in the extension's service worker */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extensionIdFromKey } from '../tools/extension-id.mjs';

const EXTENSION_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO = path.resolve(EXTENSION_DIR, '..');
const TARGET = path.join(REPO, 'modules/collector/target');
const CHROMIUM = process.env.XT_CHROMIUM ?? '/usr/lib/chromium/chromium';
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(POLICY_DIR, 'xentracker-e2e-test.json');
const EXTENSION_ID = extensionIdFromKey(JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8')).key);
// Chromium's managed policy is not visible to the extension for about 3 to 5 s after start.
const POLICY_TIMEOUT_MS = 20_000;
const ROWS_TIMEOUT_MS = 10_000;

function missingPrerequisites() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM}; apt-get install chromium)`);
  if (spawnSync('java', ['-version']).status !== 0) missing.push('java');
  for (const file of ['classes/com/xentracker/collector/browser/BrowserEndpoint.class',
    'test-classes/com/xentracker/collector/browser/EndpointHarness.class', 'modules']) {
    if (!existsSync(path.join(TARGET, file))) {
      missing.push(`the collector build (${file}; mvn -B -pl modules/collector -am package -DskipTests)`);
      break;
    }
  }
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
  } catch {
    missing.push(`write access to ${POLICY_DIR} (run as root)`);
  }
  return missing;
}

/** Another policy file for this extension would be merged with the test's and change what it tests. */
function foreignPolicies() {
  if (!existsSync(POLICY_DIR)) return [];
  return readdirSync(POLICY_DIR).map((name) => path.join(POLICY_DIR, name))
    .filter((file) => file !== POLICY_FILE && readFileSync(file, 'utf8').includes(EXTENSION_ID));
}

const missing = missingPrerequisites();
if (missing.length > 0 && process.env.XT_REQUIRE_ALL === '1') {
  test('browser end-to-end prerequisites', () => {
    assert.fail(`XT_REQUIRE_ALL=1 but missing: ${missing.join(', ')}`);
  });
}
const skip = missing.length > 0 ? `missing: ${missing.join(', ')}` : false;

// ---- fixtures ----------------------------------------------------------------------------------------------------

/** The agent endpoint as a process (EndpointHarness), with `dump` to read its web_spans rows. */
async function startAgent(dir, ...options) {
  const modulePath = [path.join(TARGET, 'classes'), path.join(TARGET, 'modules')].join(path.delimiter);
  const child = spawn('java', ['-p', modulePath,
    `--patch-module=com.xentracker.collector=${path.join(TARGET, 'test-classes')}`,
    '-m', 'com.xentracker.collector/com.xentracker.collector.browser.EndpointHarness',
    '--db', path.join(dir, 'web-spans.db'), '--extension-id', EXTENSION_ID, ...options],
  { stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(line));
  child.on('exit', () => waiting.splice(0).forEach((w) => w.reject(new Error(`agent exited:\n${log}`))));
  const nextLine = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const first = await nextLine();
  const port = Number(first.match(/^listening (\d+)$/)?.[1]);
  assert.ok(port > 0, `agent did not start: ${first}\n${log}`);
  return {
    port,
    async rows() {
      child.stdin.write('dump\n');
      return JSON.parse(await nextLine());
    },
    async stop() {
      child.stdin.end('quit\n');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/** Pages on 127.0.0.1; Chromium reaches them as http://<name>.test:<port>/ through its host resolver rules. */
async function startWebServer() {
  const requests = [];
  const server = http.createServer((request, response) => {
    requests.push({ host: request.headers.host, url: request.url });
    const name = request.url.split('?')[0].split('/').pop() || 'index';
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><title>Page ${name}</title><p>${name}</p>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, requests, close: () => new Promise((r) => server.close(r)) };
}

async function launchBrowser(profileDir) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`, '--no-sandbox',
      '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP *.test 127.0.0.1'],
  });
  const isOurs = (worker) => worker.url().startsWith(`chrome-extension://${EXTENSION_ID}/`);
  if (!context.serviceWorkers().some(isOurs)) await context.waitForEvent('serviceworker', { predicate: isOurs });
  const worker = () => context.serviceWorkers().find(isOurs);
  return {
    context,
    worker,
    state: () => worker().evaluate(async () => (await chrome.storage.session.get('xentracker')).xentracker),
  };
}

function writePolicy(values) {
  writeFileSync(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: values } } }));
}

function removePolicy() {
  rmSync(POLICY_FILE, { force: true });
}

async function until(what, check, timeoutMs, diagnose = async () => '') {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ${await diagnose().catch((e) => e.message)}`);
}

/** The domains of the rows in order, consecutive repeats folded. */
function domainSequence(rows) {
  return rows.map((row) => row.domain).filter((domain, i, all) => i === 0 || all[i - 1] !== domain);
}

function startsWith(sequence, prefix) {
  return prefix.every((value, i) => sequence[i] === value);
}

const body = (domain) => JSON.stringify({ browser: { name: 'Chromium', version: '1' },
  events: [{ at: new Date().toISOString(), state: 'active', tab: { domain, audible: false } }] });

// ---- the tests ---------------------------------------------------------------------------------------------------

describe('browser extension end to end', { skip, concurrency: false }, () => {
  let work;
  let web;
  before(async () => {
    assert.deepEqual(foreignPolicies(), [], 'other managed policy files configure this extension: remove them');
    work = mkdtempSync(path.join(tmpdir(), 'xentracker-e2e-'));
    web = await startWebServer();
    process.on('exit', removePolicy); // even when a test dies half-way
  });
  after(async () => {
    removePolicy();
    await web?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('default reporting: domains only; web pages, rebinding and incognito are refused', async () => {
    const agent = await startAgent(mkdtempSync(path.join(work, 'agent-')));
    // the only managed setting: where the agent listens (a free port, not the default)
    writePolicy({ agentPort: agent.port });
    const browser = await launchBrowser(mkdtempSync(path.join(work, 'profile-')));
    const diagnose = async () => {
      const { lastEvent, delivery, policySource } = await browser.state();
      return `dbg: ${JSON.stringify(await browser.worker().evaluate(() => globalThis.dbg))} rows: ${JSON.stringify((await agent.rows()).map((r) => [r.domain, r.url, r.open]))}; extension: `
        + JSON.stringify({ policySource, lastEvent, delivery: { ...delivery, backlog: delivery.backlog.length } });
    };
    try {
      await until('the managed policy in the extension',
        async () => (await browser.state())?.policySource === 'managed', POLICY_TIMEOUT_MS);
      const state = await browser.state();
      assert.equal(state.policy.agentPort, agent.port);
      assert.equal(state.policy.reportFullUrls, false);

      const alpha = browser.context.pages()[0] ?? await browser.context.newPage();
      await alpha.goto(`http://alpha.test:${web.port}/page/alpha?q=private#top`);
      const beta = await browser.context.newPage();
      await beta.goto(`http://beta.test:${web.port}/page/beta`);
      await alpha.bringToFront();
      await until('alpha again', async () => startsWith(domainSequence(await agent.rows()),
        ['alpha.test', 'beta.test', 'alpha.test']), ROWS_TIMEOUT_MS, diagnose);
      await beta.bringToFront();
      const rows = await until('alpha, beta, alpha, beta', async () => {
        const all = await agent.rows();
        return startsWith(domainSequence(all), ['alpha.test', 'beta.test', 'alpha.test', 'beta.test']) && all;
      }, ROWS_TIMEOUT_MS, diagnose);
      for (const row of rows) {
        assert.equal(row.url, null, 'no URL by default');
        assert.equal(row.title, null, 'no title by default');
        assert.equal(row.state, 'ACTIVE');
        assert.equal(row.browser, 'Chromium');
        assert.ok(Date.parse(row.end) >= Date.parse(row.start));
      }
      assert.ok(rows.slice(0, -1).every((row) => !row.open), 'switching tabs closed the earlier spans');

      // An ordinary web page's script posting to the agent: JSON needs a CORS preflight, which the agent refuses
      // without CORS headers; a "simple" no-cors POST reaches the agent and is refused for its Origin.
      const agentUrl = `http://127.0.0.1:${agent.port}/v1/browser/events`;
      const outcomes = await alpha.evaluate(async ({ url, json }) => {
        const results = {};
        try {
          const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json });
          results.json = `answered ${response.status}`;
        } catch (error) {
          results.json = `failed: ${error.name}`;
        }
        try {
          const response = await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: json });
          results.simple = `opaque ${response.type}`;
        } catch (error) {
          results.simple = `failed: ${error.name}`;
        }
        return results;
      }, { url: agentUrl, json: body('page-attack.example') });
      assert.equal(outcomes.json, 'failed: TypeError', 'the page cannot call the agent');

      // DNS rebinding: a page whose name now resolves to 127.0.0.1, calling "its own" origin on the agent's port.
      const rebound = await browser.context.newPage();
      const landing = await rebound.goto(`http://rebind.test:${agent.port}/`);
      assert.equal(landing.status(), 421);
      const reboundStatus = await rebound.evaluate(async (json) => (await fetch('/v1/browser/events', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json })).status,
      body('rebind-attack.example'));
      assert.equal(reboundStatus, 421);
      // The same with the extension's own Origin forged by a local program: the Host still gives it away.
      const forged = await new Promise((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port: agent.port, method: 'POST', path: '/v1/browser/events',
          headers: { Host: `evil.example:${agent.port}`, Origin: `chrome-extension://${EXTENSION_ID}`,
            'Content-Type': 'application/json' } }, (response) => {
          response.resume();
          resolve({ status: response.statusCode, cors: Object.keys(response.headers).filter((h) => h.startsWith('access-control-')) });
        });
        request.on('error', reject);
        request.end(body('forged-host.example'));
      });
      assert.deepEqual(forged, { status: 421, cors: [] });
      await rebound.close();

      // An incognito window: the extension is not allowed there and must report nothing of it.
      await browser.worker().evaluate((url) => chrome.windows.create({ incognito: true, url }).then(() => true),
        `http://secret.test:${web.port}/page/secret`);
      await until('the incognito page to load', () => web.requests.some((r) => r.host.startsWith('secret.test')),
        ROWS_TIMEOUT_MS, diagnose);
      await new Promise((resolve) => setTimeout(resolve, 1000)); // time enough for a (wrong) report to arrive
      await alpha.bringToFront(); // a normal tab again: its report arrives after anything sent before
      const final = await until('alpha after the incognito window', async () => {
        const all = await agent.rows();
        return all.length > rows.length && all.at(-1).domain === 'alpha.test' && all;
      }, ROWS_TIMEOUT_MS, diagnose);

      const stored = final.map((row) => row.domain);
      for (const never of ['secret.test', 'page-attack.example', 'rebind-attack.example', 'forged-host.example']) {
        assert.ok(!stored.includes(never), `${never} must not be stored: ${stored}`);
      }
      // rebind.test was a tab the person looked at, reported like any other; what its script sent was not stored
      assert.deepEqual([...new Set(stored)].sort(), ['alpha.test', 'beta.test', 'rebind.test']);
      assert.match(final[0].browserVersion, /^\d+\.\d+/);

      // The employee's view: connection state and exactly what was reported.
      const popup = await browser.context.newPage();
      await popup.goto(`chrome-extension://${EXTENSION_ID}/popup/popup.html`);
      await until('the popup to render', async () => (await popup.textContent('#connection')).startsWith('Connected'),
        ROWS_TIMEOUT_MS, diagnose);
      assert.match(await popup.textContent('#fields'), /site \(domain\) of the active tab only/);
      assert.match(await popup.textContent('#agent-url'), new RegExp(`^http://127\\.0\\.0\\.1:${agent.port}/`));
      // opened as a tab, the popup page is itself the active tab now: an extension page, reported as no tab
      const shown = JSON.parse(await popup.textContent('#last-event'));
      assert.equal(shown.state, 'active');
      assert.equal(shown.tab, null);
    } finally {
      await browser.context.close();
      await agent.stop();
      removePolicy();
    }
  });

  test('a managed policy turning full URLs on stores full URLs, still without query or fragment', async () => {
    const agent = await startAgent(mkdtempSync(path.join(work, 'agent-')), '--full-urls');
    writePolicy({ agentPort: agent.port, reportFullUrls: true });
    const browser = await launchBrowser(mkdtempSync(path.join(work, 'profile-')));
    const diagnose = async () => {
      const { lastEvent, delivery, policySource } = await browser.state();
      return `dbg: ${JSON.stringify(await browser.worker().evaluate(() => globalThis.dbg))} rows: ${JSON.stringify((await agent.rows()).map((r) => [r.domain, r.url, r.open]))}; extension: `
        + JSON.stringify({ policySource, lastEvent, delivery: { ...delivery, backlog: delivery.backlog.length } });
    };
    try {
      await until('the full-URL policy in the extension',
        async () => (await browser.state())?.policy?.reportFullUrls === true, POLICY_TIMEOUT_MS);

      const alpha = browser.context.pages()[0] ?? await browser.context.newPage();
      await alpha.goto(`http://alpha.test:${web.port}/page/alpha?q=private#top`);
      const beta = await browser.context.newPage();
      await beta.goto(`http://beta.test:${web.port}/docs/page/beta`);
      await alpha.bringToFront();
      const rows = await until('alpha, beta, alpha with URLs', async () => {
        const all = (await agent.rows()).filter((row) => row.url !== null);
        return startsWith(domainSequence(all), ['alpha.test', 'beta.test', 'alpha.test']) && all;
      }, ROWS_TIMEOUT_MS, diagnose);
      assert.deepEqual(rows.map((row) => row.url).filter((url, i, all) => i === 0 || all[i - 1] !== url).slice(0, 3), [
        `http://alpha.test:${web.port}/page/alpha`,
        `http://beta.test:${web.port}/docs/page/beta`,
        `http://alpha.test:${web.port}/page/alpha`,
      ]);
      assert.ok(rows.every((row) => row.title === null), 'titles stay off');
    } finally {
      await browser.context.close();
      await agent.stop();
      removePolicy();
    }
  });
});
