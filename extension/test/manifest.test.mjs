import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../src/policy.js';
import { extensionIdFromKey } from '../tools/extension-id.mjs';

const root = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const manifest = JSON.parse(read('manifest.json'));

test('permissions are exactly what the extension uses', () => {
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual([...manifest.permissions].sort(), ['alarms', 'idle', 'storage', 'tabs']);
  assert.deepEqual(manifest.host_permissions, ['http://127.0.0.1/*']);
  assert.equal(manifest.optional_permissions, undefined);
  assert.equal(manifest.content_scripts, undefined);
  assert.equal(manifest.externally_connectable, undefined);
  assert.equal(manifest.web_accessible_resources, undefined);
});

test('incognito windows are closed to the extension', () => {
  assert.equal(manifest.incognito, 'not_allowed');
});

test('extension pages can connect to 127.0.0.1 only', () => {
  const csp = manifest.content_security_policy.extension_pages;
  assert.match(csp, /connect-src http:\/\/127\.0\.0\.1:\*(;|$)/);
  assert.doesNotMatch(csp, /connect-src[^;]*(https:|\*\.|localhost|'self')/);
});

test('no source file names another destination', () => {
  for (const dir of ['src', 'popup']) {
    for (const file of readdirSync(new URL(`${dir}/`, root))) {
      const text = read(`${dir}/${file}`);
      const urls = text.match(/\b(?:https?|wss?):\/\/[^\s'"`)]+/g) ?? [];
      for (const url of urls) assert.match(url, /^http:\/\/127\.0\.0\.1[:/$]/, `${dir}/${file}: ${url}`);
    }
  }
});

test('the ID derived from the key is the one documented and allowed by the agent by default', () => {
  const id = extensionIdFromKey(manifest.key);
  assert.match(id, /^[a-p]{32}$/);
  assert.ok(read('README.md').includes(id), 'README.md names the ID');
  const javaConfig = readFileSync(new URL(
    '../modules/collector/src/main/java/com/xentracker/collector/browser/BrowserEndpointConfig.java', root), 'utf8');
  assert.ok(javaConfig.includes(`REPOSITORY_EXTENSION_ID = "${id}"`), 'BrowserEndpointConfig allows the ID');
  assert.ok(!manifest.key.includes('PRIVATE'), 'only the public key is in the manifest');
});

test('the managed schema describes exactly the policy keys, and the defaults fit it', () => {
  const schema = JSON.parse(read(manifest.storage.managed_schema));
  assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(DEFAULT_POLICY).sort());
  for (const [key, value] of Object.entries(DEFAULT_POLICY)) {
    const property = schema.properties[key];
    assert.equal(property.type, Array.isArray(value) ? 'array' : typeof value === 'number' ? 'integer' : typeof value, key);
    if (property.minimum !== undefined) assert.ok(value >= property.minimum && value <= property.maximum, key);
  }
});

test('every file the manifest names exists', () => {
  for (const path of [manifest.background.service_worker, manifest.action.default_popup,
    manifest.storage.managed_schema]) {
    assert.ok(existsSync(new URL(path, root)), path);
  }
});

test('the agent port default is the same on both sides', () => {
  const javaConfig = readFileSync(new URL(
    '../modules/collector/src/main/java/com/xentracker/collector/browser/BrowserEndpointConfig.java', root), 'utf8');
  assert.ok(javaConfig.includes(`DEFAULT_PORT = ${DEFAULT_POLICY.agentPort};`));
});
