import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

function codesAsText(username: string, codes: string[], madeAt: number): string {
  return [
    `Edge Accounts recovery codes for ${username}`,
    `Made ${new Date(madeAt).toISOString().slice(0, 16).replace('T', ' ')} UTC. Each code works once, instead of a code from your authenticator app.`,
    '',
    ...codes,
    '',
  ].join('\n');
}

// Shown once, right after the codes are made: nothing can show them again (only hashes are
// kept). Download works without JavaScript (a data: link); "Copy" needs the small script.
export function RecoveryCodesPage({ user, codes, madeAt, intro }: { user: CurrentUser; codes: string[]; madeAt: number; intro: string }) {
  const text = codesAsText(user.username, codes, madeAt);
  return (
    <Layout title="Save your recovery codes" user={user}>
      <section class="card narrow">
        <h1>Save your recovery codes</h1>
        <p class="flash flash-success" role="status">
          {intro}
        </p>
        <p>
          If you lose your phone, each of these codes signs you in once instead of a code from the app. <strong>This is the only time they are shown:</strong> download
          them or write them down, and keep them somewhere safe.
        </p>
        <ol class="recovery-codes" id="recovery-codes">
          {codes.map((code) => (
            <li>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <p class="actions">
          <a class="button" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="edge-accounts-recovery-codes.txt">
            Download as a text file
          </a>
          <button type="button" class="button button-quiet" data-copy={text} data-copy-status="copy-status" hidden>
            Copy the codes
          </button>
        </p>
        <p id="copy-status" class="muted" role="status"></p>
        <p>
          <a href="/account/security">I have saved them</a>
        </p>
      </section>
      <script src="/static/copy-text.js" defer></script>
    </Layout>
  );
}

export function NewRecoveryCodesPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  return (
    <Layout title="Make new recovery codes" user={user} flash={flash}>
      <section class="card narrow">
        <h1>Make new recovery codes</h1>
        <p>You get ten new codes, and every code you have now stops working.</p>
        <form method="post" action="/account/security/recovery-codes" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/security/recovery-codes" label="Your password, to confirm" errors={errors} autofocus={Boolean(errors)} />
          <button type="submit" class="button">
            Make new recovery codes
          </button>
        </form>
        <p>
          <a href="/account/security">Cancel</a>
        </p>
      </section>
    </Layout>
  );
}
