import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
import { AdminNav } from './admin-nav';

// "Sudo mode": the action the staff member asked for, held until they confirm their
// password; the form posts it again with the password, and it goes ahead.
export function AdminSudoPage({
  user,
  actionLabel,
  targetUsername,
  actionUrl,
  cancelUrl,
  fields,
  errors,
}: {
  user: CurrentUser;
  actionLabel: string;
  targetUsername: string;
  actionUrl: string;
  cancelUrl: string;
  fields: Record<string, string>;
  errors?: FieldErrors;
}) {
  return (
    <Layout title="Confirm your password · Staff" user={user}>
      <AdminNav current="users" />
      <section class="card narrow">
        <h1>Confirm your password</h1>
        <p>
          To <strong>{actionLabel.toLowerCase()}</strong> for <strong class="break-anywhere">{targetUsername}</strong>, confirm your password. You will not be
          asked again for 15 minutes.
        </p>
        <form method="post" action={actionUrl} novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          {Object.entries(fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <Field name="sudoPassword" label="Your password" type="password" errors={errors} autocomplete="current-password" autofocus />
          <button type="submit" class="button">
            Confirm and continue
          </button>
        </form>
        <p>
          <a href={cancelUrl}>Cancel</a>
        </p>
      </section>
    </Layout>
  );
}
