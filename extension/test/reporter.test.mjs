import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { agentUrl, enqueue, flush, initialDelivery, postEvents, TOKEN_HEADER } from '../src/reporter.js';

const BROWSER = { name: 'Chromium', version: '156' };
const T0 = Date.UTC(2025, 2, 10, 9);
const event = (ms, domain = 'a.example') => ({ at: new Date(ms).toISOString(), state: 'active', reason: 'x',
  tab: { domain, audible: false } });

function withEvents(n, at = T0) {
  let delivery = initialDelivery();
  for (let i = 0; i < n; i += 1) delivery = enqueue(delivery, event(at + i));
  return delivery;
}

test('the only destination is 127.0.0.1', () => {
  assert.equal(agentUrl(47291), 'http://127.0.0.1:47291/v1/browser/events');
});

test('delivered events leave the backlog', async () => {
  const bodies = [];
  const delivery = await flush(withEvents(3), {
    post: async (body) => { bodies.push(JSON.parse(body)); return { outcome: 'sent', status: 204 }; },
    browser: BROWSER, nowMs: () => T0 + 10,
  });
  assert.equal(delivery.backlog.length, 0);
  assert.equal(delivery.connection, 'connected');
  assert.deepEqual(bodies.map((b) => b.events.length), [3]);
  assert.deepEqual(bodies[0].browser, BROWSER);
});

test('an unreachable agent keeps the events and backs off', async () => {
  let now = T0;
  let calls = 0;
  const post = async () => { calls += 1; return { outcome: 'retry', status: null }; };
  let delivery = await flush(withEvents(2), { post, browser: BROWSER, nowMs: () => now });
  assert.equal(delivery.backlog.length, 2);
  assert.equal(delivery.connection, 'unreachable');
  assert.equal(delivery.retryAtMs, T0 + 1000);

  now = T0 + 500; // before the retry time: nothing is sent, unless the retry timer forces it
  delivery = await flush(enqueue(delivery, event(now)), { post, browser: BROWSER, nowMs: () => now });
  assert.equal(calls, 1);
  assert.equal(delivery.backlog.length, 3);
  delivery = await flush(delivery, { post, browser: BROWSER, nowMs: () => now, force: true });
  assert.equal(calls, 2);
  assert.equal(delivery.retryAtMs, now + 2000);
});

test('events the agent could not take within five minutes are dropped', async () => {
  const post = async () => ({ outcome: 'retry', status: null });
  const delivery = await flush(withEvents(4), { post, browser: BROWSER, nowMs: () => T0 + 6 * 60_000 });
  assert.equal(delivery.backlog.length, 0);
  assert.equal(delivery.dropped, 4);
});

test('events the agent refuses are dropped, not retried', async () => {
  const delivery = await flush(withEvents(2), {
    post: async () => ({ outcome: 'rejected', status: 403 }), browser: BROWSER, nowMs: () => T0,
  });
  assert.equal(delivery.backlog.length, 0);
  assert.equal(delivery.dropped, 2);
  assert.equal(delivery.connection, 'rejected');
  assert.equal(delivery.lastStatus, 403);
});

test('a POST carries JSON and the token, follows no redirect, and maps the answers', async () => {
  const seen = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      const status = Number(request.headers['x-answer']);
      if (status === 302) response.setHeader('Location', 'http://example.com/');
      response.writeHead(status).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const answer = (status) => (url, init) => fetch(url, { ...init, headers: { ...init.headers, 'X-Answer': status } });
  try {
    assert.deepEqual(await postEvents(answer(204), port, 'a-long-enough-token', '{"x":1}'),
      { outcome: 'sent', status: 204 });
    assert.equal(seen[0].method, 'POST');
    assert.equal(seen[0].url, '/v1/browser/events');
    assert.equal(seen[0].headers['content-type'], 'application/json');
    assert.equal(seen[0].headers[TOKEN_HEADER.toLowerCase()], 'a-long-enough-token');
    assert.equal(seen[0].body, '{"x":1}');
    assert.deepEqual(await postEvents(answer(429), port, '', '{}'), { outcome: 'retry', status: 429 });
    assert.equal(seen[1].headers[TOKEN_HEADER.toLowerCase()], undefined);
    assert.deepEqual(await postEvents(answer(503), port, '', '{}'), { outcome: 'retry', status: 503 });
    assert.deepEqual(await postEvents(answer(403), port, '', '{}'), { outcome: 'rejected', status: 403 });
    assert.deepEqual(await postEvents(answer(302), port, '', '{}'), { outcome: 'retry', status: null });
    assert.equal(seen.length, 5); // the redirect was not followed
  } finally {
    server.close();
  }
  const closedPort = port; // nothing listens there any more
  assert.deepEqual(await postEvents(fetch, closedPort, '', '{}'), { outcome: 'retry', status: null });
});
