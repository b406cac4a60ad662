// Rewrites the credential-lifecycle table in README.md from src/auth/credential-policy.ts
// (between the policy-table markers). test/credential-policy.test.ts fails until this runs
// after a row changes. Usage: npm run docs:policy
import { readFile, writeFile } from 'node:fs/promises';

const { policyTableMarkdown } = await import('../src/auth/credential-policy.ts');
const readmeUrl = new URL('../README.md', import.meta.url);
const readme = await readFile(readmeUrl, 'utf8');
const start = readme.indexOf('<!-- policy-table:start');
const end = readme.indexOf('<!-- policy-table:end -->');
if (start < 0 || end < start) {
  console.error('README.md has no policy-table markers; nothing written.');
  process.exit(1);
}
const open = readme.indexOf('\n', start) + 1;
const updated = `${readme.slice(0, open)}${policyTableMarkdown()}\n${readme.slice(end)}`;
await writeFile(readmeUrl, updated);
console.log(updated === readme ? 'README.md: policy table already up to date.' : 'README.md: policy table rewritten.');
