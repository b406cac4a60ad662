import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../users/avatar-urls';
import { Avatar } from './components/avatar';
import { FlashMessage, type Flash } from './components/flash';
import { LanguageMenu } from './components/language-menu';
import { renderedOnce } from './rendered-once';
import { useI18n } from './use-i18n';

export interface LayoutProps {
  title: string;
  user?: CurrentUser | null;
  flash?: Flash | null;
  children?: Child;
}

export function Layout({ title, user, flash, children }: LayoutProps) {
  const { t, language, dir } = useI18n();
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={language} dir={dir}>
        <head>
          {renderedOnce('head-meta', () => (
            <>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
            </>
          ))}
          {/* Per request: a title can name someone (a staff page about one account). */}
          <title>{t('common.pageTitle', { title })}</title>
          {renderedOnce('head-links', () => (
            <>
              <link rel="stylesheet" href="/static/app.css" />
              <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
              <meta name="color-scheme" content="light dark" />
            </>
          ))}
        </head>
        <body>
          {renderedOnce('skip-link', () => (
            <a class="skip-link" href="#main">
              {t('common.skipToContent')}
            </a>
          ))}
          <header class="site-header">
            {renderedOnce('brand', () => (
              <a class="brand" href="/">
                {t('common.brand')}
              </a>
            ))}
            <nav aria-label={t('common.nav.label')}>
              {user ? (
                <>
                  <a class="header-user" href="/dashboard">
                    <Avatar user={user} size="small" />
                    <span>{user.username}</span>
                  </a>
                  {renderedOnce(`nav-signed-in|${user.isStaff ? 'staff' : 'member'}`, () => (
                    <>
                      <a class="nav-secondary" href="/account">
                        {t('common.nav.account')}
                      </a>
                      {user.isStaff ? (
                        <a class="nav-secondary" href="/admin">
                          {t('common.nav.staff')}
                        </a>
                      ) : null}
                      <form method="post" action="/logout" class="inline-form">
                        <button type="submit" class="button button-quiet">
                          {t('common.nav.signOut')}
                        </button>
                      </form>
                    </>
                  ))}
                </>
              ) : (
                renderedOnce('nav-visitor', () => (
                  <>
                    <a href="/login">{t('common.nav.signIn')}</a>
                    <a class="button" href="/register">
                      {t('common.nav.signUp')}
                    </a>
                  </>
                ))
              )}
            </nav>
          </header>
          <main id="main" tabindex={-1}>
            {flash ? <FlashMessage flash={flash} /> : null}
            {children}
          </main>
          <footer class="site-footer">
            {renderedOnce('footer', () => <p>{t('common.footer.servedFromEdge')}</p>)}
            <LanguageMenu />
          </footer>
        </body>
      </html>
    </>
  );
}
