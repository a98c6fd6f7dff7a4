// The bounded backlog of events not yet delivered to the agent, and its retry schedule. Pure functions.

export const LIMITS = Object.freeze({
  /** Events kept at most; the oldest go first. About five minutes of heartbeats and tab switches. */
  maxEvents: 50,
  /** Events older than this are dropped: a short agent restart is bridged, an absent agent is not waited for. */
  maxAgeMs: 5 * 60 * 1000,
  /** One request's body stays well under the agent's 16 KiB limit. */
  maxBatchBytes: 12 * 1024,
  /** Longest wait between two attempts. */
  maxRetryDelayMs: 30 * 1000,
});

/** The backlog with event appended and, beyond maxEvents, the oldest dropped. Returns { backlog, dropped }. */
export function addEvent(backlog, event, limits = LIMITS) {
  const next = [...backlog, event];
  const dropped = Math.max(0, next.length - limits.maxEvents);
  return { backlog: next.slice(dropped), dropped };
}

/** The backlog without events older than maxAgeMs at nowMs. Returns { backlog, dropped }. */
export function dropExpired(backlog, nowMs, limits = LIMITS) {
  const kept = backlog.filter((event) => nowMs - Date.parse(event.at) <= limits.maxAgeMs);
  return { backlog: kept, dropped: backlog.length - kept.length };
}

/**
 * The request body for the longest prefix of the backlog that fits maxBatchBytes, and how many events it holds
 * (0 when even the first event does not fit: the caller drops it).
 */
export function takeBatch(backlog, browser, limits = LIMITS) {
  let count = 0;
  let body = null;
  for (let n = 1; n <= backlog.length; n += 1) {
    const candidate = JSON.stringify({ browser, events: backlog.slice(0, n) });
    if (new TextEncoder().encode(candidate).length > limits.maxBatchBytes) break;
    count = n;
    body = candidate;
  }
  return { count, body };
}

/** Wait before attempt number attempt (1 = first retry): 1 s, 2 s, 4 s ... up to maxRetryDelayMs. */
export function retryDelayMs(attempt, limits = LIMITS) {
  const exponent = Math.max(0, Math.min(attempt - 1, 16));
  return Math.min(1000 * 2 ** exponent, limits.maxRetryDelayMs);
}
