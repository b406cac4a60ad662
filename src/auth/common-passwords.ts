import list from './common-passwords.generated';

let commonPasswords: Set<string> | undefined;

// Built on first use rather than at start-up: only sign-up and password changes need it.
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(list.split('\n'));
  return commonPasswords.has(password.toLowerCase());
}
