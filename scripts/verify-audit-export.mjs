#!/usr/bin/env node
// Verifies an NDJSON export of the Backoffice audit trail, independently of the Backoffice's code:
// plain Node.js, no dependencies. The format is described in README.md ("Audit").
//
//   node scripts/verify-audit-export.mjs audit.ndjson            a full export: content, links, sequence
//   node scripts/verify-audit-export.mjs --partial audit.ndjson  a filtered export: each entry's content
//
// Exit code 0 when everything verifies, 1 at the first broken entry (printed), 2 on usage errors.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const partial = args.includes('--partial');
const file = args.find((a) => !a.startsWith('--'));
if (args.includes('--help')) {
  console.log(
    'usage: verify-audit-export.mjs [--partial] [file.ndjson]   (standard input without a file)',
  );
  process.exit(0);
}

// RFC 8785 JSON Canonicalization for JSON values: sorted keys (UTF-16 code units), no whitespace.
function canonical(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const GENESIS = '0'.repeat(64);

let previous = null;
let count = 0;
const lines = createInterface({
  input: file === undefined ? process.stdin : createReadStream(file),
  crlfDelay: Infinity,
});
for await (const line of lines) {
  if (line.trim() === '') continue;
  const { hash, prevHash, ...entry } = JSON.parse(line);
  const fail = (why) => {
    console.log(`BROKEN at entry ${entry.seq}: ${why} (${count} entries verified before it)`);
    process.exit(1);
  };
  if (sha256(prevHash + canonical(entry)) !== hash) fail('its content does not match its hash');
  if (!partial) {
    const expectedSeq = previous === null ? 1 : previous.seq + 1;
    if (entry.seq !== expectedSeq)
      fail(`expected entry ${expectedSeq} (missing or reordered entries)`);
    if (prevHash !== (previous === null ? GENESIS : previous.hash))
      fail('it does not follow the previous entry');
  }
  previous = { seq: entry.seq, hash };
  count++;
}
console.log(
  `OK: ${count} entries verified${partial ? ' (content only: partial export)' : ''}${previous ? `, last hash ${previous.hash}` : ''}`,
);
