import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { fieldMessage } from '../auth/field-errors';
import { fieldErrors, textValue, username as usernameRules } from '../auth/forms';
import { safeNextPath } from '../auth/redirects';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import type { AppEnv } from '../http/app-env';
import { defineCookie } from '../http/cookies';
import { setFlash } from '../http/flash';
import { providerFlowCookie } from '../http/provider-flow-cookie';
import { redirectToProvider } from '../http/same-origin-redirects';
import { redirectAfterSignIn, signInDeps } from '../http/sign-in-response';
import { tooManyRequests } from '../http/too-many-requests';
import { confirmIdentityWithProvider } from '../account/confirm-identity';
import { resolveProviderSignIn } from '../providers/identity-linking';
import type { ProviderClaims } from '../providers/provider-result';
import { findProvider, finishProviderSignIn, startProviderSignIn } from '../providers/provider-sign-in';
import type { ProviderSettings } from '../providers/provider-settings';
import { NEW_ACCOUNT_LIFETIME_MS, openPendingAccount, sealPendingAccount } from '../sign-in/pending-provider-account';
import { autoLinkAndSignIn, createProviderAccount, linkProviderIdentity, signInWithIdentity } from '../sign-in/provider-sign-in';
import { continueSignIn } from '../sign-in/continue-sign-in';
import { ProviderRefusalPage, providerRefusalStatus, type ProviderRefusalKind } from '../views/pages/provider-refusal';
import { ProviderUsernamePage } from '../views/pages/provider-username';

// "Continue with <provider>": start, the provider's return, and "choose your username".

// The provider's claims while the person chooses a username (sealed: see sealPendingAccount).
const pendingAccountCookie = defineCookie({ name: 'provider_account', sameSite: 'Lax', httpOnly: true });

const usernameSchema = z.object({ username: usernameRules });

function refuse(c: Context<AppEnv>, settings: ProviderSettings, kind: ProviderRefusalKind, detail?: string) {
  // One JSON line like the request log: the reason, never the URL (it holds the code).
  console.warn(JSON.stringify({ type: 'provider_sign_in_refused', provider: settings.id, reason: kind, ...(detail ? { detail } : {}) }));
  return c.html(<ProviderRefusalPage kind={kind} provider={settings.name} user={c.var.user} />, providerRefusalStatus(kind));
}

async function askForUsername(c: Context<AppEnv>, settings: ProviderSettings, claims: ProviderClaims & { email: string }, suggestedUsername: string, next?: string) {
  const expiresAt = Date.now() + NEW_ACCOUNT_LIFETIME_MS;
  pendingAccountCookie.set(c, await sealPendingAccount(c.var.config.mfaEncryptionKey, { claims, suggestedUsername, next, expiresAt }), expiresAt);
  return c.html(<ProviderUsernamePage providerId={settings.id} provider={settings.name} email={claims.email} username={suggestedUsername} />);
}

export const providerRoutes = new Hono<AppEnv>()
  .post('/oauth/:id/start', async (c) => {
    const settings = findProvider(c.var.config.signInProviders, c.req.param('id'));
    if (!settings) return c.notFound();
    const next = c.req.query('next');
    const started = await startProviderSignIn(settings, { secret: c.var.config.mfaEncryptionKey }, { intent: 'sign-in', next: next ? safeNextPath(next) : undefined });
    if (!started.ok) return refuse(c, settings, started.reason, started.detail);
    providerFlowCookie.set(c, started.flowCookie);
    return redirectToProvider(c, started.url);
  })
  .get('/oauth/:id/callback', async (c) => {
    const settings = findProvider(c.var.config.signInProviders, c.req.param('id'));
    if (!settings) return c.notFound();
    const limit = await takeClientToken(c.env.PROVIDER_CALLBACK_LIMITER, 'provider-callback', clientAddress(c.req.raw.headers));
    if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
    const finished = await finishProviderSignIn(settings, { secret: c.var.config.mfaEncryptionKey }, { url: new URL(c.req.url), flowCookie: providerFlowCookie.read(c) });
    // Whatever the outcome, this trip is over.
    providerFlowCookie.delete(c);
    if (!finished.ok) return refuse(c, settings, finished.reason, finished.detail);
    const { claims, flow } = finished;
    const deps = signInDeps(c);
    const now = Date.now();

    if (flow.intent === 'confirm') {
      const user = c.var.user;
      if (!user || !c.var.session || user.id !== flow.userId) return refuse(c, settings, 'wrong-account');
      const confirmed = await confirmIdentityWithProvider(c.var.db, { id: user.id, sessionId: c.var.session.id }, claims, settings.name, deps.context, now);
      if (!confirmed.ok) return refuse(c, settings, confirmed.reason);
      setFlash(c, { kind: 'success', message: c.var.i18n.t('auth.providers.confirmed', { provider: settings.name }) });
      return c.redirect(safeNextPath(flow.next, '/account'), 303);
    }

    if (flow.intent === 'link') {
      if (!c.var.user || c.var.user.id !== flow.userId) return refuse(c, settings, 'wrong-account');
      const linked = await linkProviderIdentity(deps, c.var.user.id, claims, settings.name, now);
      if (!linked.ok && linked.reason === 'linked-to-another-account') return refuse(c, settings, 'linked-to-another-account');
      const provider = settings.name;
      setFlash(c, { kind: 'success', message: linked.ok ? c.var.i18n.t('auth.providers.linked', { provider }) : c.var.i18n.t('auth.providers.alreadyLinked', { provider }) });
      return c.redirect('/account/sign-in-methods', 303);
    }

    const decision = await resolveProviderSignIn(c.var.db, claims);
    switch (decision.kind) {
      case 'sign-in': {
        return redirectAfterSignIn(c, await signInWithIdentity(deps, decision, claims, settings.name, flow.next, now));
      }
      case 'auto-link': {
        const result = await autoLinkAndSignIn(deps, decision.userId, claims, settings.name, flow.next, now);
        if (!result.ok) return refuse(c, settings, 'linked-to-another-account');
        return redirectAfterSignIn(c, result);
      }
      case 'new-account':
        return askForUsername(c, settings, { ...claims, email: decision.email }, decision.suggestedUsername, flow.next);
      case 'inactive':
        return refuse(c, settings, 'account-inactive');
      case 'sign-in-first':
      case 'email-missing':
        return refuse(c, settings, decision.kind);
    }
  })
  .post(
    '/oauth/:id/username',
    zValidator('form', usernameSchema, async (result, c) => {
      if (result.success) return;
      const ctx = c as Context<AppEnv>;
      const settings = findProvider(ctx.var.config.signInProviders, ctx.req.param('id') ?? '');
      const pending = settings ? await openPendingAccount(ctx.var.config.mfaEncryptionKey, pendingAccountCookie.read(ctx), settings.id) : null;
      if (!settings || !pending) return ctx.redirect('/login', 303);
      const username = textValue(result.data, 'username') ?? '';
      return ctx.html(<ProviderUsernamePage providerId={settings.id} provider={settings.name} email={pending.claims.email} username={username} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const settings = findProvider(c.var.config.signInProviders, c.req.param('id'));
      if (!settings) return c.notFound();
      const pending = await openPendingAccount(c.var.config.mfaEncryptionKey, pendingAccountCookie.read(c), settings.id);
      if (!pending) return refuse(c, settings, 'state-expired', 'no or expired pending account cookie');
      const limit = await takeClientToken(c.env.SIGN_UP_LIMITER, 'sign-up', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      const { username } = c.req.valid('form');
      const deps = signInDeps(c);
      const now = Date.now();
      const created = await createProviderAccount(deps, pending.claims, username, settings.name, now);
      if (!created.ok && created.reason === 'email-taken') {
        pendingAccountCookie.delete(c);
        return refuse(c, settings, 'sign-in-first');
      }
      if (!created.ok) {
        // Catalogue references, translated where the form shows them (src/auth/field-errors.ts).
        const errors = created.reason === 'username-taken' ? { username: [fieldMessage('auth.providers.usernameTaken')] } : { form: [fieldMessage('auth.providers.usernameJustTaken')] };
        return c.html(<ProviderUsernamePage providerId={settings.id} provider={settings.name} email={pending.claims.email} username={username} errors={errors} />, 422);
      }
      pendingAccountCookie.delete(c);
      const result = await continueSignIn(deps, { method: 'provider', providerName: settings.name, userId: created.user.id }, pending.next, now);
      const { username: name, email } = created.user;
      // Same welcome as a sign-up with a password; the link only when the provider had not confirmed the address.
      const welcome = pending.claims.emailVerified ? c.var.i18n.t('auth.register.welcome', { username: name }) : c.var.i18n.t('auth.register.welcomeConfirm', { username: name, email });
      setFlash(c, { kind: 'success', message: welcome });
      return redirectAfterSignIn(c, result);
    },
  );
