// End to end with the real agent: a real X server (Xvfb + openbox), the real Xentracker server (embedded
// PostgreSQL) to enroll the agent and set the organization's policy, the real agent (`AgentMain run`, its JVM flags)
// observing that display, and Chromium HEADED on it with this extension, so that the agent's X11 probe sees
// Chromium in the foreground. Pages served on 127.0.0.1 under *.test names are switched with bringToFront, and the
// agent's own SQLite buffer is read back: spans of the foreground browser carry the active tab's domain, and the
// full URL only when the managed browser policy sends it AND the organization's policy collects URLs.
//
// Needs: Chromium at /usr/lib/chromium/chromium (or XT_CHROMIUM), java, Xvfb, openbox, xdotool, sqlite3, the build
// outputs of `mvn -B verify` (modules/collector/target and modules/portal/target: jars and their modules/
// directories; ./test runs it first) and write access to /etc/chromium/policies/managed (root) for the managed
// policy. Without them the test is skipped, or with XT_REQUIRE_ALL=1 it fails naming what is missing.

/* global chrome -- functions passed to evaluate() run in the extension's service worker */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extensionIdFromKey } from '../tools/extension-id.mjs';

const EXTENSION_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO = path.resolve(EXTENSION_DIR, '..');
const COLLECTOR = path.join(REPO, 'modules/collector/target');
const PORTAL = path.join(REPO, 'modules/portal/target');
const CHROMIUM = process.env.XT_CHROMIUM ?? '/usr/lib/chromium/chromium';
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = path.join(POLICY_DIR, 'xentracker-e2e-test.json');
const EXTENSION_ID = extensionIdFromKey(JSON.parse(readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8')).key);
// Chromium's managed policy is not visible to the extension for about 3 to 5 s after start.
const POLICY_TIMEOUT_MS = 20_000;
// The agent polls every second; a report reaches its span at the next poll.
const ROWS_TIMEOUT_MS = 15_000;
// First start of the server: extracts PostgreSQL, creates the database and the keys.
const SERVER_TIMEOUT_MS = 120_000;

/** The application jar of a Maven build output (not the tests jar). */
function jarIn(target, prefix) {
  if (!existsSync(target)) return undefined;
  const jar = readdirSync(target).find((name) => name.startsWith(prefix) && name.endsWith('.jar')
    && !name.endsWith('-tests.jar'));
  return jar && path.join(target, jar);
}

const AGENT_MODULE_PATH = [path.join(COLLECTOR, 'modules'), jarIn(COLLECTOR, 'xentracker-collector-')]
  .join(path.delimiter);
const SERVER_MODULE_PATH = [path.join(PORTAL, 'modules'), jarIn(PORTAL, 'xentracker-portal-')].join(path.delimiter);

function onPath(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

function missingPrerequisites() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM}; apt-get install chromium)`);
  if (spawnSync('java', ['-version']).status !== 0) missing.push('java');
  for (const [tool, apt] of [['Xvfb', 'xvfb'], ['openbox', 'openbox'], ['xdotool', 'xdotool'],
    ['sqlite3', 'sqlite3']]) {
    if (!onPath(tool)) missing.push(`${tool} (apt-get install ${apt})`);
  }
  for (const [target, prefix] of [[COLLECTOR, 'xentracker-collector-'], [PORTAL, 'xentracker-portal-']]) {
    if (!jarIn(target, prefix) || !existsSync(path.join(target, 'modules'))) {
      missing.push(`the build of ${path.relative(REPO, target)} (mvn -B verify, or package -DskipTests)`);
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

// ---- processes ---------------------------------------------------------------------------------------------------

const children = new Set();
process.on('exit', () => { // even when a test dies half-way: no stray X server, server or agent
  for (const child of children) child.kill('SIGKILL');
});

/** Starts a process we own; its output is kept for diagnostics. */
function start(command, args, env = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.add(child);
  child.output = '';
  child.stdout.on('data', (chunk) => { child.output += chunk; });
  child.stderr.on('data', (chunk) => { child.output += chunk; });
  child.on('exit', () => children.delete(child));
  return child;
}

/** SIGTERM (the agent closes its open span, the server stops PostgreSQL) and waits for the exit. */
async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

async function until(what, check, timeoutMs, diagnose = async () => '') {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ${await diagnose().catch((e) => e.message)}`);
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Xvfb on a free display (it picks and reports the number itself, as the Java tests' XServerExtension does). */
async function startX() {
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  children.add(xvfb);
  xvfb.on('exit', () => children.delete(xvfb));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: xvfb.stdout }).once('line', resolve);
    xvfb.once('exit', () => reject(new Error('Xvfb exited before reporting its display')));
  });
  const display = `:${line.trim()}`;
  const openbox = start('openbox', ['--sm-disable'], { DISPLAY: display });
  // openbox publishes _NET_CURRENT_DESKTOP once it manages the screen
  await until(`openbox to manage ${display}`,
    () => spawnSync('xdotool', ['get_desktop'], { env: { ...process.env, DISPLAY: display } }).status === 0,
    10_000, async () => openbox.output);
  return { display, xvfb, openbox };
}

/** Input resets the X idle counter, so that neither the agent nor chrome.idle takes the test's person for idle. */
function moveMouse(display) {
  const x = 100 + Math.floor(Math.random() * 500);
  spawnSync('xdotool', ['mousemove', String(x), '300'], { env: { ...process.env, DISPLAY: display } });
}

// ---- the Xentracker server and agent, as ./run starts them -------------------------------------------------------

const SERVER_MAIN = 'com.xentracker.server/com.xentracker.server.cli.ServerMain';
const AGENT_MAIN = 'com.xentracker.collector/com.xentracker.collector.cli.AgentMain';
// The agents are real processes on the real clock. Their zone is one where it is about noon now (a whole-hour
// offset, so no daylight-saving change): the agent splits spans at its midnights and `show --today` ends at one, and
// this run of a few minutes meets none, on any day at any time.
const NOON_OFFSET_HOURS = 12 - new Date().getUTCHours();
const AGENT_ZONE = `GMT${NOON_OFFSET_HOURS === 0 ? '' : (NOON_OFFSET_HOURS > 0 ? '+' : '-')
  + String(Math.abs(NOON_OFFSET_HOURS)).padStart(2, '0') + ':00'}`;
const AGENT_FLAGS = [...readFileSync(path.join(REPO, 'modules/collector/agent-jvm-flags'), 'utf8').split('\n')
  .map((line) => line.replace(/#.*/, '').trim()).filter((line) => line !== ''), `-Duser.timezone=${AGENT_ZONE}`];

/** `serve` on a fixed port (agents keep the address they enrolled with), writing a fresh enrollment token. */
async function startServer(dataDir, port, tokenFile) {
  const server = start('java', ['-p', SERVER_MODULE_PATH, '-m', SERVER_MAIN, 'serve', '--data-dir', dataDir,
    '--https-port', String(port), '--enrollment-token-file', tokenFile]);
  await until('the server to start', () => {
    if (server.exitCode !== null) assert.fail(`the server exited:\n${server.output}`);
    return server.output.includes('Xentracker server is running');
  }, SERVER_TIMEOUT_MS, async () => server.output);
  return server;
}

/** A command that runs to completion (enroll, policy, status, show); fails with its output on a non-zero exit. */
function runJava(modulePath, main, args, env = {}) {
  const result = spawnSync('java', [...(main === AGENT_MAIN ? AGENT_FLAGS : []), '-p', modulePath, '-m', main,
    ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  assert.equal(result.status, 0, `${main} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function enroll(agentDir, serverDir, port, tokenFile) {
  runJava(AGENT_MODULE_PATH, AGENT_MAIN, ['enroll', '--data-dir', agentDir, '--server', `https://127.0.0.1:${port}`,
    '--server-ca', path.join(serverDir, 'tls/ca.pem'), '--token-file', tokenFile]);
}

/** Rows of the agent's buffer, read through sqlite3 while the agent writes (WAL): closed spans, then the open one. */
function spans(agentDir) {
  const file = path.join(agentDir, 'buffer.db');
  if (!existsSync(file)) return [];
  const result = spawnSync('sqlite3', ['-readonly', '-json', file, `
    SELECT * FROM (SELECT id, start_ns, end_ns, state, application, domain, url, 0 AS open FROM span
                   UNION ALL SELECT 1e18, start_ns, end_ns, state, application, domain, url, 1 FROM open_span)
    ORDER BY open, id`], { encoding: 'utf8' });
  assert.equal(result.status, 0, `sqlite3: ${result.stderr}`);
  return result.stdout.trim() === '' ? [] : JSON.parse(result.stdout);
}

function agentState(agentDir) {
  const file = path.join(agentDir, 'buffer.db');
  if (!existsSync(file)) return undefined;
  const result = spawnSync('sqlite3', ['-readonly', '-json', file,
    'SELECT browser_listening, browser_detail, browser_last_report_ns FROM agent_state'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '' ? JSON.parse(result.stdout)[0] : undefined;
}

/** `AgentMain run` with the agent's JVM flags on the X display, its browser endpoint on `port`. */
async function startAgent(agentDir, display, port) {
  const agent = start('java', [...AGENT_FLAGS, '-p', AGENT_MODULE_PATH, '-m', AGENT_MAIN, 'run', '--data-dir', agentDir,
    '--browser-endpoint-port', String(port), '--upload-interval', '2s'], { DISPLAY: display });
  await until('the agent and its browser endpoint', () => {
    if (agent.exitCode !== null) assert.fail(`the agent exited:\n${agent.output}`);
    return agentState(agentDir)?.browser_listening === 1;
  }, 30_000, async () => agent.output);
  return agent;
}

/** The domains of the browser's spans in order, consecutive repeats folded (spans without a page left out). */
function domainSequence(rows) {
  return rows.map((row) => row.domain).filter((domain) => domain !== null)
    .filter((domain, i, all) => i === 0 || all[i - 1] !== domain);
}

function lastDomain(rows) {
  return rows.filter((row) => row.domain !== null).at(-1)?.domain;
}

// ---- web pages and the browser -----------------------------------------------------------------------------------

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

/** Chromium headed on the test's X display, so that the agent's probe sees it as the foreground application. */
async function launchBrowser(profileDir, display) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: false,
    env: { ...process.env, DISPLAY: display },
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

const body = (domain) => JSON.stringify({ browser: { name: 'Chromium', version: '1' },
  events: [{ at: new Date().toISOString(), state: 'active', tab: { domain, audible: false } }] });

// ---- the tests ---------------------------------------------------------------------------------------------------

describe('browser extension end to end with the real agent', { skip, concurrency: false }, () => {
  let work;
  let web;
  let x;
  let server;
  let serverPort;
  const serverDir = () => path.join(work, 'server');
  const defaultAgentDir = () => path.join(work, 'agent-default-policy');
  const urlAgentDir = () => path.join(work, 'agent-url-policy');

  before(async () => {
    assert.deepEqual(foreignPolicies(), [], 'other managed policy files configure this extension: remove them');
    process.on('exit', removePolicy);
    work = mkdtempSync(path.join(tmpdir(), 'xentracker-e2e-'));
    web = await startWebServer();
    x = await startX();
    serverPort = await freePort();
    // First run: the organization with the default policy (domains only); one agent enrolls under it.
    server = await startServer(serverDir(), serverPort, path.join(work, 'token-1'));
    enroll(defaultAgentDir(), serverDir(), serverPort, path.join(work, 'token-1'));
    // The organization's administrator turns URL collection on (the server must be stopped for `policy`) ...
    await stop(server);
    const changed = runJava(SERVER_MODULE_PATH, SERVER_MAIN, ['policy', '--data-dir', serverDir(),
      '--collect-full-urls', 'true']);
    assert.match(changed, /collect-full-urls: +true/);
    // ... and a second agent enrolls under that policy (the enrollment response carries it).
    server = await startServer(serverDir(), serverPort, path.join(work, 'token-2'));
    enroll(urlAgentDir(), serverDir(), serverPort, path.join(work, 'token-2'));
    assert.equal(JSON.parse(readFileSync(path.join(urlAgentDir(), 'policy.json'), 'utf8')).collectFullUrls, true);
  });

  after(async () => {
    removePolicy();
    await stop(server);
    await stop(x?.openbox);
    x?.xvfb.kill('SIGTERM');
    await web?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('default reporting: the foreground browser\'s domains only; web pages, rebinding and incognito are refused',
    async () => {
      const agentDir = defaultAgentDir();
      const agentPort = await freePort();
      const agent = await startAgent(agentDir, x.display, agentPort);
      // the only managed setting: where the agent listens (a free port, not the default)
      writePolicy({ agentPort });
      moveMouse(x.display);
      const browser = await launchBrowser(mkdtempSync(path.join(work, 'profile-')), x.display);
      const diagnose = async () => {
        const { lastEvent, delivery, policySource } = await browser.state();
        return `rows: ${JSON.stringify(spans(agentDir).map((r) => [r.application, r.state, r.domain, r.url]))};`
          + ` extension: ${JSON.stringify({ policySource, lastEvent, delivery: { ...delivery,
            backlog: delivery.backlog.length } })}; agent log:\n${agent.output.slice(-3000)}`;
      };
      try {
        await until('the managed policy in the extension',
          async () => (await browser.state())?.policySource === 'managed', POLICY_TIMEOUT_MS);
        const state = await browser.state();
        assert.equal(state.policy.agentPort, agentPort);
        assert.equal(state.policy.reportFullUrls, false);

        const alpha = browser.context.pages()[0] ?? await browser.context.newPage();
        await alpha.goto(`http://alpha.test:${web.port}/page/alpha?q=private#top`);
        await alpha.bringToFront();
        await until('alpha', () => lastDomain(spans(agentDir)) === 'alpha.test', ROWS_TIMEOUT_MS, diagnose);
        const beta = await browser.context.newPage();
        await beta.goto(`http://beta.test:${web.port}/page/beta`);
        await beta.bringToFront();
        await until('beta', () => lastDomain(spans(agentDir)) === 'beta.test', ROWS_TIMEOUT_MS, diagnose);
        await alpha.bringToFront();
        await until('alpha again', () => lastDomain(spans(agentDir)) === 'alpha.test', ROWS_TIMEOUT_MS, diagnose);
        await beta.bringToFront();
        await until('beta again', () => lastDomain(spans(agentDir)) === 'beta.test', ROWS_TIMEOUT_MS, diagnose);

        const rows = spans(agentDir).filter((row) => row.domain !== null);
        assert.deepEqual(domainSequence(rows), ['alpha.test', 'beta.test', 'alpha.test', 'beta.test']);
        for (const row of rows) {
          assert.equal(row.url, null, 'no URL by default');
          assert.equal(row.state, 'ACTIVE');
          assert.match(row.application, /chromium/, 'web time is the foreground browser\'s time');
          assert.ok(row.end_ns >= row.start_ns);
        }
        assert.ok(rows.slice(0, -1).every((row) => row.open === 0), 'switching tabs closed the earlier spans');

        // Another application in front: the browser's tab is no longer browsing (the agent correlates both views).
        const xterm = start('xterm', ['-title', 'xt-e2e-other'], { DISPLAY: x.display });
        await until('xterm in the foreground', () => {
          const open = spans(agentDir).find((row) => row.open === 1);
          return open?.application === 'xterm' && open;
        }, ROWS_TIMEOUT_MS, diagnose).then((open) => assert.equal(open.domain, null));
        await stop(xterm);

        // An ordinary web page's script posting to the agent: JSON needs a CORS preflight, which the agent refuses
        // without CORS headers; a "simple" no-cors POST reaches the agent and is refused for its Origin.
        await alpha.bringToFront();
        const agentUrl = `http://127.0.0.1:${agentPort}/v1/browser/events`;
        const outcomes = await alpha.evaluate(async ({ url, json }) => {
          const results = {};
          try {
            const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
              body: json });
            results.json = `answered ${response.status}`;
          } catch (error) {
            results.json = `failed: ${error.name}`;
          }
          try {
            const response = await fetch(url, { method: 'POST', mode: 'no-cors',
              headers: { 'Content-Type': 'text/plain' }, body: json });
            results.simple = `opaque ${response.type}`;
          } catch (error) {
            results.simple = `failed: ${error.name}`;
          }
          return results;
        }, { url: agentUrl, json: body('page-attack.example') });
        assert.equal(outcomes.json, 'failed: TypeError', 'the page cannot call the agent');

        // DNS rebinding: a page whose name now resolves to 127.0.0.1, calling "its own" origin on the agent's port.
        const rebound = await browser.context.newPage();
        const landing = await rebound.goto(`http://rebind.test:${agentPort}/`);
        assert.equal(landing.status(), 421);
        const reboundStatus = await rebound.evaluate(async (json) => (await fetch('/v1/browser/events', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json })).status,
        body('rebind-attack.example'));
        assert.equal(reboundStatus, 421);
        // The same with the extension's own Origin forged by a local program: the Host still gives it away.
        const forged = await new Promise((resolve, reject) => {
          const request = http.request({ host: '127.0.0.1', port: agentPort, method: 'POST',
            path: '/v1/browser/events', headers: { Host: `evil.example:${agentPort}`,
              Origin: `chrome-extension://${EXTENSION_ID}`, 'Content-Type': 'application/json' } }, (response) => {
            response.resume();
            resolve({ status: response.statusCode,
              cors: Object.keys(response.headers).filter((h) => h.startsWith('access-control-')) });
          });
          request.on('error', reject);
          request.end(body('forged-host.example'));
        });
        assert.deepEqual(forged, { status: 421, cors: [] });
        await rebound.close();

        // An incognito window: the extension is not allowed there and must report nothing of it; Chromium is in
        // front, but the extension says its (normal) windows lost the focus, so the agent attaches no page.
        await browser.worker().evaluate((url) => chrome.windows.create({ incognito: true, url }).then(() => true),
          `http://secret.test:${web.port}/page/secret`);
        await until('the incognito page to load', () => web.requests.some((r) => r.host.startsWith('secret.test')),
          ROWS_TIMEOUT_MS, diagnose);
        await new Promise((resolve) => setTimeout(resolve, 2500)); // two polls: time enough for a (wrong) page
        await alpha.bringToFront(); // a normal tab again
        await until('alpha after the incognito window', () => {
          const open = spans(agentDir).find((row) => row.open === 1);
          return open?.domain === 'alpha.test';
        }, ROWS_TIMEOUT_MS, diagnose);

        const stored = spans(agentDir).map((row) => row.domain).filter((domain) => domain !== null);
        for (const never of ['secret.test', 'page-attack.example', 'rebind-attack.example', 'forged-host.example']) {
          assert.ok(!stored.includes(never), `${never} must not be stored: ${stored}`);
        }
        // rebind.test was a tab the person looked at (reported like any other, if a poll caught it); what its
        // script sent was not stored
        assert.deepEqual([...new Set(stored)].filter((d) => d !== 'rebind.test').sort(), ['alpha.test', 'beta.test']);

        // The employee's view: connection state and exactly what was reported.
        const popup = await browser.context.newPage();
        await popup.goto(`chrome-extension://${EXTENSION_ID}/popup/popup.html`);
        await until('the popup to render', async () => (await popup.textContent('#connection')).startsWith('Connected'),
          ROWS_TIMEOUT_MS, diagnose);
        assert.match(await popup.textContent('#fields'), /site \(domain\) of the active tab only/);
        assert.match(await popup.textContent('#agent-url'), new RegExp(`^http://127\\.0\\.0\\.1:${agentPort}/`));
        // opened as a tab, the popup page is itself the active tab now: an extension page, reported as no tab
        const shown = JSON.parse(await popup.textContent('#last-event'));
        assert.equal(shown.state, 'active');
        assert.equal(shown.tab, null);

        // The agent's own commands show it too: `status` the endpoint and the last report, `show` the domains.
        await until('the report noted for status', () => agentState(agentDir)?.browser_last_report_ns > 0,
          ROWS_TIMEOUT_MS, diagnose);
        const status = runJava(AGENT_MODULE_PATH, AGENT_MAIN, ['status', '--data-dir', agentDir]);
        assert.match(status, new RegExp(`extension endpoint listening on 127\\.0\\.0\\.1:${agentPort}; the browser`
          + ' extension last reported'));
        const shownToday = runJava(AGENT_MODULE_PATH, AGENT_MAIN, ['show', '--today', '--data-dir', agentDir]);
        assert.match(shownToday, /chromium\S* alpha\.test/);
        assert.match(shownToday, /chromium\S* beta\.test/);
      } finally {
        await browser.context.close();
        await stop(agent);
        removePolicy();
      }
    });

  test('full URLs (without query or fragment) when the managed policy sends them and the organization collects them',
    async () => {
      const agentDir = urlAgentDir();
      const agentPort = await freePort();
      const agent = await startAgent(agentDir, x.display, agentPort);
      writePolicy({ agentPort, reportFullUrls: true });
      moveMouse(x.display);
      const browser = await launchBrowser(mkdtempSync(path.join(work, 'profile-')), x.display);
      const diagnose = async () => `rows: ${JSON.stringify(spans(agentDir).map((r) => [r.application, r.domain,
        r.url]))}; agent log:\n${agent.output.slice(-3000)}`;
      try {
        await until('the full-URL policy in the extension',
          async () => (await browser.state())?.policy?.reportFullUrls === true, POLICY_TIMEOUT_MS);

        const alpha = browser.context.pages()[0] ?? await browser.context.newPage();
        await alpha.goto(`http://alpha.test:${web.port}/page/alpha?q=private#top`);
        await alpha.bringToFront();
        await until('alpha', () => lastDomain(spans(agentDir)) === 'alpha.test', ROWS_TIMEOUT_MS, diagnose);
        const beta = await browser.context.newPage();
        await beta.goto(`http://beta.test:${web.port}/docs/page/beta`);
        await beta.bringToFront();
        await until('beta', () => lastDomain(spans(agentDir)) === 'beta.test', ROWS_TIMEOUT_MS, diagnose);
        await alpha.bringToFront();
        await until('alpha again', () => lastDomain(spans(agentDir)) === 'alpha.test', ROWS_TIMEOUT_MS, diagnose);

        const urls = spans(agentDir).filter((row) => row.domain !== null).map((row) => row.url)
          .filter((url, i, all) => i === 0 || all[i - 1] !== url);
        assert.deepEqual(urls, [
          `http://alpha.test:${web.port}/page/alpha`,
          `http://beta.test:${web.port}/docs/page/beta`,
          `http://alpha.test:${web.port}/page/alpha`,
        ]);
      } finally {
        await browser.context.close();
        await stop(agent);
        removePolicy();
      }
    });
});
