// Drives the local oidc-provider's development login screen without a browser: follows the
// authorization URL, posts the login form (and the consent form, if asked), keeping the
// provider's cookies, and returns the URL the provider sends the browser back to (the app's
// callback, with code and state, or error=access_denied when cancelled). Runs inside workerd:
// the provider listens on 127.0.0.1 (test/global-setup.ts).

export interface ProviderLoginOptions {
  // 'cancel' follows the login screen's "Cancel" link instead of signing in.
  action?: 'sign-in' | 'cancel';
  password?: string;
}

export async function loginAtLocalProvider(authorizationUrl: URL | string, login: string, options: ProviderLoginOptions = {}): Promise<URL> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error('authorization URL has no redirect_uri');
  const jar = new Map<string, string>();
  let url = start;
  let init: RequestInit = {};

  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      const value = pair!.slice(at + 1);
      if (value && !/expires=Thu, 01 Jan 1970/i.test(header)) jar.set(pair!.slice(0, at), value);
      else jar.delete(pair!.slice(0, at));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      init = {};
      if (url.href.startsWith(redirectUri)) return url;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`provider answered ${response.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no login or consent form at ${url.href}`);
    if (options.action === 'cancel') {
      const abort = /href="([^"]*\/abort)"/.exec(html)?.[1];
      if (!abort) throw new Error('no cancel link on the provider page');
      url = new URL(abort.replaceAll('&amp;', '&'), url);
      init = {};
      continue;
    }
    url = new URL(action.replaceAll('&amp;', '&'), url);
    const fields: Record<string, string> = prompt === 'login' ? { prompt, login, password: options.password ?? 'any password' } : { prompt };
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
  }
  throw new Error('too many steps at the provider');
}
