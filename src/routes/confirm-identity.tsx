import { Hono } from 'hono';
import { CONFIRM_IDENTITY_PATH } from '../auth/identity-confirmation';
import { hasUsablePassword } from '../auth/password-hash';
import { safeNextPath } from '../auth/redirects';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { takeFlash } from '../http/flash';
import { providerFlowCookie } from '../http/provider-flow-cookie';
import { redirectToProvider } from '../http/same-origin-redirects';
import { findProvider, startProviderSignIn } from '../providers/provider-sign-in';
import { listIdentities } from '../providers/user-identities';
import { ConfirmIdentityPage } from '../views/pages/confirm-identity';
import { ErrorPage } from '../views/pages/error';

// The step-up of an account without a password: sign in again with a linked provider
// (src/auth/identity-confirmation.ts). The provider's return lands in src/routes/providers.tsx.

export const confirmIdentityRoutes = new Hono<AppEnv>()
  .use(CONFIRM_IDENTITY_PATH, requireUser)
  .use(`${CONFIRM_IDENTITY_PATH}/*`, requireUser)
  .get(CONFIRM_IDENTITY_PATH, async (c) => {
    const user = c.var.user!;
    const next = safeNextPath(c.req.query('next'), '/account');
    // An account with a password types it on the page itself.
    if (hasUsablePassword(user.passwordHash)) return c.redirect(next, 303);
    // The configured providers this account has an identity at (one button each).
    const linked = new Set((await listIdentities(c.var.db, user.id)).map((identity) => identity.providerId));
    const providers = c.var.config.signInProviders.filter((p) => linked.has(p.id)).map(({ id, name }) => ({ id, name }));
    return c.html(<ConfirmIdentityPage user={user} providers={providers} next={next} flash={takeFlash(c)} />);
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
