import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { mergePolicy } from '../src/policy.js';
import { extensionIdFromKey } from '../tools/extension-id.mjs';

const root = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const schema = JSON.parse(read('managed_schema.json'));
const ID = extensionIdFromKey(JSON.parse(read('manifest.json')).key);
const KEYS = Object.keys(schema.properties);

test('the Linux template force-installs the extension and sets only valid configuration', () => {
  const policy = JSON.parse(read('policy/linux/xentracker.json'));
  assert.equal(policy.ExtensionSettings[ID].installation_mode, 'force_installed');
  const config = policy['3rdparty'].extensions[ID];
  assert.deepEqual(mergePolicy(config).ignored, []);
  assert.equal(mergePolicy(config).policy.reportFullUrls, false);
});

for (const browser of ['chrome', 'edge']) {
  test(`the Windows template for ${browser} uses only schema keys with registry types that fit`, () => {
    const reg = read(`policy/windows/${browser}.reg`);
    assert.match(reg, /^Windows Registry Editor Version 5\.00/);
    assert.match(reg, new RegExp(`\\\\ExtensionInstallForcelist\\]\\r?\\n(;.*\\r?\\n)*"1"="${ID};https://`));
    const section = reg.split(`\\3rdparty\\extensions\\${ID}\\policy]`)[1];
    const names = [...section.matchAll(/^"([A-Za-z]+)"=/gm)].map((m) => m[1]);
    assert.ok(names.length >= 4);
    for (const name of names) assert.ok(KEYS.includes(name), name);
    for (const [, name, type] of section.matchAll(/^"([A-Za-z]+)"=(dword|")/gm)) {
      const expected = ['integer', 'boolean'].includes(schema.properties[name].type) ? 'dword' : '"';
      assert.equal(type, expected, name);
    }
    assert.match(reg, new RegExp(`\\\\policy\\\\excludedDomains\\]\\r?\\n"1"="`));
  });

  test(`the macOS profile for ${browser} configures the extension's own preference domain`, () => {
    const profile = read(`policy/macos/${browser}.mobileconfig`);
    const bundle = browser === 'chrome' ? 'com.google.Chrome' : 'com.microsoft.Edge';
    assert.ok(profile.includes(`<string>${bundle}.extensions.${ID}</string>`));
    assert.match(profile, new RegExp(`<key>${ID}</key>\\s*<dict>\\s*<key>installation_mode</key><string>force_installed`));
    const config = profile.split(`${bundle}.extensions.${ID}`)[1];
    const names = [...config.matchAll(/<key>([A-Za-z]+)<\/key>/g)].map((m) => m[1])
      .filter((name) => !name.startsWith('Payload'));
    assert.deepEqual(names.filter((name) => !KEYS.includes(name)), []);
    assert.match(config, /<key>agentPort<\/key><integer>47291<\/integer>/);
    assert.equal(new Set(profile.match(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/g)).size, 3);
  });
}
