import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { COMMON_PASSWORDS_PATH, loadCommonPasswordsOnce, type CommonPasswords } from '../auth/common-passwords';
import { ErrorCard } from '../views/pages/error';
import type { AppEnv } from './app-env';

// Only the routes that set a password load the list, so it is not one of AppEnv's variables.
type WithCommonPasswords = Context<{ Variables: { commonPasswords?: CommonPasswords } }>;

async function readAsset(assets: Fetcher): Promise<string> {
  // Only the path matters to the binding.
  const response = await assets.fetch(`https://assets.invalid${COMMON_PASSWORDS_PATH}`);
  // A page in its place (a 404, or an SPA fallback someone turns on) is not the list.
  if (!response.ok || !response.headers.get('content-type')?.startsWith('text/plain')) {
    throw new Error(`${COMMON_PASSWORDS_PATH} answered ${response.status} ${response.headers.get('content-type')}: generate it with \`npm install\` before deploying.`);
  }
  return response.text();
}

// One read per isolate and binding, shared by the requests that arrive while it runs.
const loads = new WeakMap<Fetcher, () => Promise<CommonPasswords>>();

export function loadCommonPasswordsAsset(assets: Fetcher): Promise<CommonPasswords> {
  let load = loads.get(assets);
  if (!load) loads.set(assets, (load = loadCommonPasswordsOnce(() => readAsset(assets))));
  return load();
}

// Before a form that sets a password. Without the list the check fails closed: a 503
// that changes nothing, rather than accepting every common password unnoticed.
export const loadCommonPasswords = createMiddleware<AppEnv>(async (c, next) => {
  try {
    (c as unknown as WithCommonPasswords).set('commonPasswords', await loadCommonPasswordsAsset(c.env.ASSETS));
  } catch (error) {
    console.error('The common-password list could not be loaded; passwords cannot be set until it can:', error);
    return c.html(
      <ErrorCard status={503} title={c.var.i18n.t('common.error.passwordsUnavailable.title')} user={c.var.user}>
        <p>{c.var.i18n.t('common.error.passwordsUnavailable.text')}</p>
      </ErrorCard>,
      503,
    );
  }
  await next();
});

// The list loadCommonPasswords put on the context (also inside a zValidator hook, whose
// context is not typed with our variables).
export function commonPasswordsOf(c: unknown): CommonPasswords {
  const list = (c as WithCommonPasswords).var.commonPasswords;
  if (!list) throw new Error('This route needs the loadCommonPasswords middleware before it.');
  return list;
}
