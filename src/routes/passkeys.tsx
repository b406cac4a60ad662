import { zValidator } from '@hono/zod-validator';
import { refuseJson, tooManyJson } from '../http/json-refusals';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../http/app-env';
import { refuseConfirmation } from '../http/refused-confirmation';
import { requireUser, userOf } from '../http/current-user';
import { fieldErrors } from '../auth/forms';
import { setSessionCookie } from '../http/session-cookie';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { describeUserAgent } from '../auth/user-agent';
import { setFlash, takeFlash } from '../http/flash';
import { absoluteUrl } from '../mail/links';
import { requestContext } from '../http/request-context';
import { jsonAfterSignIn, signInDeps } from '../http/sign-in-response';
import { sendQuietly } from '../mail/mailer';
import { passkeyAddedNotice, passkeyRemovedNotice } from '../mail/messages';
import { passwordOnlySchema } from '../mfa/forms';
import { findUserPasskey, listPasskeys, removePasskey, renamePasskey } from '../mfa/passkeys';
import { relyingPartyFor } from '../mfa/webauthn';
import { deleteWebAuthnCookie, readWebAuthnCookie, setWebAuthnCookie } from '../http/webauthn-cookie';
import {
  MAX_JSON_BODY_BYTES,
  cleanPasskeyName,
  registrationBody,
  registrationOptionsBody,
  signInBody,
  signInOptionsBody,
  toAssertionAnswer,
  toRegistrationAnswer,
} from '../mfa/webauthn-json';
import { finishPasskeyRegistration, startPasskeyRegistration } from '../mfa/webauthn-registration';
import { challengeSigningKey } from '../mfa/signed-challenges';
import { startPasskeySignIn, type AssertionAnswer } from '../mfa/webauthn-sign-in';
import { startSecondStepWithPasskey } from '../mfa/second-step';
import { deletePendingSignInCookie, readPendingSignInCookie } from '../http/pending-sign-in-cookie';
import { completeSecondStep, signInWithPasskey } from '../sign-in/sign-in-methods';
import { ErrorPage } from '../views/pages/error';
import { PASSKEYS_PATH, PasskeysPage, type RenameError } from '../views/pages/passkeys';
import { RemovePasskeyPage } from '../views/pages/passkeys-remove';

// Passkeys: the management pages (forms) and the four JSON endpoints that
// assets/static/passkeys.js calls (src/http/readable-body.tsx lets JSON through to them).

const HOME = PASSKEYS_PATH;

type Schema<T> = { safeParse(value: unknown): { success: true; data: T } | { success: false } };

// A body that is not the JSON the script sends gets the same 400 page as a broken form.
async function readJson<T>(c: Context<AppEnv>, schema: Schema<T>): Promise<T | null> {
  const length = Number(c.req.header('content-length'));
  const type = c.req.header('content-type')?.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' || !(length > 0 && length <= MAX_JSON_BODY_BYTES)) return null;
  try {
    const parsed = schema.safeParse(await c.req.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const unreadable = (c: Context<AppEnv>) => c.html(<ErrorPage status={400} user={c.var.user} />, 400);


// After the response: a slow mail service never holds up the page.
function notify(c: Context<AppEnv>, compose: typeof passkeyAddedNotice, name: string) {
  const user = c.var.user!;
  c.executionCtx.waitUntil(sendQuietly(c.var.mailer(), compose(user.email, user.username, absoluteUrl(c.var.config, HOME), name)));
}

async function renderList(c: Context<AppEnv>, renameError?: RenameError) {
  const user = c.var.user!;
  const passkeys = await listPasskeys(c.var.db, user.id);
  const { t } = c.var.i18n;
  const device = describeUserAgent(c.req.header('user-agent'), t);
  const suggestedName = device === t('account.device.unknown') ? t('security.passkeys.defaultName') : device;
  const page = <PasskeysPage user={user} passkeys={passkeys} suggestedName={suggestedName} renameError={renameError} flash={renameError ? null : takeFlash(c)} />;
  return c.html(page, renameError ? 422 : 200);
}

const renameSchema = z.object({ name: z.string().check(z.maxLength(500)) });

// The pending sign-in is over (expired, used, or every session ended meanwhile): back to
// /login, where the flash says why.
function signInTimedOut(c: Context<AppEnv>) {
  deletePendingSignInCookie(c);
  const message = c.var.i18n.t('security.passkeyRoutes.signInTimedOut');
  setFlash(c, { kind: 'info', message });
  return c.json({ error: message, redirect: '/login' }, 400);
}

// "Use your passkey" on the two-factor page: no cookie of its own, the challenge is
// kept with the pending sign-in.
async function secondStepOptions(c: Context<AppEnv>) {
  const result = await startSecondStepWithPasskey(c.var.db, relyingPartyFor(c.var.config.publicOrigin), readPendingSignInCookie(c));
  if (!result.ok && result.reason === 'expired') return signInTimedOut(c);
  if (!result.ok) return refuseJson(c, 409, c.var.i18n.t('security.passkeyRoutes.noPasskeyEnterCode'));
  return c.json({ publicKey: result.options });
}

async function answerSecondStep(c: Context<AppEnv>, answer: AssertionAnswer) {
  // The count the code form takes from, per address.
  const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'two-factor', clientAddress(c.req.raw.headers));
  if (!limit.ok) return tooManyJson(c, limit.retryAfterSeconds);
  const proof = { method: 'passkey', answer, rp: relyingPartyFor(c.var.config.publicOrigin) } as const;
  const result = await completeSecondStep(signInDeps(c), { pendingToken: readPendingSignInCookie(c), proof });
  if (!result.ok && result.reason === 'expired') return signInTimedOut(c);
  if (!result.ok && result.reason === 'locked') return tooManyJson(c, result.retryAfterSeconds);
  if (!result.ok && result.reason === 'no-challenge') return refuseJson(c, 400, c.var.i18n.t('security.passkeyRoutes.tooLong'));
  if (!result.ok) return refuseJson(c, 401, c.var.i18n.t('security.passkeyRoutes.secondStepFailed'));
  return jsonAfterSignIn(c, result);
}

export const passkeyRoutes = new Hono<AppEnv>()
  .use(HOME, requireUser)
  .use(`${HOME}/*`, requireUser)
  .get(HOME, (c) => renderList(c))
  .post(`${HOME}/options`, async (c) => {
    const body = await readJson(c, registrationOptionsBody);
    if (!body) return unreadable(c);
    const proof = { password: body.password, sessionId: c.var.session!.id };
    const result = await startPasskeyRegistration(c.var.db, relyingPartyFor(c.var.config.publicOrigin), c.var.user!, proof);
    if (!result.ok && result.reason === 'locked') return tooManyJson(c, result.retryAfterSeconds);
    const { t } = c.var.i18n;
    if (!result.ok && result.reason === 'wrong-password') return refuseJson(c, 422, t('security.fields.wrongPassword'), 'password');
    if (!result.ok && result.reason === 'password-missing') return refuseJson(c, 422, t('security.passkeyRoutes.passwordMissing'), 'password');
    if (!result.ok && result.reason === 'confirmation-needed') return refuseJson(c, 403, t('security.passkeyRoutes.confirmFirst'));
    if (!result.ok) return refuseJson(c, 409, t('security.passkeyRoutes.tooMany'));
    setWebAuthnCookie(c, 'webauthn_register', result.issued.token, result.issued.expiresAt);
    return c.json({ publicKey: result.options });
  })
  .post(`${HOME}/register`, async (c) => {
    const body = await readJson(c, registrationBody);
    if (!body) return unreadable(c);
    const { t } = c.var.i18n;
    const name = cleanPasskeyName(body.name);
    if (!name) return refuseJson(c, 422, t('security.passkeyRoutes.nameRule'), 'name');
    let answer;
    try {
      answer = toRegistrationAnswer(body, name);
    } catch {
      return unreadable(c);
    }
    const token = readWebAuthnCookie(c, 'webauthn_register');
    deleteWebAuthnCookie(c, 'webauthn_register');
    const rp = relyingPartyFor(c.var.config.publicOrigin);
    const result = await finishPasskeyRegistration(c.var.db, rp, c.var.user!.id, token, answer, requestContext(c));
    if (!result.ok && result.reason === 'expired') return refuseJson(c, 400, t('security.passkeyRoutes.tooLong'));
    if (!result.ok && result.reason === 'duplicate') return refuseJson(c, 409, t('security.passkeyRoutes.duplicate'));
    if (!result.ok && result.reason === 'too-many') return refuseJson(c, 409, t('security.passkeyRoutes.tooMany'));
    if (!result.ok) return refuseJson(c, 400, t('security.passkeyRoutes.unchecked'));
    notify(c, passkeyAddedNotice, name);
    setFlash(c, { kind: 'success', message: t('security.passkeyRoutes.added', { name }) });
    return c.json({ redirect: HOME });
  })
  .post(
    `${HOME}/:id/rename`,
    zValidator('form', renameSchema, (result, c) => {
      if (!result.success) return unreadable(c as Context<AppEnv>);
    }),
    async (c) => {
      const id = c.req.param('id');
      const typed = c.req.valid('form').name;
      const name = cleanPasskeyName(typed);
      if (!name) return renderList(c, { id, name: typed, message: c.var.i18n.t('security.passkeyRoutes.nameRule') });
      if (!(await renamePasskey(c.var.db, c.var.user!.id, id, name))) return c.notFound();
      setFlash(c, { kind: 'success', message: c.var.i18n.t('security.passkeyRoutes.renamed', { name }) });
      return c.redirect(HOME, 303);
    },
  )
  .get(`${HOME}/:id/remove`, async (c) => {
    const passkey = await findUserPasskey(c.var.db, c.var.user!.id, c.req.param('id'));
    return passkey ? c.html(<RemovePasskeyPage user={c.var.user!} passkey={passkey} flash={takeFlash(c)} />) : c.notFound();
  })
  .post(
    `${HOME}/:id/remove`,
    zValidator('form', passwordOnlySchema, async (result, c) => {
      if (result.success) return;
      const ctx = c as Context<AppEnv>;
      const passkey = await findUserPasskey(ctx.var.db, userOf(c).id, ctx.req.param('id')!);
      return passkey ? ctx.html(<RemovePasskeyPage user={userOf(c)} passkey={passkey} errors={fieldErrors(result.error)} />, 422) : ctx.notFound();
    }),
    async (c) => {
      const user = c.var.user!;
      const id = c.req.param('id');
      const result = await removePasskey(c.var.db, c.env.SESSIONS, user, id, c.req.valid('form').password, c.var.session!, requestContext(c));
      if (!result.ok && result.reason === 'not-found') return c.notFound();
      if (!result.ok) {
        const showForm = async (message: string) => {
          const passkey = await findUserPasskey(c.var.db, user.id, id);
          return passkey ? c.html(<RemovePasskeyPage user={user} passkey={passkey} errors={{ password: [message] }} />, 422) : c.notFound();
        };
        return refuseConfirmation(c, result, `${HOME}/${id}/remove`, showForm, c.var.i18n.t('security.fields.wrongPassword'));
      }
      notify(c, passkeyRemovedNotice, result.name);
      setSessionCookie(c, result.token, result.session.expiresAt);
      setFlash(c, { kind: 'success', message: c.var.i18n.t('security.passkeyRoutes.removed', { name: result.name, count: result.signedOut }) });
      return c.redirect(HOME, 303);
    },
  )
  .post('/login/passkey/options', async (c) => {
    const body = await readJson(c, signInOptionsBody);
    if (!body) return unreadable(c);
    if (body.secondStep) return secondStepOptions(c);
    // No storage and no limiter: a signed challenge costs one HMAC.
    const key = await challengeSigningKey(c.var.config.mfaEncryptionKey);
    const { issued, options } = await startPasskeySignIn(key, relyingPartyFor(c.var.config.publicOrigin));
    setWebAuthnCookie(c, 'webauthn_sign_in', issued.token, issued.expiresAt);
    return c.json({ publicKey: options });
  })
  .post('/login/passkey', async (c) => {
    const body = await readJson(c, signInBody);
    if (!body) return unreadable(c);
    let answer;
    try {
      answer = toAssertionAnswer(body);
    } catch {
      return unreadable(c);
    }
    if (body.secondStep) return answerSecondStep(c, answer);
    const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'sign-in', clientAddress(c.req.raw.headers));
    if (!limit.ok) return tooManyJson(c, limit.retryAfterSeconds);
    const challengeToken = readWebAuthnCookie(c, 'webauthn_sign_in');
    deleteWebAuthnCookie(c, 'webauthn_sign_in');
    const rp = relyingPartyFor(c.var.config.publicOrigin);
    const key = await challengeSigningKey(c.var.config.mfaEncryptionKey);
    const result = await signInWithPasskey(signInDeps(c), { key, rp, challengeToken, answer, next: c.req.query('next') });
    if (!result.ok && result.reason === 'locked') return tooManyJson(c, result.retryAfterSeconds);
    const { t } = c.var.i18n;
    if (!result.ok && result.reason === 'expired') return refuseJson(c, 400, t('security.passkeyRoutes.tooLong'));
    if (!result.ok && result.reason === 'must-reset') return refuseJson(c, 403, t('security.passkeyRoutes.mustReset'));
    if (!result.ok) return refuseJson(c, 401, t('security.passkeyRoutes.signInFailed'));
    return jsonAfterSignIn(c, result);
  });
