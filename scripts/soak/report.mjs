// What the soak prints: a progress line every 10 s, the PASS/FAIL table, and the
// markdown summary for the README.

const mib = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} MiB` : 'n/a');

function statusText(statuses) {
  return Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
}

export function progressLine(elapsedS, snap, proxy, rss) {
  const kinds = Object.entries(snap.byKind).map(([k, v]) => `${k} ${v.total}`).join(', ');
  const statuses = {};
  for (const v of Object.values(snap.byKind)) for (const [s, n] of Object.entries(v.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  const p = snap.problemCounts;
  return [
    `[${String(elapsedS).padStart(4)} s] ${snap.total} requests (${kinds})`,
    `         statuses ${statusText(statuses)}; friendly 503 ${snap.friendly}; problems: 5xx ${p.serverError}, unexpected ${p.unexpected}, still signed in ${p.stillSignedIn}`,
    `         S3 proxy: ${proxy.requests} requests, injected ${proxy.injected500} x 500 + ${proxy.injectedReset} resets; workerd RSS ${mib(rss)}`,
  ].join('\n');
}

export function checksTable(checks) {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`);
  const verdict = checks.every((c) => c.pass) ? 'PASS' : 'FAIL';
  return `${lines.join('\n')}\n\nSoak: ${verdict}`;
}

function kindsTable(byKind) {
  const rows = Object.entries(byKind).map(([kind, v]) => `| ${kind} | ${v.total} | ${statusText(v.statuses)} |`);
  return ['| Kind | Requests | Statuses |', '|---|---:|---|', ...rows].join('\n');
}

function problemsMarkdown(problems) {
  const all = [...problems.serverError, ...problems.unexpected, ...problems.stillSignedIn];
  if (!all.length) return 'No failing request.';
  return all.map((p) => `- ${p.at} \`${p.request}\` answered ${p.status}: ${String(p.answer).replaceAll('\n', ' ')}`).join('\n');
}

export function summaryMarkdown(r) {
  const verdict = r.checks.every((c) => c.pass) ? 'PASS' : 'FAIL';
  return `## Soak with S3 faults (\`${r.command}\`, ${r.date}): ${verdict}

${r.setup}

| Check | Result | Detail |
|---|---|---|
${r.checks.map((c) => `| ${c.name} | ${c.pass ? 'PASS' : 'FAIL'} | ${c.detail} |`).join('\n')}

Requests: ${r.requestsInRun} in the ${r.seconds} s of load (${(r.requestsInRun / r.seconds).toFixed(1)} per second), then ${r.snap.total - r.requestsInRun} in the final checks; wall time of the whole command ${r.wallSeconds} s:

${kindsTable(r.snap.byKind)}

S3 fault proxy: ${r.proxy.requests} requests, ${r.proxy.injected500} answered 500 and ${r.proxy.injectedReset} reset by the proxy, the others delayed by ${r.proxy.meanDelayMs} ms on average.
The app answered ${r.snap.friendly} avatar uploads with its friendly 503 ("${r.friendlyText}").

workerd RSS: ${r.memory.map((m) => `${m.t} s ${mib(m.rss)}`).join(', ')}.

Cleanup: ${r.cleanupNote}

Failing requests (first few of each kind):

${problemsMarkdown(r.snap.problems)}

${r.machineNote}
`;
}
