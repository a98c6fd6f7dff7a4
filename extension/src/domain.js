// URL → what may be reported about it. Pure functions, no chrome.* API: unit-tested with node --test.

/** Longest URL path reported; longer paths are cut (they are usually generated, not meaningful). */
export const MAX_PATH_LENGTH = 1024;
/** Longest title reported (titles only when the policy allows them). */
export const MAX_TITLE_LENGTH = 256;

const HOST = /^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;
const IPV6 = /^\[[0-9a-f:.]{2,45}\]$/;

/** A domain in canonical form (lower case, no trailing dot), or null when it is not a host name. */
export function normalizeDomain(text) {
  if (typeof text !== 'string') return null;
  let d = text.trim().toLowerCase();
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d === '' || d.length > 253) return null;
  return HOST.test(d) || IPV6.test(d) ? d : null;
}

/**
 * The web page behind a tab's URL: { domain, url } where url is scheme://host[:port]/path — never credentials,
 * query or fragment (search terms, session tokens and personal identifiers live there). null for anything that is
 * not an http(s) page: browser pages (chrome://, edge://), extension pages, file://, data:, about:blank.
 */
export function pageOf(rawUrl) {
  if (typeof rawUrl !== 'string' || rawUrl === '') return null;
  let parsed;
  try {
    parsed = new URL(rawUrl);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const domain = normalizeDomain(parsed.hostname);
  if (domain === null) return null;
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const path = (parsed.pathname || '/').slice(0, MAX_PATH_LENGTH);
  return { domain, url: `${parsed.protocol}//${domain}${port}${path}` };
}

/** Whether domain is one of the excluded domains or a subdomain of one. */
export function isExcluded(domain, excludedDomains) {
  return excludedDomains.some((excluded) => domain === excluded || domain.endsWith(`.${excluded}`));
}

/** A title without control characters, whitespace collapsed, cut; null when nothing is left. */
export function cleanTitle(title) {
  if (typeof title !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  let cleaned = title.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  if (cleaned.length > MAX_TITLE_LENGTH) {
    const end = /[\ud800-\udbff]/.test(cleaned[MAX_TITLE_LENGTH - 1]) ? MAX_TITLE_LENGTH - 1 : MAX_TITLE_LENGTH;
    cleaned = cleaned.slice(0, end).trim();
  }
  return cleaned === '' ? null : cleaned;
}
