// Passkeys in the browser (WebAuthn): "Sign in with a passkey" and passkey autofill on the
// sign-in page, "Use your passkey" on the two-factor page, "Use a passkey" on "Confirm it
// is you" (/account/confirm), and "Add a passkey" on /account/security/passkeys. The
// server does every check (src/mfa/webauthn.ts); this only carries its options to the
// browser's API and the answer back (as JSON, or a form for the confirmation). Nothing
// shows unless the browser has the API, so pages without JavaScript or passkeys keep their
// password and code forms as they are.

const supported = typeof window.PublicKeyCredential === 'function' && typeof navigator.credentials?.get === 'function';

// What the script says by itself, in the page's language: every page that loads it puts
// each text in a data-msg-* attribute of the element it sets up (src/views/pages/passkeys.tsx,
// passkeyScriptMessages). Errors from the server come already translated. No English here:
// a message a page left out is the generic one (and that is always there).
function textsOf(element) {
  const data = element.dataset;
  const generic = data.msgGeneric ?? '';
  return {
    generic,
    cancelled: data.msgCancelled || generic,
    alreadyKept: data.msgAlreadyKept || generic,
    wrongAddress: data.msgWrongAddress || generic,
  };
}

class ServerRefusal extends Error {
  constructor(message, field, redirect) {
    super(message);
    this.field = field;
    // Where to go instead (a second step whose sign-in is over goes back to /login).
    this.redirect = redirect;
  }
}

function fromBase64url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

function toBase64url(buffer) {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// Same-origin fetch: the browser sends Origin and Sec-Fetch-Site, which the app's CSRF
// check requires, and the cookies that bind the challenge to this browser. Every answer
// is JSON; anything else (an error page) is a generic failure.
async function post(url, headers, body) {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, accept: 'application/json' }, body, credentials: 'same-origin' });
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  const data = isJson ? await response.json() : {};
  // No `error` (an error page): messageFor says the generic text in the page's language.
  if (!response.ok || !isJson) throw new ServerRefusal(data.error ?? '', data.field, data.redirect);
  return data;
}

function postJson(url, body) {
  return post(url, { 'content-type': 'application/json' }, JSON.stringify(body));
}

// For the endpoints that take forms (the confirmation's): fields left out when null.
function postForm(url, fields) {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== null && value !== undefined) form.append(name, value);
  return post(url, { 'content-type': 'application/x-www-form-urlencoded' }, form);
}

function messageFor(error, texts) {
  if (error instanceof ServerRefusal) return error.message || texts.generic;
  switch (error?.name) {
    case 'NotAllowedError':
      return texts.cancelled;
    case 'InvalidStateError':
      return texts.alreadyKept;
    case 'SecurityError':
      return texts.wrongAddress;
    default:
      return texts.generic;
  }
}

function say(region, message) {
  if (region) region.textContent = message;
}

// --- Adding a passkey ----------------------------------------------------------------------

function setUpAddForm(form) {
  const texts = textsOf(form);
  const region = form.querySelector('[data-passkey-error]');
  const button = form.querySelector('button[type="submit"]');
  const field = (name) => form.elements.namedItem(name);
  form.hidden = false;
  for (const note of document.querySelectorAll('[data-passkey-unsupported]')) note.hidden = true;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say(region, '');
    button.disabled = true;
    try {
      const { publicKey } = await postJson('/account/security/passkeys/options', { password: field('password')?.value ?? '' });
      const credential = await navigator.credentials.create({
        publicKey: {
          ...publicKey,
          challenge: fromBase64url(publicKey.challenge),
          user: { ...publicKey.user, id: fromBase64url(publicKey.user.id) },
          excludeCredentials: publicKey.excludeCredentials.map((c) => ({ ...c, id: fromBase64url(c.id) })),
        },
      });
      const response = credential.response;
      const result = await postJson('/account/security/passkeys/register', {
        name: field('name').value,
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: typeof response.getTransports === 'function' ? response.getTransports() : [],
      });
      window.location.assign(result.redirect);
    } catch (error) {
      say(region, messageFor(error, texts));
      if (error instanceof ServerRefusal && error.field) field(error.field)?.focus();
      button.disabled = false;
    }
  });
}

// --- Signing in ----------------------------------------------------------------------------

// What /login/passkey and /account/confirm-passkey take: the credential's answer, base64url.
function answerOf(credential) {
  const response = credential.response;
  return {
    id: toBase64url(credential.rawId),
    clientDataJSON: toBase64url(response.clientDataJSON),
    authenticatorData: toBase64url(response.authenticatorData),
    signature: toBase64url(response.signature),
    userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
  };
}

function setUpSignIn(block) {
  const texts = textsOf(block);
  const region = block.querySelector('[data-passkey-error]');
  const button = block.querySelector('button');
  const next = new URLSearchParams(window.location.search).get('next');
  const finishUrl = next ? `/login/passkey?next=${encodeURIComponent(next)}` : '/login/passkey';
  // The autofill request waiting in the username field, if any.
  let autofill = null;
  let autofillAvailable = false;
  let autofillRetries = 0;
  block.hidden = false;

  async function ask(mediation, signal) {
    const { publicKey } = await postJson('/login/passkey/options', {});
    return navigator.credentials.get({ mediation, signal, publicKey: { ...publicKey, challenge: fromBase64url(publicKey.challenge), allowCredentials: [] } });
  }

  async function finish(credential) {
    const result = await postJson(finishUrl, answerOf(credential));
    window.location.assign(result.redirect);
  }

  // Only one WebAuthn request at a time: the button stops the autofill one first, and
  // waits for its options request so the newer challenge's cookie is the one kept.
  async function stopAutofill() {
    const current = autofill;
    autofill = null;
    if (!current) return;
    current.controller.abort();
    await current.done;
  }

  function startAutofill() {
    const controller = new AbortController();
    const done = ask('conditional', controller.signal)
      .then((credential) => (credential ? finish(credential) : undefined))
      .catch((error) => {
        if (controller.signal.aborted) return;
        say(region, messageFor(error, texts));
        // A refused passkey: offer autofill again for the next try (a few times: an
        // authenticator that answers by itself must not loop).
        if (error instanceof ServerRefusal && ++autofillRetries <= 3) setTimeout(startAutofill, 0);
      });
    autofill = { controller, done };
  }

  button.addEventListener('click', async () => {
    say(region, '');
    button.disabled = true;
    await stopAutofill();
    try {
      await finish(await ask('optional'));
    } catch (error) {
      say(region, messageFor(error, texts));
      button.disabled = false;
      if (autofillAvailable) startAutofill();
    }
  });

  const username = document.querySelector('input[autocomplete~="webauthn"]');
  if (username && typeof PublicKeyCredential.isConditionalMediationAvailable === 'function') {
    PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
      autofillAvailable = available;
      if (available && !autofill && !button.disabled) startAutofill();
    }, () => {});
  }
}

// --- A passkey of a known account ---------------------------------------------------------
// The second step of a sign-in (/login/two-factor), and "Confirm it is you" for an account
// without a password (/account/confirm). The server lists the account's passkeys and keeps
// the challenge (with the pending sign-in, or with the session), and says where to go next.

const SECOND_STEP = {
  options: () => postJson('/login/passkey/options', { secondStep: true }),
  answer: (answer) => postJson('/login/passkey', { secondStep: true, ...answer }),
};

// The confirmation's block names its endpoints (its answer URL carries ?next=).
function confirmationEndpoints(block) {
  return {
    options: () => postForm(block.dataset.optionsUrl, {}),
    answer: (answer) => postForm(block.dataset.answerUrl, answer),
  };
}

function setUpKnownAccount(block, endpoints) {
  const texts = textsOf(block);
  const region = block.querySelector('[data-passkey-error]');
  const button = block.querySelector('button');
  block.hidden = false;
  for (const note of document.querySelectorAll('[data-passkey-unsupported]')) note.hidden = true;

  button.addEventListener('click', async () => {
    say(region, '');
    button.disabled = true;
    try {
      const { publicKey } = await endpoints.options();
      const credential = await navigator.credentials.get({
        publicKey: { ...publicKey, challenge: fromBase64url(publicKey.challenge), allowCredentials: publicKey.allowCredentials.map((c) => ({ ...c, id: fromBase64url(c.id) })) },
      });
      const result = await endpoints.answer(answerOf(credential));
      window.location.assign(result.redirect);
    } catch (error) {
      if (error instanceof ServerRefusal && error.redirect) return window.location.assign(error.redirect);
      say(region, messageFor(error, texts));
      button.disabled = false;
    }
  });
}

if (supported) {
  const second = document.querySelector('[data-passkey-second-step]');
  if (second) setUpKnownAccount(second, SECOND_STEP);
  const confirm = document.querySelector('[data-passkey-confirm]');
  if (confirm) setUpKnownAccount(confirm, confirmationEndpoints(confirm));
  const form = document.querySelector('form[data-passkey-add]');
  if (form) setUpAddForm(form);
  const block = document.querySelector('[data-passkey-sign-in]');
  if (block) setUpSignIn(block);
}
