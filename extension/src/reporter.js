// Delivery to the agent: only ever http://127.0.0.1:<port>/v1/browser/events, never another destination.

import { addEvent, dropExpired, retryDelayMs, takeBatch, LIMITS } from './backlog.js';

export const EVENTS_PATH = '/v1/browser/events';
export const TOKEN_HEADER = 'X-Xentracker-Token';
const REQUEST_TIMEOUT_MS = 5000;

/** The only URL the extension ever sends to. 127.0.0.1, not localhost: only 127.0.0.1 is in host_permissions. */
export function agentUrl(port) {
  return `http://127.0.0.1:${port}${EVENTS_PATH}`;
}

/**
 * One POST. Resolves to { outcome, status }: 'sent' (2xx), 'retry' (agent unreachable, 429, 5xx) or 'rejected'
 * (any other answer: the agent refuses these events and would refuse them again).
 */
export async function postEvents(fetchFn, port, token, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers[TOKEN_HEADER] = token;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetchFn(agentUrl(port), {
      method: 'POST',
      headers,
      body,
      signal: abort.signal,
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error', // a redirect could only lead somewhere else: never follow it
    });
    if (response.ok) return { outcome: 'sent', status: response.status };
    if (response.status === 429 || response.status >= 500) return { outcome: 'retry', status: response.status };
    return { outcome: 'rejected', status: response.status };
  } catch {
    return { outcome: 'retry', status: null };
  } finally {
    clearTimeout(timer);
  }
}

/** state.delivery as first created. */
export function initialDelivery() {
  return {
    backlog: [],
    attempt: 0,
    retryAtMs: 0,
    connection: 'unknown', // 'connected' | 'unreachable' | 'rejected' | 'unknown'
    lastStatus: null,
    lastSentAtMs: null,
    lastFailureAtMs: null,
    dropped: 0,
  };
}

/** delivery with event queued (bounded). */
export function enqueue(delivery, event, limits = LIMITS) {
  const { backlog, dropped } = addEvent(delivery.backlog, event, limits);
  return { ...delivery, backlog, dropped: delivery.dropped + dropped };
}

/**
 * Sends the backlog, oldest first, in batches, until it is empty or a request fails. Returns the new delivery
 * state; on failure it carries retryAtMs, before which flush sends nothing unless force is set (the retry timer).
 */
export async function flush(delivery, { post, browser, nowMs, force = false, limits = LIMITS }) {
  let d = { ...delivery };
  const expired = dropExpired(d.backlog, nowMs(), limits);
  d.backlog = expired.backlog;
  d.dropped += expired.dropped;
  if (!force && nowMs() < d.retryAtMs) return d;
  while (d.backlog.length > 0) {
    const { count, body } = takeBatch(d.backlog, browser, limits);
    if (count === 0) { // cannot happen with the length caps; never let one event block the rest
      d.backlog = d.backlog.slice(1);
      d.dropped += 1;
      continue;
    }
    const result = await post(body);
    d.lastStatus = result.status;
    if (result.outcome === 'sent') {
      d = { ...d, backlog: d.backlog.slice(count), attempt: 0, retryAtMs: 0, connection: 'connected',
        lastSentAtMs: nowMs() };
    } else if (result.outcome === 'rejected') {
      // the agent will not take these: drop them rather than retry forever
      d = { ...d, backlog: d.backlog.slice(count), dropped: d.dropped + count, attempt: 0, retryAtMs: 0,
        connection: 'rejected', lastFailureAtMs: nowMs() };
      break;
    } else {
      const attempt = d.attempt + 1;
      d = { ...d, attempt, retryAtMs: nowMs() + retryDelayMs(attempt, limits), connection: 'unreachable',
        lastFailureAtMs: nowMs() };
      break;
    }
  }
  return d;
}
