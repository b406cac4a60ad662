// Builds assets/static/common-passwords.txt from the maintained list in
// @zxcvbn-ts/language-common: one password per line, lower case, sorted. The Worker reads
// it through its ASSETS binding on the first password check of each isolate, and the Node
// CLIs read it from disk (src/auth/common-passwords.ts), so it stays out of the Worker
// bundle. Only entries that pass the other password rules (8+ characters, not all digits)
// are kept: the rest can never reach this check. Sorted, so neighbours share prefixes
// and the file compresses well on the wire; only membership matters.
// Runs on npm install, and before a deploy so none ever ships without it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dictionary } from '@zxcvbn-ts/language-common';

// Must match COMMON_PASSWORDS_PATH in src/auth/common-passwords.ts.
const out = new URL('../assets/static/common-passwords.txt', import.meta.url);

const source = dictionary['passwords-common'];
if (!Array.isArray(source) || source.length < 10000) {
  throw new Error('@zxcvbn-ts/language-common no longer exports the expected password list');
}
const kept = [...new Set(source.map((p) => p.toLowerCase()))].filter((p) => p.length >= 8 && !/^\d+$/.test(p) && !/[\r\n]/.test(p)).sort();
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, `${kept.join('\n')}\n`);
console.log(`common passwords: ${kept.length} of ${source.length} kept in assets/static/common-passwords.txt`);
