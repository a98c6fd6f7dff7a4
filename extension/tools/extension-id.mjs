#!/usr/bin/env node
// Prints the extension ID that Chrome and Edge derive from the manifest's "key" (see README.md, "Extension ID").
// Usage: node tools/extension-id.mjs [manifest.json]

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** First 32 hex digits of SHA-256 over the DER public key, each digit 0-f mapped to a letter a-p. */
export function extensionIdFromKey(base64Key) {
  const der = Buffer.from(base64Key, 'base64');
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + parseInt(digit, 16))).join('');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? new URL('../manifest.json', import.meta.url);
  console.log(extensionIdFromKey(JSON.parse(readFileSync(file, 'utf8')).key));
}
