import { useI18n } from '../use-i18n';

// "Continue with <name>" for each configured provider, on the sign-in and sign-up pages.
// Forms, not links: starting a sign-in sets a cookie, which a POST keeps off prefetchers.
export function ProviderButtons({ providers, next }: { providers: readonly { id: string; name: string }[]; next?: string }) {
  const { t } = useI18n();
  if (!providers.length) return null;
  const query = next ? `?next=${encodeURIComponent(next)}` : '';
  return (
    <div class="provider-sign-in">
      <p class="passkey-or">{t('auth.shared.or')}</p>
      {providers.map((provider) => (
        <form method="post" action={`/oauth/${provider.id}/start${query}`}>
          <button type="submit" class="button button-quiet">
            {t('auth.providers.continueWith', { provider: provider.name })}
          </button>
        </form>
      ))}
    </div>
  );
}
