import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addEvent, dropExpired, LIMITS, retryDelayMs, takeBatch } from '../src/backlog.js';

const event = (ms, domain = 'a.example') => ({ at: new Date(ms).toISOString(), state: 'active', reason: 'x',
  tab: { domain, audible: false } });

test('the backlog is bounded: the oldest events go first', () => {
  let backlog = [];
  let dropped = 0;
  for (let i = 0; i < LIMITS.maxEvents + 7; i += 1) {
    const result = addEvent(backlog, event(i));
    backlog = result.backlog;
    dropped += result.dropped;
  }
  assert.equal(backlog.length, LIMITS.maxEvents);
  assert.equal(dropped, 7);
  assert.equal(backlog[0].at, new Date(7).toISOString());
});

test('events older than five minutes are dropped', () => {
  const now = Date.UTC(2025, 2, 10, 9);
  const { backlog, dropped } = dropExpired([event(now - 301_000), event(now - 299_000), event(now)], now);
  assert.equal(dropped, 1);
  assert.equal(backlog.length, 2);
});

test('a batch fits the size limit and keeps the order', () => {
  const browser = { name: 'Chromium', version: '156' };
  const big = Array.from({ length: 40 }, (_, i) => event(i, `${'d'.repeat(60)}${i}.example`));
  const limits = { ...LIMITS, maxBatchBytes: 1024 };
  const { count, body } = takeBatch(big, browser, limits);
  assert.ok(count > 0 && count < big.length);
  assert.ok(new TextEncoder().encode(body).length <= 1024);
  assert.deepEqual(JSON.parse(body), { browser, events: big.slice(0, count) });
  assert.equal(takeBatch(big, browser, { ...LIMITS, maxBatchBytes: 10 }).count, 0);
  assert.equal(takeBatch([], browser).count, 0);
});

test('retries back off exponentially up to 30 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});
