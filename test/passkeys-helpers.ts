import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { cookieFrom, ORIGIN, randomAddress, STRONG_PASSWORD } from './helpers';
import { b64, SoftAuthenticator, type Ceremony } from './passkeys-authenticator';

// What assets/static/passkeys.js does, as HTTP: same-origin JSON POSTs with the cookies
// the browser holds.
export function postJson(path: string, body: unknown, cookie?: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/json',
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      'cf-connecting-ip': randomAddress(),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

// Options (password), a software authenticator, then its answer: a passkey on the account.
export async function addPasskey(cookie: string, userId: string, name = 'My laptop') {
  const authenticator = await SoftAuthenticator.create({ userId });
  const options = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD }, cookie);
  expect(options.status).toBe(200);
  const { publicKey } = (await options.json()) as { publicKey: { challenge: string; rp: { id: string } } };
  const challengeCookie = cookieFrom(options, 'webauthn_register')!;
  const ceremony: Ceremony = { challenge: publicKey.challenge, rpId: publicKey.rp.id, origin: ORIGIN };
  const answer = await authenticator.register(ceremony);
  const body = { name, clientDataJSON: b64(answer.clientDataJSON), attestationObject: b64(answer.attestationObject), transports: ['internal'] };
  const res = await postJson('/account/security/passkeys/register', body, `${cookie}; ${challengeCookie}`);
  expect(res.status).toBe(200);
  return authenticator;
}

// The sign-in page's script: options, the authenticator's answer, then the sign-in (to
// `path`, which may carry ?next=).
export async function signInWithPasskey(authenticator: SoftAuthenticator, path = '/login/passkey') {
  const start = await postJson('/login/passkey/options', {});
  const { publicKey } = (await start.json()) as { publicKey: { challenge: string; rpId: string } };
  const answer = await authenticator.assert({ challenge: publicKey.challenge, rpId: publicKey.rpId, origin: ORIGIN });
  const body = {
    id: authenticator.id,
    clientDataJSON: b64(answer.clientDataJSON),
    authenticatorData: b64(answer.authenticatorData),
    signature: b64(answer.signature),
    userHandle: b64(answer.userHandle),
  };
  return postJson(path, body, cookieFrom(start, 'webauthn_sign_in'));
}
