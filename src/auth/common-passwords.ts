// The common-password list ships beside the code, not in it: 140 KB of text would be a
// fifth of the Worker bundle, loaded by every isolate for the few requests that set a
// password. scripts/generate-common-passwords.mjs writes it (lower case, one a line) to
// assets/ at this path; the Worker reads it through its ASSETS binding
// (src/http/common-passwords.tsx), the Node CLIs from disk.
export const COMMON_PASSWORDS_PATH = '/static/common-passwords.txt';

export type CommonPasswords = ReadonlySet<string>;

// Fewer lines than this is not the generated list (about 15,000): a truncated file, or a
// page served in its place. Accepting it would let almost every password through.
const MIN_ENTRIES = 10_000;

export function parseCommonPasswords(text: string): CommonPasswords {
  const list = new Set(text.split('\n'));
  list.delete('');
  if (list.size < MIN_ENTRIES) throw new Error(`The common-password list has ${list.size} entries, expected at least ${MIN_ENTRIES}: regenerate it with \`npm install\`.`);
  return list;
}

export function isCommonPassword(list: CommonPasswords, password: string): boolean {
  return list.has(password.toLowerCase());
}

// One read for every caller, concurrent first callers included. A failed read is not
// kept: the next caller tries again.
export function loadCommonPasswordsOnce(readText: () => Promise<string>): () => Promise<CommonPasswords> {
  let loading: Promise<CommonPasswords> | undefined;
  return () =>
    (loading ??= readText()
      .then(parseCommonPasswords)
      .catch((error: unknown) => {
        loading = undefined;
        throw error;
      }));
}
