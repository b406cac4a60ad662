import { useI18n } from '../use-i18n';
import type { StoredMail } from '../../mail/mailer';
import { Layout } from '../layout';

// Development only (DEV_MAILBOX = "true"): what the app has sent, with working links. A
// developer's tool, so its words stay English; the times are in the viewer's time zone.
export function DevMailPage({ messages }: { messages: StoredMail[] }) {
  const { timeZone } = useI18n();
  const when = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZone, timeZoneName: 'short' });
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
              To {message.to} · {when.format(new Date(message.sentAt))}
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
