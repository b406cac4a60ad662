import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { loadSignInMethods, providerName, SIGN_IN_METHODS_PATH, startProviderLink, unlinkProvider } from '../account/sign-in-methods';
import { PASSWORD_MAX_LENGTH } from '../auth/password-rules';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { setFlash, takeFlash } from '../http/flash';
import { providerFlowCookie } from '../http/provider-flow-cookie';
import { requestContext } from '../http/request-context';
import { redirectToProvider } from '../http/same-origin-redirects';
import { isConfirmationRefusal, refuseConfirmation } from '../http/refused-confirmation';
import { absoluteUrl } from '../mail/links';
import { sendQuietly } from '../mail/mailer';
import { providerUnlinkedNotice } from '../mail/messages';
import { findProvider } from '../providers/provider-sign-in';
import { ErrorPage } from '../views/pages/error';
import { SignInMethodsPage, type MethodError } from '../views/pages/sign-in-methods';

const HOME = SIGN_IN_METHODS_PATH;

// A provider-made account has no password to send: the field may be missing.
const passwordForm = z.object({ password: z.optional(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH))) });
const readPassword = zValidator('form', passwordForm, (result, c) => {
  const ctx = c as Context<AppEnv>;
  if (!result.success) return ctx.html(<ErrorPage status={400} user={ctx.var.user} />, 400);
});

// The step-up as typed here, in this session.
function proofFrom(c: Context<AppEnv>, password: string | undefined) {
  return { password: password ?? '', sessionId: c.var.session!.id };
}

async function renderPage(c: Context<AppEnv>, error?: MethodError, status: 200 | 422 | 502 = 200) {
  const methods = await loadSignInMethods(c.var.db, c.var.user!.id, c.var.config.signInProviders);
  return c.html(<SignInMethodsPage user={c.var.user!} methods={methods} error={error} flash={error ? null : takeFlash(c)} />, status);
}

export const signInMethodRoutes = new Hono<AppEnv>()
  .use(HOME, requireUser)
  .use(`${HOME}/*`, requireUser)
  .get(HOME, (c) => renderPage(c))
  .post(`${HOME}/:id/link`, readPassword, async (c) => {
    const settings = findProvider(c.var.config.signInProviders, c.req.param('id'));
    if (!settings) return c.notFound();
    const form = `link:${settings.id}`;
    const deps = { secret: c.var.config.mfaEncryptionKey };
    const result = await startProviderLink(c.var.db, settings, deps, c.var.user!, proofFrom(c, c.req.valid('form').password));
    if (!result.ok && isConfirmationRefusal(result)) return refuseConfirmation(c, result, HOME, (message) => renderPage(c, { form, message }, 422), c.var.i18n.t('security.fields.wrongPassword'));
    if (!result.ok) {
      console.error(`Linking ${settings.id} could not start: ${result.reason}: ${'detail' in result ? result.detail : ''}`);
      return renderPage(c, { form, message: c.var.i18n.t('account.methods.unreachable', { provider: settings.name }) }, 502);
    }
    providerFlowCookie.set(c, result.flowCookie, result.expiresAt);
    return redirectToProvider(c, result.url);
  })
  .post(`${HOME}/:identityId/unlink`, readPassword, async (c) => {
    const user = c.var.user!;
    const identityId = c.req.param('identityId');
    const result = await unlinkProvider(c.var.db, user, identityId, proofFrom(c, c.req.valid('form').password), c.var.config.signInProviders, requestContext(c));
    if (!result.ok && result.reason === 'not-found') return c.notFound();
    const form = `unlink:${identityId}`;
    if (!result.ok && isConfirmationRefusal(result)) return refuseConfirmation(c, result, HOME, (message) => renderPage(c, { form, message }, 422), c.var.i18n.t('security.fields.wrongPassword'));
    if (!result.ok) {
      return renderPage(c, { form, message: c.var.i18n.t('account.methods.lastMethod') }, 422);
    }
    const name = providerName(c.var.config.signInProviders, result.identity.providerId);
    // After the response: a slow mail service never holds up the page.
    c.executionCtx.waitUntil(sendQuietly(c.var.mailer(), providerUnlinkedNotice(user.email, user.username, absoluteUrl(c.var.config, HOME), name)));
    setFlash(c, { kind: 'success', message: c.var.i18n.t('account.methods.unlinked', { provider: name }) });
    return c.redirect(HOME, 303);
  });
