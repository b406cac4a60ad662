import type { Session } from '../auth/session';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Translator } from '../i18n/translator';
import type { Mailer } from '../mail/mailer';
import type { ObjectStore } from '../storage/object-store';
import type { CurrentUser } from '../users/avatar-urls';

export interface AppVariables {
  config: Config;
  db: Db;
  user: CurrentUser | null;
  // Created on first use: pages that never touch S3 never build a client.
  objectStore: () => ObjectStore;
  mailer: () => Mailer;
  session: Session | null;
  // The visitor's language and time zone (src/http/locale.ts).
  i18n: Translator;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
