// The list of reported fields shown to the employee, from the effective policy. Pure.

export function describeFields(policy, browser) {
  const lines = [
    policy.reportFullUrls
      ? 'The address of the active tab: scheme, site and path (never the query string, fragment or passwords)'
      : 'The site (domain) of the active tab only, not the full address',
    policy.reportTitles ? 'The page title' : 'Not the page title',
    'Whether a tab is playing sound',
    `The browser${browser ? ` (${browser.name} ${browser.version})` : ''} and the time`,
    'Whether this browser has the focus and you are active, idle or locked',
  ];
  if (policy.excludedDomains.length > 0) {
    lines.push(`Excluded sites, only as "excluded" time: ${policy.excludedDomains.join(', ')}`);
  }
  lines.push('Never: page contents, form input, keystrokes, incognito/InPrivate windows');
  return lines;
}
