import { Hono } from 'hono';
import { loadSignInMethods } from '../account/sign-in-methods';
import { CONFIRM_IDENTITY_PATH } from '../auth/identity-confirmation';
import { hasUsablePassword } from '../auth/password-hash';
import { safeNextPath } from '../auth/redirects';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { takeFlash } from '../http/flash';
import { providerFlowCookie } from '../http/provider-flow-cookie';
import { redirectToProvider } from '../http/same-origin-redirects';
import { findProvider, startProviderSignIn } from '../providers/provider-sign-in';
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
    const methods = await loadSignInMethods(c.var.db, user.id, c.var.config.signInProviders);
    const configured = new Set(c.var.config.signInProviders.map((p) => p.id));
    const providers = methods.linked.filter((l) => configured.has(l.identity.providerId)).map((l) => ({ id: l.identity.providerId, name: l.name }));
    const unique = [...new Map(providers.map((p) => [p.id, p])).values()];
    return c.html(<ConfirmIdentityPage user={user} providers={unique} next={next} flash={takeFlash(c)} />);
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
