import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, postForm, sessionCookieFrom, signUp, STRONG_PASSWORD, uniqueName } from './helpers';

async function countUsers() {
  const row = await env.DB.prepare('select count(*) as n from users').first<{ n: number }>();
  return row!.n;
}

describe('sign up', () => {
  it('creates the user and profile, signs in and lands on the dashboard', async () => {
    const { response, username, email } = await signUp();
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard');
    const cookie = sessionCookieFrom(response);
    const dashboard = await get('/dashboard', cookie);
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).toContain(username);
    expect(html).toContain(email);
    const row = await env.DB.prepare('select u.id, p.user_id as profile from users u join profiles p on p.user_id = u.id where u.username = ?')
      .bind(username)
      .first();
    expect(row?.profile).toBe(row?.id);
  });

  it('stores the email normalised to lower case', async () => {
    const username = uniqueName();
    await signUp({ username, email: `  ${username.toUpperCase()}@Example.COM ` });
    const row = await env.DB.prepare('select email from users where username = ?').bind(username).first<{ email: string }>();
    expect(row?.email).toBe(`${username.toLowerCase()}@example.com`);
  });

  it('refuses a username taken in another case, keeping the other input', async () => {
    const first = await signUp();
    const before = await countUsers();
    const { response } = await signUp({ username: first.username.toUpperCase(), email: 'someone-else@example.com' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('A user with that username already exists.');
    expect(html).toContain('value="someone-else@example.com"');
    expect(await countUsers()).toBe(before);
  });

  it('refuses an email taken in another case', async () => {
    const first = await signUp();
    const { response } = await signUp({ email: first.email.toUpperCase() });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('An account with this email address already exists.');
  });

  it('is refused by the database itself for a case variant of a username', async () => {
    const first = await signUp();
    await expect(
      env.DB.prepare("insert into users (id, username, username_key, email, password_hash, date_joined) values ('x1', ?, ?, 'x1@example.com', 'h', 0)")
        .bind(first.username.toUpperCase(), first.username.toUpperCase())
        .run(),
    ).rejects.toThrow(/UNIQUE/);
  });

  it.each([
    ['username', { username: '' }, 'Enter a username.'],
    ['username', { username: 'has space' }, 'Use only letters, digits and @ . + - _'],
    ['username', { username: 'x'.repeat(151) }, 'Use at most 150 characters.'],
    ['email', { email: 'not-an-email' }, 'Enter a valid email address'],
    ['email', { email: '' }, 'Enter your email address.'],
    ['password', { password: 'Sh0rt!', passwordConfirm: 'Sh0rt!' }, 'Use at least 8 characters.'],
    ['password', { password: '8405729163', passwordConfirm: '8405729163' }, 'cannot be entirely numeric'],
    ['password', { password: 'password123', passwordConfirm: 'password123' }, 'too common'],
    ['password', { password: STRONG_PASSWORD, passwordConfirm: 'something else entirely' }, 'The two passwords do not match.'],
  ])('shows the %s rule beside its field: %j', async (field, fields, message) => {
    const before = await countUsers();
    const { response } = await signUp(fields);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain(message);
    const target = field === 'password' && 'passwordConfirm' in fields && fields.passwordConfirm !== fields.password ? 'passwordConfirm' : field;
    expect(html).toMatch(new RegExp(`id="field-${target}-error"[^>]*>(?:(?!</ul>).)*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 's'));
    expect(await countUsers()).toBe(before);
  });

  it('refuses a password too similar to the username', async () => {
    const username = uniqueName('marigold');
    const { response } = await signUp({ username, password: `${username}1`, passwordConfirm: `${username}1` });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('too similar to your username or email');
  });

  it('never echoes the password back into the form', async () => {
    const { response } = await signUp({ username: 'bad name', password: 'Unique-Secret-Value-93', passwordConfirm: 'Unique-Secret-Value-93' });
    expect(response.status).toBe(422);
    expect(await response.text()).not.toContain('Unique-Secret-Value-93');
  });

  it('reports every broken rule at once', async () => {
    const { response } = await signUp({ username: 'bad name', email: 'nope', password: '1234', passwordConfirm: '5678' });
    const html = await response.text();
    expect(html).toContain('Use only letters');
    expect(html).toContain('Enter a valid email address');
    expect(html).toContain('Use at least 8 characters.');
    expect(html).toContain('The two passwords do not match.');
  });

  it('sends a signed-in visitor from the sign-up page to the dashboard', async () => {
    const { response } = await signUp();
    const res = await get('/register', sessionCookieFrom(response));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard');
  });

  it('labels every field of the form', async () => {
    const html = await (await get('/register')).text();
    for (const name of ['username', 'email', 'password', 'passwordConfirm']) {
      expect(html).toContain(`<label for="field-${name}"`);
      expect(html).toContain(`id="field-${name}"`);
    }
  });

  it('accepts a form post with a multipart body too', async () => {
    const username = uniqueName();
    const body = new FormData();
    body.set('username', username);
    body.set('email', `${username}@example.com`);
    body.set('password', STRONG_PASSWORD);
    body.set('passwordConfirm', STRONG_PASSWORD);
    const { SELF } = await import('cloudflare:test');
    const res = await SELF.fetch('http://localhost:8787/register', {
      method: 'POST',
      body,
      redirect: 'manual',
      headers: { origin: 'http://localhost:8787' },
    });
    expect(res.status).toBe(303);
  });
});

describe('user never exists without a profile', () => {
  it('rolls back the user when the profile insert fails', async () => {
    // Make the second statement of the batch fail: a trigger refusing profile rows.
    await env.DB.exec("CREATE TRIGGER refuse_profiles BEFORE INSERT ON profiles BEGIN SELECT RAISE(ABORT, 'no profiles'); END;");
    try {
      const before = await countUsers();
      const { response } = await signUp();
      expect(response.status).toBe(500);
      expect(await countUsers()).toBe(before);
    } finally {
      await env.DB.exec('DROP TRIGGER refuse_profiles;');
    }
  });
});

void postForm;
