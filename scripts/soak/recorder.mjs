// Every request the soak makes, counted by kind and status; anything that breaks a rule
// is kept with its request and an excerpt of the answer (the first few of each rule).
import { excerpt } from '../bench/load.mjs';

// The profile page's answer when S3 refused the picture (src/users/profile-update.ts,
// AVATAR_NOT_SAVED; English text from src/i18n/en/forms.ts 'forms.avatar.notSaved').
export const AVATAR_NOT_SAVED_TEXT = 'We could not save your picture. Nothing was changed; please try again.';
const KEEP = 12;

export function createRecorder() {
  const byKind = new Map();
  const problems = { serverError: [], unexpected: [], stillSignedIn: [] };
  const problemCounts = { serverError: 0, unexpected: 0, stillSignedIn: 0 };
  let friendly = 0;
  let total = 0;

  const count = (kind, status) => {
    total++;
    const entry = byKind.get(kind) ?? { total: 0, statuses: {} };
    entry.total++;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    byKind.set(kind, entry);
  };
  const problem = (rule, details) => {
    problemCounts[rule]++;
    if (problems[rule].length < KEEP) problems[rule].push({ at: new Date().toISOString(), ...details });
  };

  return {
    count,
    problem,
    friendlyAvatarRefusal: () => friendly++,
    snapshot: () => ({
      total,
      friendly,
      byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, { total: v.total, statuses: { ...v.statuses } }])),
      problems,
      problemCounts: { ...problemCounts },
    }),
  };
}

// One request, counted under `kind`. `expect(status, response)` says whether the
// answer is the expected one. A 5xx other than the friendly picture refusal, a network
// error and an unexpected status are recorded as problems with the request and answer.
export async function call(recorder, kind, url, init, expect, describe) {
  const method = init.method ?? 'GET';
  const request = `${method} ${new URL(url).pathname}${describe ? ` (${describe})` : ''}`;
  let response;
  let text;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(60_000), ...init });
    text = await response.text();
  } catch (error) {
    recorder.count(kind, 'error');
    recorder.problem('unexpected', { kind, request, status: 'network error', answer: String(error.cause?.message ?? error.message) });
    return { ok: false, response: null, text: '' };
  }
  const { status } = response;
  recorder.count(kind, status);
  const answer = () => `${status}${response.headers.get('location') ? ` -> ${response.headers.get('location')}` : ''}: ${excerpt(text, 300)}`;
  if (status >= 500) {
    const friendly = status === 503 && method === 'POST' && new URL(url).pathname === '/profile' && text.includes(AVATAR_NOT_SAVED_TEXT);
    if (friendly) recorder.friendlyAvatarRefusal();
    else recorder.problem('serverError', { kind, request, status, answer: answer() });
    return { ok: friendly, friendly, response, text };
  }
  const ok = expect(status, response);
  if (!ok) recorder.problem('unexpected', { kind, request, status, answer: answer() });
  return { ok, response, text };
}
