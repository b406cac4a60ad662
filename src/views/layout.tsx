import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../users/avatar-urls';
import { Avatar } from './components/avatar';
import { FlashMessage, type Flash } from './components/flash';

export interface LayoutProps {
  title: string;
  user?: CurrentUser | null;
  flash?: Flash | null;
  children?: Child;
}

export function Layout({ title, user, flash, children }: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · Edge Accounts`}</title>
          <link rel="stylesheet" href="/static/app.css" />
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <meta name="color-scheme" content="light dark" />
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <a class="brand" href="/">
              Edge Accounts
            </a>
            <nav aria-label="Account">
              {user ? (
                <>
                  <a class="header-user" href="/dashboard">
                    <Avatar user={user} size="small" />
                    <span>{user.username}</span>
                  </a>
                  <a class="nav-secondary" href="/account">
                    Account
                  </a>
                  {user.isStaff ? (
                    <a class="nav-secondary" href="/admin">
                      Staff
                    </a>
                  ) : null}
                  <form method="post" action="/logout" class="inline-form">
                    <button type="submit" class="button button-quiet">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <a href="/login">Sign in</a>
                  <a class="button" href="/register">
                    Sign up
                  </a>
                </>
              )}
            </nav>
          </header>
          <main id="main" tabindex={-1}>
            {flash ? <FlashMessage flash={flash} /> : null}
            {children}
          </main>
          <footer class="site-footer">
            <p>Served from the edge.</p>
          </footer>
        </body>
      </html>
    </>
  );
}
