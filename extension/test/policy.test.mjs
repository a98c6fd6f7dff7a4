import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY, describePolicy, mergePolicy } from '../src/policy.js';

test('without a managed policy the defaults apply: domain only, no titles, port 47291', () => {
  for (const managed of [undefined, null, {}, [], 'x']) {
    const { policy, ignored } = mergePolicy(managed);
    assert.deepEqual(policy, { ...DEFAULT_POLICY, excludedDomains: [] });
    assert.deepEqual(ignored, []);
  }
  assert.equal(DEFAULT_POLICY.reportFullUrls, false);
  assert.equal(DEFAULT_POLICY.reportTitles, false);
  assert.equal(DEFAULT_POLICY.agentPort, 47291);
});

test('valid managed values override the defaults', () => {
  const { policy, ignored } = mergePolicy({
    agentPort: 50123, reportFullUrls: true, reportTitles: true, excludedDomains: ['Bank.example', 'health.example'],
    sharedToken: 'a-long-enough-token', heartbeatSeconds: 60, idleDetectionSeconds: 300,
  });
  assert.deepEqual(policy, {
    agentPort: 50123, reportFullUrls: true, reportTitles: true, excludedDomains: ['bank.example', 'health.example'],
    sharedToken: 'a-long-enough-token', heartbeatSeconds: 60, idleDetectionSeconds: 300,
  });
  assert.deepEqual(ignored, []);
});

test('an invalid value keeps only that default and is named, never shown', () => {
  const { policy, ignored } = mergePolicy({
    agentPort: 80, reportFullUrls: 'yes', sharedToken: 'short secret', heartbeatSeconds: 5, reportTitles: true,
    surprise: 1,
  });
  assert.equal(policy.agentPort, 47291);
  assert.equal(policy.reportFullUrls, false);
  assert.equal(policy.sharedToken, '');
  assert.equal(policy.heartbeatSeconds, 30);
  assert.equal(policy.reportTitles, true);
  assert.deepEqual(ignored.sort(), ['agentPort', 'heartbeatSeconds', 'reportFullUrls', 'sharedToken', 'surprise']);
});

test('invalid excluded domains are dropped, the valid ones kept', () => {
  const { policy, ignored } = mergePolicy({ excludedDomains: ['ok.example', 'not a domain', 'ok.example'] });
  assert.deepEqual(policy.excludedDomains, ['ok.example']);
  assert.deepEqual(ignored, ['excludedDomains']);
  assert.deepEqual(mergePolicy({ excludedDomains: 'ok.example' }).policy.excludedDomains, []);
});

test('the policy cannot be changed after the merge', () => {
  const { policy } = mergePolicy({ excludedDomains: ['a.example'] });
  assert.throws(() => { policy.reportFullUrls = true; });
  assert.throws(() => { policy.excludedDomains.push('b.example'); });
});

test('the token is never shown', () => {
  const { policy } = mergePolicy({ sharedToken: 'a-long-enough-token' });
  assert.equal(describePolicy(policy).sharedToken, '(set)');
  assert.equal(describePolicy(DEFAULT_POLICY).sharedToken, '(none)');
});
