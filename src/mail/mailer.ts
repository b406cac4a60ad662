import type { MailMessage } from './messages';

export interface MailerConfig {
  from: { email: string; name: string };
  devMailbox: boolean;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface StoredMail extends MailMessage {
  sentAt: number;
  messageId?: string;
}

const DEV_MAIL_PREFIX = 'dev-mail:';
const DEV_MAIL_TTL_SECONDS = 24 * 60 * 60;

// Sends through Cloudflare Email Service (the send_email binding). With the development
// mailbox on, each message is also logged with its link and kept for /dev/mail.
export function createMailer(binding: SendEmail, kv: KVNamespace, config: MailerConfig): Mailer {
  return {
    async send(message) {
      const { messageId } = await binding.send({
        from: config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      if (!config.devMailbox) return;
      console.log(`[dev mail] to ${message.to}: ${message.subject}${message.link ? `\n  ${message.link}` : ''}`);
      const sentAt = Date.now();
      // Newest first in KV's lexicographic listing.
      const key = `${DEV_MAIL_PREFIX}${(9e15 - sentAt).toString().padStart(16, '0')}:${messageId}`;
      const stored: StoredMail = { ...message, sentAt, messageId };
      await kv.put(key, JSON.stringify(stored), { expirationTtl: DEV_MAIL_TTL_SECONDS });
    },
  };
}

export async function listDevMail(kv: KVNamespace, limit = 50): Promise<StoredMail[]> {
  const listed = await kv.list({ prefix: DEV_MAIL_PREFIX, limit });
  const messages = await Promise.all(listed.keys.map((k) => kv.get<StoredMail>(k.name, 'json')));
  return messages.filter((m): m is StoredMail => m !== null);
}

// Sending must not fail the page that triggered it: the user can ask again.
export async function sendQuietly(mailer: Mailer, message: MailMessage): Promise<boolean> {
  try {
    await mailer.send(message);
    return true;
  } catch (error) {
    console.error(`Sending "${message.subject}" failed:`, error);
    return false;
  }
}
