import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanTitle, isExcluded, MAX_TITLE_LENGTH, normalizeDomain, pageOf } from '../src/domain.js';

test('a web page is reduced to its domain and a URL without query, fragment or credentials', () => {
  assert.deepEqual(pageOf('https://user:secret@Mail.Example.COM/inbox/42?q=salary#msg'),
    { domain: 'mail.example.com', url: 'https://mail.example.com/inbox/42' });
  assert.deepEqual(pageOf('http://alpha.test:8080/a/b/'), { domain: 'alpha.test', url: 'http://alpha.test:8080/a/b/' });
  assert.deepEqual(pageOf('https://example.com'), { domain: 'example.com', url: 'https://example.com/' });
  assert.deepEqual(pageOf('https://example.com./x'), { domain: 'example.com', url: 'https://example.com/x' });
  assert.deepEqual(pageOf('http://[::1]:3000/'), { domain: '[::1]', url: 'http://[::1]:3000/' });
});

test('pages that are not on the web are not pages', () => {
  for (const url of ['chrome://settings', 'edge://newtab/', 'about:blank', 'file:///home/me/cv.pdf',
    'chrome-extension://abc/popup.html', 'data:text/html,hi', 'javascript:alert(1)', '', 'not a url', undefined]) {
    assert.equal(pageOf(url), null, String(url));
  }
});

test('very long paths are cut', () => {
  const page = pageOf(`https://example.com/${'a'.repeat(5000)}`);
  assert.equal(page.url.length, 'https://example.com'.length + 1024);
});

test('a domain is excluded with its subdomains but not lookalikes', () => {
  assert.ok(isExcluded('bank.example', ['bank.example']));
  assert.ok(isExcluded('online.bank.example', ['bank.example']));
  assert.ok(!isExcluded('mybank.example', ['bank.example']));
  assert.ok(!isExcluded('bank.example.evil', ['bank.example']));
});

test('domains are normalized or refused', () => {
  assert.equal(normalizeDomain(' Example.COM. '), 'example.com');
  assert.equal(normalizeDomain('exa mple.com'), null);
  assert.equal(normalizeDomain('example.com/path'), null);
  assert.equal(normalizeDomain(''), null);
  assert.equal(normalizeDomain(42), null);
});

test('titles are cleaned and cut', () => {
  assert.equal(cleanTitle(' Inbox\n\t(3)\u0000 '), 'Inbox (3)');
  assert.equal(cleanTitle('x'.repeat(1000)).length, MAX_TITLE_LENGTH);
  assert.equal(cleanTitle('   '), null);
  assert.equal(cleanTitle(undefined), null);
});
