// The effective configuration: built-in defaults overridden by the organization's managed policy
// (chrome.storage.managed, described by managed_schema.json). Pure functions.

import { normalizeDomain } from './domain.js';

/** What an employee's browser reports when the organization configured nothing: the least. */
export const DEFAULT_POLICY = Object.freeze({
  agentPort: 47291,
  reportFullUrls: false,
  reportTitles: false,
  excludedDomains: Object.freeze([]),
  sharedToken: '',
  heartbeatSeconds: 30,
  idleDetectionSeconds: 180,
});

const TOKEN = /^[\x21-\x7e]{16,256}$/;

const RULES = {
  agentPort: (v) => Number.isInteger(v) && v >= 1024 && v <= 65535,
  reportFullUrls: (v) => typeof v === 'boolean',
  reportTitles: (v) => typeof v === 'boolean',
  sharedToken: (v) => typeof v === 'string' && (v === '' || TOKEN.test(v)),
  // chrome.alarms does not fire more often than every 30 s for a published extension
  heartbeatSeconds: (v) => Number.isInteger(v) && v >= 30 && v <= 300,
  // chrome.idle accepts at least 15 s
  idleDetectionSeconds: (v) => Number.isInteger(v) && v >= 15 && v <= 14400,
};

/**
 * Defaults overridden by each valid managed value. An invalid value keeps the default for that key only, so one
 * typo in a policy does not undo the rest. Returns { policy, ignored } where ignored names the keys not applied
 * (never their values: one of them may be the token).
 */
export function mergePolicy(managed) {
  const policy = { ...DEFAULT_POLICY, excludedDomains: [] };
  const ignored = [];
  if (managed === null || typeof managed !== 'object' || Array.isArray(managed)) {
    return { policy: freeze(policy), ignored };
  }
  for (const [key, value] of Object.entries(managed)) {
    if (key === 'excludedDomains') {
      if (!Array.isArray(value)) {
        ignored.push(key);
        continue;
      }
      const domains = value.map(normalizeDomain);
      if (domains.includes(null)) ignored.push(key);
      policy.excludedDomains = [...new Set(domains.filter((d) => d !== null))];
    } else if (Object.hasOwn(RULES, key)) {
      if (RULES[key](value)) policy[key] = value;
      else ignored.push(key);
    } else {
      ignored.push(key);
    }
  }
  return { policy: freeze(policy), ignored };
}

/** The policy as shown to the employee: the token only as set or not. */
export function describePolicy(policy) {
  return { ...policy, sharedToken: policy.sharedToken ? '(set)' : '(none)' };
}

function freeze(policy) {
  Object.freeze(policy.excludedDomains);
  return Object.freeze(policy);
}
