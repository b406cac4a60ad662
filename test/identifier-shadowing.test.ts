import { describe, expect, it } from 'vitest';
import { get, mailsTo, postForm, sessionCookieFrom, signUp, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { postProfile, profileOf } from './profile-helpers';

// Sign-in takes a username or an address in one box, so neither may equal the other kind
// on another account: the first one looked up would sign in.

const USERNAME_TAKEN = 'A user with that username already exists.';
const EMAIL_TAKEN_AT_SIGN_UP = 'An account with this email address already exists. Sign in instead?';

// A victim whose username looks like an address, as Django sites often had.
async function victimWithAddressUsername() {
  const username = `${uniqueName('vic.x')}@mail.example`;
  const victim = await signUp({ username, email: `${uniqueName('own')}@example.com` });
  expect(victim.response.status).toBe(303);
  return victim;
}

async function signsInAs(login: string, password: string, username: string) {
  const res = await postForm('/login', { login, password });
  expect(res.status).toBe(303);
  const dashboard = await get('/dashboard', sessionCookieFrom(res));
  expect(await dashboard.text()).toContain(username);
}

describe('at sign-up', () => {
  it('refuses an address equal to an existing username, in any case, and the owner still signs in with it', async () => {
    const victim = await victimWithAddressUsername();
    const squatter = await signUp({ email: victim.username.toUpperCase() });
    expect(squatter.response.status).toBe(422);
    expect(await squatter.response.text()).toContain(EMAIL_TAKEN_AT_SIGN_UP);
    expect(await profileOf(squatter.username)).toBeNull();
    await signsInAs(victim.username, victim.password, victim.username);
  });

  it('refuses a username equal to an existing address, in any case, and the owner still signs in with the address', async () => {
    const victim = await signUpAndSignIn();
    const squatter = await signUp({ username: victim.email.toUpperCase(), email: `${uniqueName('sq')}@example.com` });
    expect(squatter.response.status).toBe(422);
    expect(await squatter.response.text()).toContain(USERNAME_TAKEN);
    expect(await profileOf(squatter.username)).toBeNull();
    await signsInAs(victim.email, victim.password, victim.username);
  });

  it('still lets one person use their address as their username', async () => {
    const address = `${uniqueName('self')}@example.com`.toLowerCase();
    const account = await signUp({ username: address, email: address });
    expect(account.response.status).toBe(303);
    await signsInAs(address, account.password, address);
  });
});

describe('changing the email address', () => {
  it('refuses another account\u2019s username as the new address, and the owner still signs in with it', async () => {
    const victim = await victimWithAddressUsername();
    const squatter = await signUpAndSignIn();
    const res = await postProfile(squatter.cookie, { email: victim.username.toUpperCase(), currentPassword: STRONG_PASSWORD });
    expect(res.status).toBe(409);
    expect(await res.text()).toMatch(/id="field-email-error"[^>]*>.*An account with this email address already exists\./s);
    expect(await mailsTo(victim.username.toLowerCase())).toEqual([]);
    expect((await profileOf(squatter.username))!.email).toBe(squatter.email);
    await signsInAs(victim.username, victim.password, victim.username);
  });

  it('does not confirm an address that became someone\u2019s username after the link was sent', async () => {
    const mover = await signUpAndSignIn();
    const target = `${uniqueName('later')}@mail.example`.toLowerCase();
    expect((await postProfile(mover.cookie, { email: target, currentPassword: STRONG_PASSWORD })).status).toBe(303);
    const mail = await waitForMail(target, 'Confirm your email address');

    // The address is nobody's yet, so it is free as a username.
    const owner = await signUp({ username: target, email: `${uniqueName('own')}@example.com` });
    expect(owner.response.status).toBe(303);

    const token = new URL(mail.link!).searchParams.get('token')!;
    const res = await postForm('/verify-email', { token }, { cookie: mover.cookie });
    expect(res.status).toBe(303);
    expect((await profileOf(mover.username))!.email).toBe(mover.email);
    await signsInAs(target, owner.password, target);
  });

  it('accepts the account\u2019s own username as its new address', async () => {
    const account = await victimWithAddressUsername();
    const cookie = sessionCookieFrom(account.response);
    expect((await postProfile(cookie, { email: account.username, currentPassword: account.password })).status).toBe(303);
    await waitForMail(account.username.toLowerCase(), 'Confirm your email address');
  });
});
