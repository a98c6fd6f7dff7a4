import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserFromBrands, detectBrowser } from '../src/browser-info.js';

test('Edge and Chrome are named before the Chromium they are built on', () => {
  assert.deepEqual(browserFromBrands(
    [{ brand: 'Not/A)Brand', version: '8' }, { brand: 'Chromium', version: '126' }, { brand: 'Microsoft Edge', version: '126' }],
    [{ brand: 'Microsoft Edge', version: '126.0.2592.87' }, { brand: 'Chromium', version: '126.0.6478.127' }]),
  { name: 'Microsoft Edge', version: '126.0.2592.87' });
  assert.deepEqual(browserFromBrands(
    [{ brand: 'Google Chrome', version: '126' }, { brand: 'Chromium', version: '126' }, { brand: 'Not;A=Brand', version: '24' }], []),
  { name: 'Google Chrome', version: '126' });
});

test('plain Chromium, GREASE ignored', () => {
  assert.deepEqual(browserFromBrands([{ brand: 'Not:A-Brand', version: '8' }, { brand: 'Chromium', version: '156' }],
    [{ brand: 'Not:A-Brand', version: '8.0.0.0' }, { brand: 'Chromium', version: '156.0.8078.108' }]),
  { name: 'Chromium', version: '156.0.8078.108' });
});

test('without client hints the user agent string is used', () => {
  assert.deepEqual(browserFromBrands(undefined, undefined,
    'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87'),
  { name: 'Microsoft Edge', version: '126.0.2592.87' });
});

test('detection never fails', async () => {
  const nav = { userAgent: 'x Chrome/1.2', userAgentData: { brands: [], getHighEntropyValues: async () => { throw new Error('no'); } } };
  assert.deepEqual(await detectBrowser(nav), { name: 'Chromium', version: '1.2' });
});
