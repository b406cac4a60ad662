import { USERNAME_MAX_LENGTH } from '../../users/identity';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';

// After a first sign-in with a provider: the account's name, before the account exists.
export function ProviderUsernamePage({ providerId, provider, email, username, errors }: { providerId: string; provider: string; email: string; username: string; errors?: FieldErrors }) {
  return (
    <Layout title="Choose your username">
      <section class="card narrow">
        <h1>Choose your username</h1>
        <p class="muted">
          You signed in with {provider} as {email}. One step left: the name others will see. You can sign in with {provider} from now on.
        </p>
        <form method="post" action={`/oauth/${providerId}/username`} novalidate>
          <FormErrors errors={errors} />
          <Field name="username" label="Username" value={username} errors={errors} autocomplete="username" maxlength={USERNAME_MAX_LENGTH} hint={`Up to ${USERNAME_MAX_LENGTH} characters: letters, digits and @ . + - _ only.`} autofocus />
          <button type="submit" class="button">
            Create account
          </button>
        </form>
        <p class="muted">
          <a href="/login">Cancel</a>
        </p>
      </section>
    </Layout>
  );
}
