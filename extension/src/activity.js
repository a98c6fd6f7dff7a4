// What one event says: the browser's state and the tab it is about, reduced by the policy. Pure functions.

import { cleanTitle, isExcluded, pageOf } from './domain.js';

/** chrome.windows.WINDOW_ID_NONE, repeated here so that the pure logic runs outside a browser. */
export const WINDOW_ID_NONE = -1;

/**
 * The browser's state from what the listeners last saw: 'locked' or 'idle' from chrome.idle, else 'unfocused' when
 * no (non-incognito) browser window has the focus, else 'active'.
 */
export function browserState({ idleState, focusedWindowId }) {
  if (idleState === 'locked' || idleState === 'idle') return idleState;
  if (focusedWindowId === null || focusedWindowId === undefined || focusedWindowId === WINDOW_ID_NONE) {
    return 'unfocused';
  }
  return 'active';
}

/**
 * What may be reported about a tab, or null when nothing may: an incognito/InPrivate tab (never, whatever the
 * browser allows), or a page that is not on the web. An excluded domain is reported only as { excluded: true }.
 * Otherwise the domain, plus the URL and title only when the policy turns them on.
 */
export function tabReport(tab, policy) {
  if (!tab || tab.incognito !== false) return null; // unknown counts as incognito
  const page = pageOf(tab.url ?? tab.pendingUrl);
  if (page === null) return null;
  const audible = tab.audible === true;
  if (isExcluded(page.domain, policy.excludedDomains)) return { excluded: true, audible };
  const report = { domain: page.domain, audible };
  if (policy.reportFullUrls) report.url = page.url;
  if (policy.reportTitles) {
    const title = cleanTitle(tab.title);
    if (title !== null) report.title = title;
  }
  return report;
}

/**
 * The tab to report in a state: the active tab of the focused window when active; otherwise the first tab playing
 * sound (a background tab with audio is reported as audible, never as the active one), or none.
 */
export function chooseTab(state, activeTab, audibleTabs, policy) {
  if (state === 'active') return tabReport(activeTab, policy);
  for (const tab of audibleTabs) {
    const report = tabReport(tab, policy);
    if (report !== null && report.audible) return report;
  }
  return null;
}

/** One event of the wire format (see README.md). */
export function makeEvent(nowMs, state, tab, reason) {
  return { at: new Date(nowMs).toISOString(), state, reason, tab };
}

/** Whether two events say the same (apart from time and reason): a title change with titles off, for example. */
export function sameActivity(a, b) {
  return !!a && !!b && a.state === b.state && JSON.stringify(a.tab) === JSON.stringify(b.tab);
}

/**
 * Whether a heartbeat should be sent: only while there is a span to extend (a tab reported last time). Silence
 * otherwise: the agent ends spans by itself when heartbeats stop.
 */
export function heartbeatDue(current) {
  return current !== null && current.tab !== null;
}
