// `npm run createsuperuser` as people and scripts run it, against a throwaway local D1,
// then the account it made signs in through HTTP on a real `wrangler dev`.
//
// This file drives processes, so it runs in Node:
//   npx vitest run --root test createsuperuser
// The main suite (`npm test`) runs every test file inside workerd, which cannot start
// processes: there the tests below are skipped, and test/admin-superuser.test.ts checks
// the same statements and hash inside the Worker runtime.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';

const inWorkerd = typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers';
const PASSWORD = 'Quiet-harbour-lantern-42';

describe.skipIf(inWorkerd)('npm run createsuperuser', () => {
  let state: string;
  let root: string;
  let node: string;
  let run: (args: string[], options?: { env?: Record<string, string>; input?: string }) => Promise<{ code: number; stdout: string; stderr: string }>;
  let query: (sql: string) => Promise<Record<string, unknown>[]>;

  beforeAll(async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join, resolve } = await import('node:path');
    root = resolve(import.meta.dirname, '..');
    node = join(root, 'node_modules', '.bin', 'node');
    state = await mkdtemp(join(tmpdir(), 'createsuperuser-test-'));
    run = (args, options = {}) =>
      new Promise((done) => {
        const child = spawn(args[0]!, args.slice(1), { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', ...options.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.stdin.end(options.input ?? '');
        child.on('exit', (code) => done({ code: code ?? 1, stdout, stderr }));
      });
    query = async (sql) => {
      const result = await run([node, join(root, 'node_modules/wrangler/bin/wrangler.js'), 'd1', 'execute', 'DB', '--local', '--persist-to', state, '--json', '--command', sql]);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout)[0].results;
    };
    const migrated = await run([node, join(root, 'node_modules/wrangler/bin/wrangler.js'), 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state]);
    expect(migrated.code, migrated.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    const { rm } = await import('node:fs/promises');
    if (state) await rm(state, { recursive: true, force: true });
  });

  const cli = (args: string[], options?: { env?: Record<string, string>; input?: string }) => run([node, 'scripts/createsuperuser.mjs', '--persist-to', state, ...args], options);

  it('scripted: creates a verified staff superuser with its profile and a security event', async () => {
    const result = await cli(['--username', 'Root_Admin', '--email', 'Root@Example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Superuser "Root_Admin" created in the local database');
    const [user] = await query(
      "select u.id, u.username_key, u.email, u.is_staff, u.is_superuser, u.is_active, u.email_verified_at is not null as verified, u.last_login, u.password_hash, p.user_id is not null as has_profile from users u left join profiles p on p.user_id = u.id where u.username = 'Root_Admin'",
    );
    expect(user).toMatchObject({ username_key: 'root_admin', email: 'root@example.com', is_staff: 1, is_superuser: 1, is_active: 1, verified: 1, last_login: null, has_profile: 1 });
    expect(String(user!.password_hash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const events = await query(`select type from security_events where user_id = '${String(user!.id)}'`);
    expect(events).toEqual([{ type: 'staff_superuser_created' }]);
  }, 60_000);

  it('scripted: an existing username or email is refused and nothing changes', async () => {
    expect((await cli(['--username', 'Dup_Admin', '--email', 'dup@example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } })).code).toBe(0);
    const before = await query('select count(*) as n from users');
    const sameName = await cli(['--username', 'dup_admin', '--email', 'new@example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } });
    expect(sameName.code).toBe(1);
    expect(sameName.stderr).toContain('The username "dup_admin" is already taken, as a username or as an email address. Nothing was changed.');
    const sameEmail = await cli(['--username', 'someone_new', '--email', 'DUP@example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } });
    expect(sameEmail.code).toBe(1);
    expect(sameEmail.stderr).toContain('The email address DUP@example.com is already taken, as an address or as a username.');
    expect(await query('select count(*) as n from users')).toEqual(before);
  }, 60_000);

  it('scripted: a username equal to an existing address, or an address equal to an existing username, is refused and nothing changes', async () => {
    expect((await cli(['--username', 'shadow.owner@mail.example', '--email', 'owner.own@example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } })).code).toBe(0);
    const before = await query('select count(*) as n from users');
    const nameIsAddress = await cli(['--username', 'OWNER.OWN@example.com', '--email', 'fresh.one@example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } });
    expect(nameIsAddress.code).toBe(1);
    expect(nameIsAddress.stderr).toContain('"OWNER.OWN@example.com"');
    expect(nameIsAddress.stderr).toContain('Nothing was changed.');
    expect(nameIsAddress.stderr).toContain('A username may not be the email address of another account');
    const addressIsName = await cli(['--username', 'fresh_two', '--email', 'Shadow.Owner@mail.example'], { env: { SUPERUSER_PASSWORD: PASSWORD } });
    expect(addressIsName.code).toBe(1);
    expect(addressIsName.stderr).toContain('Shadow.Owner@mail.example');
    expect(addressIsName.stderr).toContain('Nothing was changed.');
    expect(await query('select count(*) as n from users')).toEqual(before);
    expect(await query("select count(*) as n from users where email in ('fresh.one@example.com', 'shadow.owner@mail.example')")).toEqual([{ n: 0 }]);
  }, 60_000);

  it('scripted: bad input is refused with the sign-up rules and a non-zero status', async () => {
    const weak = await cli(['--username', 'bad name', '--email', 'not-an-address'], { env: { SUPERUSER_PASSWORD: '12345678' } });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('Use only letters, digits and @ . + - _');
    expect(weak.stderr).toContain('Enter a valid email address');
    expect(weak.stderr).toContain('The password cannot be entirely numeric.');
    const noPassword = await cli(['--username', 'nopass', '--email', 'nopass@example.com'], { env: { SUPERUSER_PASSWORD: '' } });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('SUPERUSER_PASSWORD');
    const unknown = await cli(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(await query("select count(*) as n from users where username in ('nopass', 'bad name')")).toEqual([{ n: 0 }]);
  }, 60_000);

  it('interactive on a terminal: asks, hides both passwords, re-asks a broken rule', async () => {
    const { spawn } = await import('node:child_process');
    // `script` gives the command a pseudo-terminal, so it sees a TTY as a person's shell would.
    const child = spawn('script', ['-qec', `${node} scripts/createsuperuser.mjs --persist-to ${state}`, '/dev/null'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    const waitFor = async (text: string, after = 0) => {
      for (let i = 0; i < 600 && !output.slice(after).includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output.slice(after), output).toContain(text);
      return after + output.slice(after).indexOf(text) + text.length;
    };
    const exited = new Promise<number>((done) => child.on('exit', (code) => done(code ?? 1)));
    let mark = await waitFor('Username: ');
    child.stdin.write('Terminal_Admin\r');
    mark = await waitFor('Email address: ', mark);
    child.stdin.write('terminal@example.com\r');
    mark = await waitFor('Password: ', mark);
    child.stdin.write('password1\r');
    mark = await waitFor('Password (again): ', mark);
    child.stdin.write('password1\r');
    mark = await waitFor('This password is too common', mark);
    mark = await waitFor('Password: ', mark);
    child.stdin.write(`${PASSWORD}\r`);
    await waitFor('Password (again): ', mark);
    child.stdin.write(`${PASSWORD}\r`);
    expect(await exited).toBe(0);
    expect(output).toContain('Superuser "Terminal_Admin" created');
    // What was typed for the visible fields is echoed; the passwords never are.
    expect(output).toContain('Terminal_Admin');
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain('password1');
    expect(await query("select is_staff, is_superuser from users where username = 'Terminal_Admin'")).toEqual([{ is_staff: 1, is_superuser: 1 }]);
  }, 60_000);

  it('interactive from a pipe: reads the answers line by line; an existing username stops it with nothing changed', async () => {
    const created = await cli([], { input: `Piped_Admin\npiped@example.com\n${PASSWORD}\n${PASSWORD}\n` });
    expect(created.code, created.stderr).toBe(0);
    const again = await cli([], { input: `piped_admin\nelse@example.com\n${PASSWORD}\n${PASSWORD}\n` });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is already taken, as a username or as an email address. Nothing was changed.');
    const cancelled = await cli([], { input: 'half_way\n' });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toContain('Cancelled. Nothing was changed.');
    expect(await query("select username from users where username_key in ('piped_admin', 'half_way')")).toEqual([{ username: 'Piped_Admin' }]);
  }, 60_000);

  it('the account it made signs in through HTTP and opens the staff area', async () => {
    expect((await cli(['--username', 'Http_Admin', '--email', 'http@example.com'], { env: { SUPERUSER_PASSWORD: PASSWORD } })).code).toBe(0);
    const { spawn } = await import('node:child_process');
    const net = await import('node:net');
    const port = await new Promise<number>((done) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });
    const origin = `http://127.0.0.1:${port}`;
    const wrangler = spawn(node, ['node_modules/wrangler/bin/wrangler.js', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0', '--persist-to', state, '--show-interactive-dev-session=false', '--var', `PUBLIC_ORIGIN:${origin}`], {
      cwd: root,
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
      stdio: 'ignore',
    });
    try {
      let ready = false;
      for (let i = 0; i < 240 && !ready; i++) {
        ready = await fetch(`${origin}/login`).then((r) => r.ok, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 250));
      }
      expect(ready).toBe(true);
      const form = (login: string, password: string) =>
        fetch(`${origin}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' },
          body: new URLSearchParams({ login, password }),
        });
      expect((await form('http_admin', 'wrong-password-here')).status).toBe(401);
      const signedIn = await form('HTTP_ADMIN', PASSWORD);
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('session='))!.split(';')[0]!;
      const admin = await fetch(`${origin}/admin/users`, { headers: { cookie } });
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('http@example.com');
    } finally {
      process.kill(-wrangler.pid!, 'SIGTERM');
    }
  }, 120_000);
});
