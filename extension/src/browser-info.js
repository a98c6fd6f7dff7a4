// Which browser this is, from User-Agent Client Hints (Chrome and Edge both implement them). Pure except detect().

// Most specific first: Edge and Chrome also list "Chromium".
const KNOWN = ['Microsoft Edge', 'Google Chrome', 'Opera', 'Brave', 'Chromium'];

/** { name, version } from the brand lists; GREASE brands ("Not:A-Brand", "Not_A Brand"...) are ignored. */
export function browserFromBrands(brands, fullVersionList, userAgent = '') {
  const real = (list) => (Array.isArray(list) ? list : []).filter((b) => b && typeof b.brand === 'string'
    && !/not.?a.?brand/i.test(b.brand));
  const all = real(brands);
  const full = real(fullVersionList);
  const name = KNOWN.find((known) => all.some((b) => b.brand === known))
    ?? all[0]?.brand
    ?? (/Edg\//.test(userAgent) ? 'Microsoft Edge' : 'Chromium');
  const version = full.find((b) => b.brand === name)?.version
    ?? all.find((b) => b.brand === name)?.version
    ?? (name === 'Microsoft Edge' ? userAgent.match(/Edg\/([\d.]+)/) : userAgent.match(/Chrome\/([\d.]+)/))?.[1]
    ?? '';
  return { name, version };
}

/** The running browser; never rejects. */
export async function detectBrowser(nav) {
  const data = nav?.userAgentData;
  let fullVersionList = [];
  try {
    fullVersionList = (await data?.getHighEntropyValues?.(['fullVersionList']))?.fullVersionList ?? [];
  } catch {
    // the low-entropy brands are enough
  }
  return browserFromBrands(data?.brands, fullVersionList, nav?.userAgent ?? '');
}
