import type { Message } from './message-format';

// The pseudo-language en-XA, for testers: each English message with its letters accented
// (still readable) and padded to about 140% of its length, "Sign in" -> "[Šîĝñ îñ ~~]".
// Text left in plain ASCII was never translated; the padding shows where a longer language
// would not fit. {placeholders}, <tag>/</tag> markers and a plural's categories are kept,
// so the message formats as the English one does.

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCENTED = 'áƀçðëƒĝĥîĵķļḿñöṕʠŕšţûṽŵẋýžÁƁÇÐËƑĜĤÎĴĶĻḾÑÖṔǪŔŠŢÛṼŴẊÝŽ';

function accent(text: string): string {
  return text.replace(/[a-zA-Z]/g, (letter) => ACCENTED[PLAIN.indexOf(letter)]!);
}

function pseudoText(text: string): string {
  // Nothing to translate (a list separator): as it is.
  if (!/[a-zA-Z]/.test(text.replace(/\{\w+\}|<\/?\w+>/g, ''))) return text;
  // Placeholders and tag markers pass through; only the text between them is accented.
  const body = text.replace(/(\{\w+\}|<\/?\w+>)|[^{<]+|[{<]/g, (part, kept: string | undefined) => kept ?? accent(part));
  return `[${body} ${'~'.repeat(Math.max(1, Math.ceil(text.length * 0.4) - 3))}]`;
}

export function pseudoLocalize(message: Message): Message {
  if (typeof message === 'string') return pseudoText(message);
  return Object.fromEntries(Object.entries(message).map(([category, text]) => [category, pseudoText(text!)])) as Message;
}
