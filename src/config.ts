import { decodeBase64 } from '@oslojs/encoding';
import * as z from 'zod/mini';
import { DEFAULT_LANGUAGE, isLanguage, KNOWN_LANGUAGES, LANGUAGES, type Language } from './i18n/languages';
import { readProviderSettings, type ProviderSettings } from './providers/provider-settings';

const httpUrl = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` });
const required = (what: string) => z.string({ error: `is missing: ${what}` }).check(z.trim(), z.minLength(1, `is empty: ${what}`));
const optionalUrl = (example: string) => z.optional(z.union([z.literal(''), httpUrl(example)]));

// The key in wrangler.toml [vars], for local use only: it is public, so an https origin
// refuses it (production sets MFA_ENCRYPTION_KEY as a secret).
export const DEV_MFA_ENCRYPTION_KEY = 'CKipoT9aNI2k3dmKCb0bppZuTpHgfwBAgbnwjjJBHuc=';

function decodeKey(value: string): Uint8Array | null {
  try {
    const bytes = decodeBase64(value.trim());
    return bytes.byteLength === 32 ? bytes : null;
  } catch {
    return null;
  }
}

const configSchema = z.object({
  PUBLIC_ORIGIN: httpUrl('https://accounts.example.com'),
  S3_BUCKET: required('the bucket that stores avatars'),
  S3_REGION: required('the bucket region, e.g. us-east-1 (AWS) or auto (R2)'),
  S3_ENDPOINT: optionalUrl('https://<account id>.r2.cloudflarestorage.com'),
  S3_ACCESS_KEY_ID: required('set it with `wrangler secret put S3_ACCESS_KEY_ID`'),
  S3_SECRET_ACCESS_KEY: required('set it with `wrangler secret put S3_SECRET_ACCESS_KEY`'),
  MEDIA_PUBLIC_URL: optionalUrl('https://media.example.com'),
  MFA_ENCRYPTION_KEY: z.string({ error: 'is missing: 32 random bytes in base64 (`openssl rand -base64 32`), set with `wrangler secret put MFA_ENCRYPTION_KEY`' }).check(
    z.refine((value) => decodeKey(value) !== null, 'must be 32 bytes in base64, e.g. the output of `openssl rand -base64 32`'),
  ),
  MAIL_FROM: z.email({ error: 'must be the sender address, e.g. no-reply@accounts.example.com' }),
  MAIL_FROM_NAME: z.optional(z.string()),
  DEV_MAILBOX: z.optional(z.string()),
  LANGUAGES: z.optional(z.string()),
  SIGN_UP_CONFIRMATION: z.optional(z.enum(['', 'before', 'after'], { error: 'must be "before" (confirm the address, then create the account) or "after"' })),
  EMAIL: z.custom<SendEmail>((value) => typeof (value as SendEmail | undefined)?.send === 'function', {
    error: 'binding is missing: add [[send_email]] name = "EMAIL" to wrangler.toml',
  }),
  IMAGES: z.custom<ImagesBinding>((value) => typeof (value as ImagesBinding | undefined)?.input === 'function', {
    error: 'binding is missing: add [images] binding = "IMAGES" to wrangler.toml (avatars are never stored unprocessed)',
  }),
});

export interface S3Config {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface MailConfig {
  from: { email: string; name: string };
  // Development only: log each message with its link and list them at /dev/mail.
  devMailbox: boolean;
}

export interface Config {
  publicOrigin: string;
  // https origin: Secure + __Host- cookies and HSTS. Plain http only makes sense locally.
  secure: boolean;
  s3: S3Config;
  // Where pages link avatars: a public bucket or CDN domain, or this Worker's /media/.
  mediaBaseUrl: string;
  mail: MailConfig;
  // AES-256-GCM key for second-factor secrets at rest (src/mfa/secret-box.ts).
  mfaEncryptionKey: Uint8Array;
  // "before": sign-up sends a code and creates the account once the address is confirmed;
  // "after": the account exists at once and a confirmation link follows.
  signUpConfirmation: 'before' | 'after';
  // The languages offered, in LANGUAGES order (src/i18n/languages.ts); English always.
  languages: Language[];
  // "Sign in with ..." providers, in SIGN_IN_PROVIDERS order (src/providers/provider-settings.ts).
  signInProviders: ProviderSettings[];
}

// "en,de,fr": the known ones, English first if missing; empty or unset: all six (never
// the pseudo-language en-XA, which only a list that names it offers).
function offeredLanguages(value: string | undefined): Language[] {
  // Case-insensitive: "en-xa" names the pseudo-language en-XA.
  const named = (value ?? '')
    .split(',')
    .map((part) => KNOWN_LANGUAGES.find((code) => code.toLowerCase() === part.trim().toLowerCase()))
    .filter(isLanguage);
  if (!named.length) return [...LANGUAGES];
  return named.includes(DEFAULT_LANGUAGE) ? [...new Set(named)] : [DEFAULT_LANGUAGE, ...new Set(named)];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();

// Validated once per isolate and env object, on the first request: a wrong setting
// fails every request loudly instead of one feature quietly.
export function readConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'config'} ${issue.message}`);
    throw new ConfigError(`Invalid configuration (check wrangler.toml vars, secrets and bindings):\n  ${problems.join('\n  ')}`);
  }
  const values = result.data;
  const publicOrigin = new URL(values.PUBLIC_ORIGIN).origin;
  if (publicOrigin.startsWith('https:') && values.MFA_ENCRYPTION_KEY.trim() === DEV_MFA_ENCRYPTION_KEY) {
    throw new ConfigError('Invalid configuration: MFA_ENCRYPTION_KEY is the public development key; set your own with `wrangler secret put MFA_ENCRYPTION_KEY`');
  }
  const providers = readProviderSettings(env as unknown as Record<string, unknown>, publicOrigin);
  if (!providers.ok) {
    throw new ConfigError(`Invalid configuration (check SIGN_IN_PROVIDERS and its variables):\n  ${providers.problems.join('\n  ')}`);
  }
  const config: Config = {
    publicOrigin,
    secure: publicOrigin.startsWith('https:'),
    s3: {
      bucket: values.S3_BUCKET.trim(),
      region: values.S3_REGION.trim(),
      endpoint: values.S3_ENDPOINT || undefined,
      accessKeyId: values.S3_ACCESS_KEY_ID.trim(),
      secretAccessKey: values.S3_SECRET_ACCESS_KEY.trim(),
    },
    mediaBaseUrl: (values.MEDIA_PUBLIC_URL || '/media').replace(/\/+$/, ''),
    mail: {
      from: { email: values.MAIL_FROM, name: values.MAIL_FROM_NAME?.trim() || 'Edge Accounts' },
      devMailbox: values.DEV_MAILBOX === 'true',
    },
    mfaEncryptionKey: decodeKey(values.MFA_ENCRYPTION_KEY)!,
    signInProviders: providers.providers,
    signUpConfirmation: values.SIGN_UP_CONFIRMATION === 'after' ? 'after' : 'before',
    languages: offeredLanguages(values.LANGUAGES),
  };
  cache.set(env, config);
  return config;
}
