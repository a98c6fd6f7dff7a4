// The service worker: listens to tab, window, idle and alarm events, and reports the active tab of the focused
// window to the local agent. All decisions are in the pure modules; this file only wires the chrome.* APIs.
//
// Each event is observed at once (state and tab read when the listener runs) and then recorded and delivered in
// order through one chain. Nothing slow sits before the observation: a delivery to a slow agent or a managed-policy
// read that hangs must not make the extension report what the browser shows later instead of what it showed then.

import { browserState, chooseTab, heartbeatDue, makeEvent, sameActivity, WINDOW_ID_NONE } from './activity.js';
import { detectBrowser } from './browser-info.js';
import { readManaged } from './managed.js';
import { mergePolicy } from './policy.js';
import { enqueue, flush, postEvents } from './reporter.js';
import { loadState, saveState } from './state.js';

const HEARTBEAT_ALARM = 'xentracker-heartbeat';
const MANAGED_TIMEOUT_MS = 1000;
const MANAGED_CACHE_KEY = 'xentracker-managed-policy';

let state = null;
let loading = null;
let chain = Promise.resolve();
let retryTimer = null;

function warn(error) {
  console.warn('xentracker:', error?.message ?? error);
}

/** The state, loaded from session storage once per service-worker life. */
function loaded() {
  loading ??= loadState(chrome.storage.session).then((loadedState) => { state = loadedState; });
  return loading;
}

/** Runs tasks that change the state one after another, and saves the state after each. */
function serialized(task) {
  chain = chain.then(async () => {
    await loaded();
    await task();
    await saveState(chrome.storage.session, state);
  }).catch(warn);
  return chain;
}

// ---- policy ------------------------------------------------------------------------------------------------------

function applyPolicy(values, source) {
  const { policy, ignored } = mergePolicy(values);
  const changed = JSON.stringify(policy) !== JSON.stringify(state.policy);
  state.policy = policy;
  state.policySource = source;
  state.policyIgnored = ignored;
  return changed;
}

async function configureFromPolicy() {
  chrome.idle.setDetectionInterval(state.policy.idleDetectionSeconds);
  const periodInMinutes = state.policy.heartbeatSeconds / 60;
  const alarm = await chrome.alarms.get(HEARTBEAT_ALARM);
  if (!alarm || alarm.periodInMinutes !== periodInMinutes) {
    await chrome.alarms.create(HEARTBEAT_ALARM, { periodInMinutes });
  }
}

/**
 * Reads the managed policy outside the chain: a read that hangs must never hold up reporting. The answer, in time or
 * late, is applied through the chain. At most a few reads stay pending at once, so reads that never settle (a known
 * Chromium race) cannot pile up.
 */
let pendingPolicyReads = 0;
function refreshPolicy() {
  if (pendingPolicyReads >= 3) return;
  pendingPolicyReads += 1;
  const settled = () => { pendingPolicyReads -= 1; };
  readManaged(chrome.storage.managed, MANAGED_TIMEOUT_MS, (late) => {
    settled();
    serialized(() => onManagedPolicy(late));
  }).then((result) => {
    if (result.status === 'timeout') return; // still pending: settled() runs when it answers
    settled();
    if (result.status === 'ok') serialized(() => onManagedPolicy(result.values));
  });
}

async function onManagedPolicy(values) {
  const changed = applyPolicy(values, 'managed');
  if (!changed) return;
  // The last policy seen survives a browser restart, so excluded domains stay excluded while the managed policy
  // is not readable yet.
  chrome.storage.local.set({ [MANAGED_CACHE_KEY]: values }).catch(warn);
  // events queued under the previous policy are not sent under the new one (it may allow less)
  const { backlog } = state.delivery;
  state.delivery = { ...state.delivery, backlog: [], dropped: state.delivery.dropped + backlog.length };
  await configureFromPolicy();
  observe('policy-changed');
}

// ---- observing and recording -------------------------------------------------------------------------------------

async function focusedWindowId() {
  if (state.focusedWindowId === null) {
    const window = await chrome.windows.getLastFocused().catch(() => null);
    state.focusedWindowId = window && window.focused && !window.incognito ? window.id : WINDOW_ID_NONE;
  }
  return state.focusedWindowId;
}

async function currentEvent(atMs, reason) {
  const windowId = await focusedWindowId();
  const browser = browserState({ idleState: state.idleState, focusedWindowId: windowId });
  let activeTab = null;
  let audibleTabs = [];
  if (browser === 'active') {
    [activeTab] = await chrome.tabs.query({ active: true, windowId });
  } else {
    audibleTabs = await chrome.tabs.query({ audible: true });
  }
  return makeEvent(atMs, browser, chooseTab(browser, activeTab ?? null, audibleTabs, state.policy), reason);
}

/**
 * Observes the browser now (after update, which applies what the event told, e.g. the new focus) and records it.
 * skipIfSame: not recorded when it says the same as the last event (a title change with titles off).
 * heartbeat: recorded only while there is a span to extend, or when something changed unnoticed.
 */
function observe(reason, { update = async () => {}, skipIfSame = false, heartbeat = false } = {}) {
  const atMs = Date.now();
  return loaded().then(async () => {
    await update();
    const event = await currentEvent(atMs, reason);
    await serialized(async () => {
      const same = sameActivity(event, state.lastEvent);
      if ((skipIfSame && same) || (heartbeat && same && !heartbeatDue(event))) {
        if (heartbeat) await deliver(true); // retry what is waiting
        return;
      }
      if (!state.lastEvent || event.at >= state.lastEvent.at) state.lastEvent = event;
      state.delivery = enqueue(state.delivery, event);
      await deliver(heartbeat);
    });
  }).catch(warn);
}

async function deliver(force) {
  state.browser ??= await detectBrowser(navigator);
  const { agentPort, sharedToken } = state.policy;
  state.delivery = await flush(state.delivery, {
    post: (body) => postEvents(fetch, agentPort, sharedToken, body),
    browser: state.browser,
    nowMs: Date.now,
    force,
  });
  scheduleRetry();
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  const { backlog, retryAtMs } = state.delivery;
  if (backlog.length > 0 && retryAtMs > 0) {
    // the worker may be stopped before this fires; the heartbeat alarm then retries instead
    retryTimer = setTimeout(() => serialized(() => deliver(true)), Math.max(0, retryAtMs - Date.now()));
  }
}

// ---- listeners (registered synchronously at the top level, as MV3 requires) ------------------------------------

chrome.tabs.onActivated.addListener(({ windowId }) => observe('tab-activated', {
  update: async () => {
    // Activating a tab in a focused window means the person is there (headless Chromium and some window managers
    // send no windows.onFocusChanged when the focus comes back).
    const window = await chrome.windows.get(windowId).catch(() => null);
    if (window && window.focused && !window.incognito) state.focusedWindowId = windowId;
  },
}));

chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (!('url' in change || 'title' in change || 'audible' in change)) return;
  loaded().then(() => {
    const isFocusedTab = tab.active && tab.windowId === state.focusedWindowId;
    if (isFocusedTab || 'audible' in change) observe('tab-updated', { skipIfSame: true });
  }).catch(warn);
});

chrome.windows.onFocusChanged.addListener((windowId) => observe('window-focus', {
  update: async () => {
    if (windowId === WINDOW_ID_NONE) {
      // another application, or a window this extension may not see (an incognito one), has the focus
      state.focusedWindowId = WINDOW_ID_NONE;
      return;
    }
    const window = await chrome.windows.get(windowId).catch(() => null);
    state.focusedWindowId = window && !window.incognito ? windowId : WINDOW_ID_NONE;
  },
}));

chrome.idle.onStateChanged.addListener((idleState) => observe(`idle-${idleState}`, {
  update: async () => { state.idleState = idleState; },
}));

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== HEARTBEAT_ALARM) return;
  loaded().then(() => {
    if (state.policySource !== 'managed') refreshPolicy();
    observe('heartbeat', { heartbeat: true });
  }).catch(warn);
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed') refreshPolicy();
});

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // the popup asks for a fresh report; only this extension's own pages can send messages here
  if (sender.id !== chrome.runtime.id || message?.type !== 'report-now') return false;
  observe('popup').then(() => chain).then(() => sendResponse(true));
  return true;
});

// ---- start -------------------------------------------------------------------------------------------------------

serialized(async () => {
  if (state.policySource !== 'managed') {
    // until the managed policy answers, the last one seen applies; the defaults only when there never was one
    const cached = (await chrome.storage.local.get(MANAGED_CACHE_KEY))[MANAGED_CACHE_KEY];
    if (cached) applyPolicy(cached, 'cached');
  }
  await configureFromPolicy();
  state.idleState = await chrome.idle.queryState(state.policy.idleDetectionSeconds);
  if (state.policySource !== 'managed') refreshPolicy();
}).then(() => observe('start'));
