import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePolicy } from '../src/policy.js';
import { describeFields } from '../src/transparency.js';

test('the employee sees domain-only and no titles by default', () => {
  const lines = describeFields(mergePolicy({}).policy, { name: 'Chromium', version: '156' });
  assert.match(lines[0], /domain\) of the active tab only/);
  assert.equal(lines[1], 'Not the page title');
  assert.ok(lines.some((line) => line.includes('Chromium 156')));
  assert.ok(lines.some((line) => line.includes('incognito')));
});

test('the employee sees when full addresses, titles and exclusions are on', () => {
  const lines = describeFields(mergePolicy({ reportFullUrls: true, reportTitles: true,
    excludedDomains: ['bank.example'] }).policy, null);
  assert.match(lines[0], /address of the active tab/);
  assert.equal(lines[1], 'The page title');
  assert.ok(lines.some((line) => line.includes('bank.example')));
});
