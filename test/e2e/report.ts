// A vitest reporter for the browser tests, listed before the default one in
// vitest.config.ts: it clears last run's screenshots and axe results when the run starts,
// and prints what the page checks found just before the default summary.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter } from 'vitest/node';
import { KNOWN_A11Y_ISSUES, KNOWN_REFLOW_ISSUES } from './known-a11y-issues';

const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
const AXE_DIR = join(RESULTS_DIR, 'axe');
const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');

interface PageResult {
  page: string;
  violations: { id: string; impact?: string | null }[];
  known?: string[];
  reflow?: string[];
  knownReflow?: boolean;
}

export class PageChecksReporter implements Reporter {
  onTestRunStart() {
    rmSync(AXE_DIR, { recursive: true, force: true });
    rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  }

  onTestRunEnd() {
    if (!existsSync(AXE_DIR)) return;
    const results: PageResult[] = readdirSync(AXE_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(AXE_DIR, f), 'utf8')) as PageResult);
    const screenshots = existsSync(SCREENSHOT_DIR) ? readdirSync(SCREENSHOT_DIR).filter((f) => f.endsWith('.png')).length : 0;
    const byRule = new Map<string, Set<string>>();
    const note = (key: string, page: string) => byRule.set(key, (byRule.get(key) ?? new Set()).add(page));
    for (const result of results) {
      for (const v of result.violations) if (!(result.known ?? []).includes(v.id) || !['serious', 'critical'].includes(v.impact ?? '')) note(`${v.id} [${v.impact}]`, result.page);
      for (const rule of result.known ?? []) note(`${rule} [known, serious]`, result.page);
    }
    const lines = [`Page checks: ${results.length} pages with axe (desktop, phone, dark-theme contrast); ${screenshots} screenshots in test-results/screenshots/`];
    for (const [rule, pages] of [...byRule].sort()) lines.push(`  axe ${rule}: ${[...pages].sort().join(', ')}`);
    for (const result of results) {
      if (result.reflow?.length) lines.push(`  ${result.page} ${result.knownReflow ? '[known] ' : ''}${result.reflow.join('; ')}`);
    }
    for (const issue of KNOWN_REFLOW_ISSUES) {
      if (results.some((r) => r.page === issue.page && !r.reflow?.length)) lines.push(`  known issue "${issue.page}" did not scroll sideways this run: if it was fixed, delete it from test/e2e/known-a11y-issues.ts`);
    }
    for (const issue of KNOWN_A11Y_ISSUES) {
      if (!results.some((r) => (r.known ?? []).includes(issue.rule))) lines.push(`  known issue "${issue.rule}" was not seen: if it is fixed, delete it from test/e2e/known-a11y-issues.ts`);
    }
    console.log(`\n${lines.join('\n')}`);
  }
}
