import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { loadCatalog } from '../i18n/load-catalog';
import { isLanguage, type Language } from '../i18n/languages';
import { createTranslator, ENGLISH_TRANSLATOR, validTimeZone, type Translator } from '../i18n/translator';
import type { MailContent, MailMessage } from './messages';

export interface MailerConfig {
  from: { email: string; name: string };
  devMailbox: boolean;
}

// Where the recipient's language comes from: their account (users.language, time_zone),
// else the request that caused the mail (an address with no account, an account that never
// chose). Without it (a unit test, a script), mail goes out in English, in UTC.
export interface MailLocale {
  assets: Fetcher;
  db: Db;
  offered: readonly Language[];
  request: Translator;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

// A message as it went out, in the recipient's language.
export interface SentMail extends MailContent {
  to: string;
  link?: string;
  code?: string;
}

export interface StoredMail extends SentMail {
  sentAt: number;
  messageId?: string;
}

const DEV_MAIL_PREFIX = 'dev-mail:';
const DEV_MAIL_TTL_SECONDS = 24 * 60 * 60;

// One read per mail, after the response. Addresses are stored normalised, and every
// message to an account is addressed from that stored value.
async function recipientTranslator(locale: MailLocale, to: string): Promise<Translator> {
  const { request } = locale;
  try {
    const row = await locale.db.select({ language: users.language, timeZone: users.timeZone }).from(users).where(eq(users.email, to)).get();
    const saved = row?.language;
    const language = isLanguage(saved) && locale.offered.includes(saved) ? saved : request.language;
    const timeZone = validTimeZone(row?.timeZone) ?? request.timeZone;
    if (language === request.language && timeZone === request.timeZone) return request;
    return createTranslator(language, await loadCatalog(locale.assets, language), timeZone);
  } catch (error) {
    // A mail in the request's language beats no mail.
    console.error('The recipient’s language could not be read:', error);
    return request;
  }
}

// Sends through Cloudflare Email Service (the send_email binding). With the development
// mailbox on, each message is also logged with its link and kept for /dev/mail.
export function createMailer(binding: SendEmail, kv: KVNamespace, config: MailerConfig, locale?: MailLocale): Mailer {
  return {
    async send(message) {
      const translator = locale ? await recipientTranslator(locale, message.to) : ENGLISH_TRANSLATOR;
      const { subject, text, html } = message.compose(translator);
      const { messageId } = await binding.send({ from: config.from, to: message.to, subject, text, html });
      if (!config.devMailbox) return;
      console.log(`[dev mail] to ${message.to}: ${subject}${message.link ? `\n  ${message.link}` : ''}`);
      const sentAt = Date.now();
      // Newest first in KV's lexicographic listing.
      const key = `${DEV_MAIL_PREFIX}${(9e15 - sentAt).toString().padStart(16, '0')}:${messageId}`;
      const stored: StoredMail = { to: message.to, subject, text, html, link: message.link, code: message.code, sentAt, messageId };
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
    console.error(`Sending "${message.compose(ENGLISH_TRANSLATOR).subject}" failed:`, error);
    return false;
  }
}
