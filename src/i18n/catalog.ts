import { account } from './en/account';
import { admin } from './en/admin';
import { auth } from './en/auth';
import { common } from './en/common';
import { forms } from './en/forms';
import { mail } from './en/mail';
import { security } from './en/security';
import type { Message, ParamValue, PlaceholdersOf } from './message-format';

// The English catalogue, the source of every key: one module per area of the app (a key
// starts with its area's name). Another language has one JSON file per area in
// assets/i18n/<language>/<area>.json with the same keys (test/i18n-catalogue.test.ts).
export const AREAS = { common, auth, account, security, forms, mail, admin } as const;
export type Area = keyof typeof AREAS;

export const ENGLISH = { ...common, ...auth, ...account, ...security, ...forms, ...mail, ...admin };
export type MessageKey = keyof typeof ENGLISH;
export type Catalog = Record<MessageKey, Message>;

// What t(key, ...) takes: nothing for a message without placeholders, else each by name.
type Placeholders<K extends MessageKey> = PlaceholdersOf<(typeof ENGLISH)[K]>;
export type ParamsArg<K extends MessageKey> = [Placeholders<K>] extends [never] ? [] : [params: Record<Placeholders<K>, ParamValue>];
