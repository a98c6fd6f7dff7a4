import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readManaged } from '../src/managed.js';

test('an answer in time is used', async () => {
  const result = await readManaged({ get: async () => ({ reportTitles: true }) }, 100);
  assert.deepEqual(result, { status: 'ok', values: { reportTitles: true } });
});

test('a read that never settles times out, and nothing waits for it', async () => {
  const started = Date.now();
  const result = await readManaged({ get: () => new Promise(() => {}) }, 50);
  assert.deepEqual(result, { status: 'timeout', values: null });
  assert.ok(Date.now() - started < 1000);
});

test('a late answer is still delivered', async () => {
  let resolveGet;
  const late = new Promise((resolve) => {
    readManaged({ get: () => new Promise((r) => { resolveGet = r; }) }, 20, resolve)
      .then((result) => {
        assert.equal(result.status, 'timeout');
        resolveGet({ agentPort: 50000 });
      });
  });
  assert.deepEqual(await late, { agentPort: 50000 });
});

test('failures and a missing storage area fall back', async () => {
  assert.deepEqual(await readManaged({ get: async () => { throw new Error('no'); } }, 50),
    { status: 'error', values: null });
  assert.deepEqual(await readManaged({ get: () => { throw new Error('sync'); } }, 50),
    { status: 'error', values: null });
  assert.deepEqual(await readManaged(undefined, 50), { status: 'error', values: null });
});
