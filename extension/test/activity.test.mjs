import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserState, chooseTab, heartbeatDue, makeEvent, sameActivity, tabReport, WINDOW_ID_NONE }
  from '../src/activity.js';
import { mergePolicy } from '../src/policy.js';

const DEFAULTS = mergePolicy({}).policy;
const EVERYTHING = mergePolicy({ reportFullUrls: true, reportTitles: true, excludedDomains: ['bank.example'] }).policy;
const tab = (url, extra = {}) => ({ url, title: 'Inbox (3)', audible: false, incognito: false, ...extra });

test('state: locked and idle win, then focus decides', () => {
  assert.equal(browserState({ idleState: 'locked', focusedWindowId: 1 }), 'locked');
  assert.equal(browserState({ idleState: 'idle', focusedWindowId: 1 }), 'idle');
  assert.equal(browserState({ idleState: 'active', focusedWindowId: WINDOW_ID_NONE }), 'unfocused');
  assert.equal(browserState({ idleState: 'active', focusedWindowId: null }), 'unfocused');
  assert.equal(browserState({ idleState: 'active', focusedWindowId: 7 }), 'active');
});

test('by default a tab is reported by its domain only', () => {
  assert.deepEqual(tabReport(tab('https://mail.example.com/inbox?id=1'), DEFAULTS),
    { domain: 'mail.example.com', audible: false });
});

test('full URL and title only when the policy turns them on', () => {
  assert.deepEqual(tabReport(tab('https://mail.example.com/inbox?id=1#x', { audible: true }), EVERYTHING),
    { domain: 'mail.example.com', audible: true, url: 'https://mail.example.com/inbox', title: 'Inbox (3)' });
});

test('incognito tabs are never reported, nor tabs whose incognito flag is unknown', () => {
  assert.equal(tabReport(tab('https://example.com/', { incognito: true }), EVERYTHING), null);
  assert.equal(tabReport({ url: 'https://example.com/' }, EVERYTHING), null);
  assert.equal(chooseTab('active', tab('https://example.com/', { incognito: true }), [], DEFAULTS), null);
  assert.equal(chooseTab('unfocused', null, [tab('https://radio.example/', { incognito: true, audible: true })],
    DEFAULTS), null);
});

test('browser pages are not reported', () => {
  assert.equal(tabReport(tab('chrome://settings/'), EVERYTHING), null);
  assert.equal(tabReport(tab('edge://newtab/'), EVERYTHING), null);
});

test('an excluded domain is reported as excluded, without name, URL or title', () => {
  assert.deepEqual(tabReport(tab('https://online.bank.example/account', { audible: true }), EVERYTHING),
    { excluded: true, audible: true });
});

test('when not active only a tab playing sound is reported', () => {
  const radio = tab('https://radio.example/live', { audible: true });
  const quiet = tab('https://quiet.example/');
  assert.deepEqual(chooseTab('unfocused', null, [quiet, radio], DEFAULTS), { domain: 'radio.example', audible: true });
  assert.equal(chooseTab('idle', null, [quiet], DEFAULTS), null);
  assert.deepEqual(chooseTab('active', quiet, [radio], DEFAULTS), { domain: 'quiet.example', audible: false });
  assert.equal(chooseTab('active', undefined, [radio], DEFAULTS), null);
});

test('events carry an ISO time, and identical activity is recognised', () => {
  const a = makeEvent(Date.UTC(2025, 2, 10, 9), 'active', { domain: 'a.example', audible: false }, 'tab-activated');
  assert.deepEqual(a, { at: '2025-03-10T09:00:00.000Z', state: 'active', reason: 'tab-activated',
    tab: { domain: 'a.example', audible: false } });
  const b = makeEvent(Date.UTC(2025, 2, 10, 9, 1), 'active', { domain: 'a.example', audible: false }, 'tab-updated');
  assert.ok(sameActivity(a, b));
  assert.ok(!sameActivity(a, { ...b, state: 'idle' }));
  assert.ok(!sameActivity(a, null));
});

test('heartbeats only while a tab is reported', () => {
  assert.ok(heartbeatDue(makeEvent(0, 'active', { domain: 'a.example', audible: false }, 'heartbeat')));
  assert.ok(!heartbeatDue(makeEvent(0, 'unfocused', null, 'heartbeat')));
  assert.ok(!heartbeatDue(null));
});
