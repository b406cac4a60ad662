// Only same-site paths: "/dashboard" yes; "//evil.example", "/\evil", "https://..." no.
export function safeNextPath(next: string | undefined | null, fallback = '/dashboard'): string {
  if (!next || next.length > 2048) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, 'http://localhost');
    if (url.origin !== 'http://localhost') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

export function signInUrl(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}
