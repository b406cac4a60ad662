// Text taken from a Django site (usernames, addresses, picture paths, table names) printed
// to the operator's terminal. Raw, an escape sequence in it would act on the terminal
// (set the title, clear the screen, hide lines); quoted as JSON, with the controls JSON
// leaves alone escaped too, it is shown and never obeyed.

// C0 and C1 controls and DEL (\p{Cc}), line separators, and the bidirectional controls
// that can reorder what a line appears to say.
const UNSAFE = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// "value", as JSON writes it, with every control escaped.
export function quoteForTerminal(text: string): string {
  return escapeUnsafe(JSON.stringify(text));
}

// A message that may contain such text: line breaks kept, every other control escaped.
export function escapeForTerminal(message: string): string {
  return message.split('\n').map(escapeUnsafe).join('\n');
}
