import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import * as z from 'zod/mini';
import { PASSWORD_MAX_LENGTH } from '../auth/password-rules';
import { PASSKEY_NAME_MAX_LENGTH } from './passkeys';
import type { AssertionAnswer } from './webauthn-sign-in';
import type { RegistrationAnswer } from './webauthn-registration';

// The JSON bodies assets/static/passkeys.js posts. Strict: an unknown key means the body
// is not ours, and gets the same 400 as any unreadable form.

export const MAX_JSON_BODY_BYTES = 64 * 1024;

const base64url = (max: number) => z.string().check(z.maxLength(max), z.regex(/^[A-Za-z0-9_-]*$/));

export const registrationOptionsBody = z.strictObject({ password: z.string().check(z.maxLength(PASSWORD_MAX_LENGTH)) });

export const registrationBody = z.strictObject({
  name: z.string().check(z.maxLength(500)),
  clientDataJSON: base64url(8 * 1024),
  attestationObject: base64url(48 * 1024),
  transports: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(10))),
});

// secondStep: the passkey answers the second step of the pending sign-in this browser
// holds (the two-factor page), not a sign-in of its own.
const secondStep = z.optional(z.literal(true));

export const signInOptionsBody = z.strictObject({ secondStep });

export const signInBody = z.strictObject({
  secondStep,
  // The credential id: at most 1023 bytes.
  id: base64url(1400).check(z.minLength(1)),
  clientDataJSON: base64url(8 * 1024),
  authenticatorData: base64url(8 * 1024),
  signature: base64url(2048),
  userHandle: z.optional(z.nullable(base64url(128))),
});

// A passkey's name as people type it: spaces tidied, at most 60 characters.
export function cleanPasskeyName(value: string): string | null {
  const name = value.replace(/\s+/g, ' ').trim();
  return name.length >= 1 && name.length <= PASSKEY_NAME_MAX_LENGTH ? name : null;
}

export function toRegistrationAnswer(body: z.infer<typeof registrationBody>, name: string): RegistrationAnswer {
  return {
    name,
    clientDataJSON: decodeBase64urlIgnorePadding(body.clientDataJSON),
    attestationObject: decodeBase64urlIgnorePadding(body.attestationObject),
    transports: body.transports ?? [],
  };
}

export function toAssertionAnswer(body: z.infer<typeof signInBody>): AssertionAnswer {
  return {
    // Stored ids have no padding: the same bytes always give the same key.
    credentialId: encodeBase64urlNoPadding(decodeBase64urlIgnorePadding(body.id)),
    clientDataJSON: decodeBase64urlIgnorePadding(body.clientDataJSON),
    authenticatorData: decodeBase64urlIgnorePadding(body.authenticatorData),
    signature: decodeBase64urlIgnorePadding(body.signature),
    userHandle: body.userHandle ? decodeBase64urlIgnorePadding(body.userHandle) : null,
  };
}
