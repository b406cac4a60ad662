import { safeNextPath } from '../auth/redirects';
import { createSession, invalidateSession, type Session } from '../auth/session';
import { revokeSession, revokeSessionStatement } from '../auth/session-revocation';
import { alertOnUnfamiliarSignIn } from '../auth/sign-in-alerts';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { absoluteUrl } from '../mail/links';
import type { Mailer } from '../mail/mailer';
import { findAccountFactors } from '../mfa/other-credentials';
import { createPendingSignIn } from '../mfa/pending-sign-in';
import type { RequestContext } from '../users/security-events';
import { completeSignIn, firstFactorStatements, type FirstFactorWrites, type SignInHow } from './complete-sign-in';
import { requiresSecondStep, type AccountFactors, type FirstFactorProof } from './second-step-rule';

// What a sign-in needs from the request it happens in (src/http/sign-in-response.ts
// builds it from Hono's context).
export interface SignInDeps {
  db: Db;
  kv: KVNamespace;
  mailer: () => Mailer;
  config: Pick<Config, 'publicOrigin'>;
  context: RequestContext;
  // This browser's session, if it has one: a sign-in ends it (no fixation).
  previousSession: Session | null;
  // Work for after the response: the new-location check.
  waitUntil: (work: Promise<unknown>) => void;
}

// A proven first factor: how, whose, and the writes its check left for later.
// A provider names itself (providerName, its label) for the event and the sessions page.
// `factors`: the account's second factors, when the first factor's check already read them.
export type FirstFactor = FirstFactorProof & FirstFactorWrites & { userId: string; providerName?: string; factors?: AccountFactors };

export type SignInResult =
  | { ok: true; kind: 'signed-in'; token: string; expiresAt: number; next?: string }
  | { ok: true; kind: 'second-step'; pendingToken: string; expiresAt: number };

function sessionDetails(context: RequestContext, how?: SignInHow) {
  return { userAgent: context.userAgent, location: context.location, signInMethod: how?.method, providerName: how?.providerName };
}

// A new session on every sign-up (sign-ins go through finishSignIn); any previous one on
// this browser ends.
export async function startSession(deps: Pick<SignInDeps, 'db' | 'kv' | 'context' | 'previousSession'>, userId: string, how?: SignInHow) {
  const [, { token, session }] = await Promise.all([
    deps.previousSession ? revokeSession(deps.db, deps.kv, deps.previousSession) : undefined,
    createSession(deps.kv, userId, sessionDetails(deps.context, how)),
  ]);
  return { token, expiresAt: session.expiresAt };
}

// The end of every sign-in, whatever proved it. `now` was taken before the sign-in was
// recorded: the new-location check, after the response, compares it with earlier ones.
// The D1 batch (last login, counts cleared, the event, the previous session refused) and
// the new session's KV records do not wait for each other. The record carries the last-
// login time the batch writes, and is refused until D1 holds it (isSessionRevoked): a
// sign-in that stops between the two leaves no session D1 does not know.
export async function finishSignIn(
  deps: SignInDeps,
  userId: string,
  how: SignInHow,
  options: { next?: string; writes?: FirstFactorWrites; now: number },
): Promise<SignInResult> {
  const previous = deps.previousSession;
  const [recorded, created, tidied] = await Promise.allSettled([
    completeSignIn(deps.db, userId, how, deps.context, options.now, options.writes, previous ? [revokeSessionStatement(deps.db, previous)] : []),
    createSession(deps.kv, userId, { ...sessionDetails(deps.context, how), signedInAt: options.now }, options.now),
    previous ? invalidateSession(deps.kv, previous) : undefined,
  ]);
  if (recorded.status === 'rejected') {
    // Nobody has the token yet; D1 refuses the record anyway. Only tidying up.
    if (created.status === 'fulfilled') deps.waitUntil(invalidateSession(deps.kv, created.value.session).catch(() => undefined));
    throw recorded.reason;
  }
  if (created.status === 'rejected') throw created.reason;
  if (tidied.status === 'rejected') console.warn('The previous session’s KV records were not deleted (D1 refuses it):', tidied.reason);
  const linkTo = (path: string, query: Record<string, string>) => absoluteUrl(deps.config, path, query);
  deps.waitUntil(alertOnUnfamiliarSignIn(deps.db, deps.mailer(), linkTo, userId, deps.context, options.now));
  return { ok: true, kind: 'signed-in', token: created.value.token, expiresAt: created.value.session.expiresAt, next: options.next };
}

// After any first factor: a second step if the account calls for one, else signed in.
export async function continueSignIn(deps: SignInDeps, first: FirstFactor, next: string | undefined, now: number): Promise<SignInResult> {
  const account = first.factors ?? (await findAccountFactors(deps.db, first.userId));
  if (!requiresSecondStep(first, account)) return finishSignIn(deps, first.userId, { method: first.method, providerName: first.providerName }, { next, writes: first, now });
  await settleFirstFactor(deps.db, first, now);
  // No session yet: only a pending sign-in, for the second-step pages.
  const pending = await createPendingSignIn(deps.db, { userId: first.userId, firstFactor: first.method, providerName: first.providerName, next: next ? safeNextPath(next) : undefined }, now);
  return { ok: true, kind: 'second-step', pendingToken: pending.token, expiresAt: pending.expiresAt };
}

// The first factor's count guards what was presented, now known to be right; the codes
// have their own count, per account, which only a completed sign-in clears.
async function settleFirstFactor(db: Db, first: FirstFactor, now: number): Promise<void> {
  const [write, ...more] = firstFactorStatements(db, first.userId, first, now);
  if (write) await db.batch([write, ...more]);
}
