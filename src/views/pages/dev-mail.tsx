import type { StoredMail } from '../../mail/mailer';
import { Layout } from '../layout';

const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

// Development only (DEV_MAILBOX = "true"): what the app has sent, with working links.
export function DevMailPage({ messages }: { messages: StoredMail[] }) {
  return (
    <Layout title="Development mailbox">
      <section class="card stack">
        <h1>Development mailbox</h1>
        <p class="muted">Messages sent in the last 24 hours, newest first. This page exists only in local development.</p>
        {messages.length === 0 ? <p>No messages yet.</p> : null}
        {messages.map((message) => (
          <article class="mail">
            <h2>{message.subject}</h2>
            <p class="muted">
              To {message.to} · {when.format(new Date(message.sentAt))} UTC
            </p>
            {message.link ? (
              <p>
                <a href={message.link}>{message.link}</a>
              </p>
            ) : null}
            <pre class="mail-text">{message.text}</pre>
          </article>
        ))}
      </section>
    </Layout>
  );
}
