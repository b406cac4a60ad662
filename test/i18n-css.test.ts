import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

// The stylesheet serves right-to-left pages (Arabic) as well as left-to-right ones: sides
// are logical (inline-start/end), so a page mirrors with <html dir="rtl"> alone.

async function stylesheet(): Promise<string> {
  const response = await env.ASSETS.fetch('https://assets.invalid/static/app.css');
  expect(response.status).toBe(200);
  // Comments may talk about left and right; only the rules count.
  return (await response.text()).replace(/\/\*[\s\S]*?\*\//g, '');
}

// Each declaration as [property, value], from every rule block (nested @media included).
function declarations(css: string): [string, string][] {
  const found: [string, string][] = [];
  for (const block of css.matchAll(/\{([^{}]*)\}/g)) {
    for (const part of block[1]!.split(';')) {
      const colon = part.indexOf(':');
      if (colon < 0) continue;
      found.push([part.slice(0, colon).trim().toLowerCase(), part.slice(colon + 1).trim().toLowerCase()]);
    }
  }
  return found;
}

// Physical sides that have a logical equivalent. None is needed today; a rule that truly
// cannot be logical goes here with its reason.
const ALLOWED: string[] = [];

describe('app.css and right-to-left pages', () => {
  it('uses logical properties and values, not left and right', async () => {
    const physical = declarations(await stylesheet())
      .filter(([property, value]) => /(^|-)(left|right)(-|$)/.test(property) || (/^(text-align|float|clear|caption-side|resize)$/.test(property) && /\b(left|right)\b/.test(value)))
      .map(([property, value]) => `${property}: ${value}`)
      .filter((declaration) => !ALLOWED.includes(declaration));
    expect(physical).toEqual([]);
  });

  it('has no [dir] overrides a logical property could express', async () => {
    expect((await stylesheet()).match(/\[dir[^\]]*\]/g) ?? []).toEqual([]);
  });

  it('lets long words wrap and styles the footer language menu', async () => {
    const css = await stylesheet();
    expect(css).toMatch(/\.button\s*\{[^}]*overflow-wrap:\s*anywhere/);
    expect(css).toMatch(/label, legend\s*\{[^}]*overflow-wrap:\s*anywhere/);
    expect(css).toMatch(/hyphens:\s*auto/);
    expect(css).toMatch(/\.language-menu\s*\{[^}]*display:\s*flex/);
  });
});
