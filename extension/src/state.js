// The service worker's memory, kept in chrome.storage.session: the worker is stopped after ~30 s without events and
// started again by the next one, and session storage survives that (but not a browser restart, and it is never
// written to disk).

import { DEFAULT_POLICY } from './policy.js';
import { initialDelivery } from './reporter.js';

export const STATE_KEY = 'xentracker';

export function initialState() {
  return {
    focusedWindowId: null, // null = not yet known
    idleState: 'active',
    policy: DEFAULT_POLICY,
    policySource: 'defaults', // 'defaults' | 'cached' | 'managed'
    policyIgnored: [],
    browser: null,
    lastEvent: null,
    delivery: initialDelivery(),
  };
}

export async function loadState(session) {
  const stored = (await session.get(STATE_KEY))[STATE_KEY];
  return stored ? { ...initialState(), ...stored } : initialState();
}

export async function saveState(session, state) {
  await session.set({ [STATE_KEY]: state });
}
