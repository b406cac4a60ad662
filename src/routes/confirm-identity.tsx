import { zValidator } from '@hono/zod-validator';
import { refuseJson, tooManyJson } from '../http/json-refusals';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { CONFIRM_PASSKEY_PATH, confirmIdentityWithPasskey, hasPasskey, startPasskeyConfirmation } from '../account/passkey-confirmation';
import { CONFIRM_IDENTITY_PATH } from '../auth/identity-confirmation';
import { hasUsablePassword } from '../auth/password-hash';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { safeNextPath } from '../auth/redirects';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { setFlash, takeFlash } from '../http/flash';
import { providerFlowCookie } from '../http/provider-flow-cookie';
import { requestContext } from '../http/request-context';
import { redirectToProvider } from '../http/same-origin-redirects';
import { relyingPartyFor } from '../mfa/webauthn';
import { signInBody, toAssertionAnswer } from '../mfa/webauthn-json';
import { findProvider, startProviderSignIn } from '../providers/provider-sign-in';
import { listIdentities } from '../providers/user-identities';
import { ConfirmIdentityPage } from '../views/pages/confirm-identity';
import { ErrorPage } from '../views/pages/error';

// The step-up of an account without a password: sign in again with a linked provider
// (src/auth/identity-confirmation.ts; the provider's return lands in src/routes/providers.tsx),
// or use one of the account's passkeys (src/account/passkey-confirmation.ts) through the
// two endpoints assets/static/passkeys.js calls. Those take form posts (the assertion's
// fields are base64url; the app reads JSON only on the paths src/http/readable-body.tsx
// lists) and answer JSON.

// The assertion the script posts, as /login/passkey takes it (without its second-step flag).
const assertionForm = z.omit(signInBody, { secondStep: true });


function signedInUser(c: Context<AppEnv>) {
  const user = c.var.user!;
  return { id: user.id, passwordHash: user.passwordHash, sessionId: c.var.session!.id };
}

export const confirmIdentityRoutes = new Hono<AppEnv>()
  .use(CONFIRM_IDENTITY_PATH, requireUser)
  .use(`${CONFIRM_IDENTITY_PATH}/*`, requireUser)
  .get(CONFIRM_IDENTITY_PATH, async (c) => {
    const user = c.var.user!;
    const next = safeNextPath(c.req.query('next'), '/account');
    // An account with a password types it on the page itself.
    if (hasUsablePassword(user.passwordHash)) return c.redirect(next, 303);
    // The configured providers this account has an identity at (one button each).
    const [identities, passkey] = await Promise.all([listIdentities(c.var.db, user.id), hasPasskey(c.var.db, user.id)]);
    const linked = new Set(identities.map((identity) => identity.providerId));
    const providers = c.var.config.signInProviders.filter((p) => linked.has(p.id)).map(({ id, name }) => ({ id, name }));
    return c.html(<ConfirmIdentityPage user={user} providers={providers} passkey={passkey} next={next} flash={takeFlash(c)} />);
  })
  .use(CONFIRM_PASSKEY_PATH, requireUser)
  .use(`${CONFIRM_PASSKEY_PATH}/*`, requireUser)
  .post(`${CONFIRM_PASSKEY_PATH}/options`, async (c) => {
    const result = await startPasskeyConfirmation(c.var.db, relyingPartyFor(c.var.config.publicOrigin), signedInUser(c));
    if (!result.ok && result.reason === 'has-password') return refuseJson(c, 409, c.var.i18n.t('account.confirm.hasPassword'));
    if (!result.ok) return refuseJson(c, 409, c.var.i18n.t('account.confirm.noPasskey'));
    return c.json({ publicKey: result.options });
  })
  .post(CONFIRM_PASSKEY_PATH, zValidator('form', assertionForm), async (c) => {
    // The count the other answers to a challenge take from, per client address.
    const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'confirm-passkey', clientAddress(c.req.raw.headers));
    if (!limit.ok) return tooManyJson(c, limit.retryAfterSeconds);
    let answer;
    try {
      answer = toAssertionAnswer(c.req.valid('form'));
    } catch {
      return c.html(<ErrorPage status={400} user={c.var.user} />, 400);
    }
    const rp = relyingPartyFor(c.var.config.publicOrigin);
    const result = await confirmIdentityWithPasskey(c.var.db, rp, signedInUser(c), answer, requestContext(c));
    if (!result.ok && result.reason === 'locked') return tooManyJson(c, result.retryAfterSeconds);
    if (!result.ok && result.reason === 'has-password') return refuseJson(c, 409, c.var.i18n.t('account.confirm.hasPassword'));
    if (!result.ok && result.reason === 'no-challenge') return refuseJson(c, 400, c.var.i18n.t('account.confirm.tooSlow'));
    if (!result.ok) return refuseJson(c, 401, c.var.i18n.t('account.confirm.passkeyFailed'));
    setFlash(c, { kind: 'success', message: c.var.i18n.t('account.confirm.confirmed') });
    return c.json({ redirect: safeNextPath(c.req.query('next'), '/account') });
  })
  .post(`${CONFIRM_IDENTITY_PATH}/:id`, async (c) => {
    const settings = findProvider(c.var.config.signInProviders, c.req.param('id'));
    if (!settings) return c.notFound();
    const next = safeNextPath(c.req.query('next'), '/account');
    const started = await startProviderSignIn(settings, { secret: c.var.config.mfaEncryptionKey }, { intent: 'confirm', userId: c.var.user!.id, next });
    if (!started.ok) {
      console.error(`Confirming with ${settings.id} could not start: ${started.reason}: ${'detail' in started ? started.detail : ''}`);
      return c.html(<ErrorPage status={502} user={c.var.user} />, 502);
    }
    providerFlowCookie.set(c, started.flowCookie, started.expiresAt);
    return redirectToProvider(c, started.url);
  });
