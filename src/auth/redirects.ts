// The serialised form a browser reads as a path on this site: one "/" and then not a
// second "/" or "\" (either makes it a scheme-relative URL to another host).
export function isSameOriginPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\');
}

const BASE = 'http://localhost';

// Only same-site paths: "/dashboard" yes; "//evil.example", "/\evil", "https://..." no.
// Checked after parsing, on what the URL parser made of it: "/.//evil.example",
// "/a/..//evil.example" and "/%2e//evil.example" all normalise to "//evil.example".
export function safeNextPath(next: string | undefined | null, fallback = '/dashboard'): string {
  if (!next || next.length > 2048) return fallback;
  // Parsers drop tabs and newlines and read "\" as "/": refuse them rather than guess.
  if (!isSameOriginPath(next) || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  return url.origin === BASE && isSameOriginPath(path) ? path : fallback;
}

export function signInUrl(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}
