import { beforeAll, describe, expect, it } from 'vitest';
import { get } from './helpers';
import { insertUsers, listedUsernames, nextLink, signUpStaff } from './admin-helpers';

// The users list through HTTP: search, filters, and keyset pages across their
// boundaries (no row lost or repeated, including ties on the date joined).

// Later than anyone who signs up while the tests run, so these lead the date order.
const FUTURE = 4_000_000_000_000;
const tag = Date.now().toString(36);
let cookie: string;
let staffName: string;

async function walk(path: string): Promise<{ pages: string[][]; all: string[] }> {
  const pages: string[][] = [];
  let next: string | null = path;
  while (next) {
    const res = await get(next, cookie);
    expect(res.status, next).toBe(200);
    const html = await res.text();
    pages.push(listedUsernames(html));
    next = nextLink(html);
    if (pages.length > 50) throw new Error('too many pages');
  }
  return { pages, all: pages.flat() };
}

beforeAll(async () => {
  const staff = await signUpStaff();
  cookie = staff.cookie;
  staffName = staff.username;
});

describe('the users list, newest first', () => {
  // 120 users in groups of 7 sharing a join time: pages must split ties correctly.
  const walkers = Array.from({ length: 120 }, (_, i) => ({
    id: `walk${tag}${String(i).padStart(4, '0')}`,
    username: `walker${tag}${i}`,
    dateJoined: FUTURE + Math.floor(i / 7) * 1000,
  }));

  beforeAll(() => insertUsers(walkers));

  it('pages of 50 by date joined then id, every user exactly once', async () => {
    const expected = [...walkers].sort((a, b) => b.dateJoined - a.dateJoined || (a.id < b.id ? 1 : -1)).map((w) => w.username);
    const first = await (await get('/admin/users', cookie)).text();
    expect(listedUsernames(first)).toEqual(expected.slice(0, 50));
    const second = await (await get(nextLink(first)!, cookie)).text();
    expect(listedUsernames(second)).toEqual(expected.slice(50, 100));
    expect(second).toContain('First page');
    const third = await (await get(nextLink(second)!, cookie)).text();
    expect(listedUsernames(third).slice(0, 20)).toEqual(expected.slice(100));
    expect(listedUsernames(third)).toContain(staffName);
  });

  it('ignores parameters it cannot read and shows the first page', async () => {
    const res = await get('/admin/users?active=maybe&by=password&after=garbage&verified=1', cookie);
    expect(res.status).toBe(200);
    expect(listedUsernames(await res.text())[0]).toBe(walkers.at(-1)!.username);
  });
});

describe('search', () => {
  const names = Array.from({ length: 130 }, (_, i) => `Srch${tag}_${String(i).padStart(3, '0')}`);
  beforeAll(() =>
    insertUsers([
      ...names.map((username, i) => ({ id: `srch${tag}${i}`, username, email: `mail${tag}.${String(i).padStart(3, '0')}@example.com`, dateJoined: 1_700_000_000_000 + i })),
      // Near misses: a longer prefix elsewhere in the alphabet, and the prefix in the middle.
      { id: `decoy${tag}1`, username: `Srcx${tag}`, dateJoined: 1_700_000_000_000 },
      { id: `decoy${tag}2`, username: `x_srch${tag}`, dateJoined: 1_700_000_000_000 },
    ]),
  );

  it('finds usernames by their beginning, whatever the case, in name order over several pages', async () => {
    const { pages, all } = await walk(`/admin/users?q=sRcH${tag}`);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 30]);
    expect(all).toEqual(names);
  });

  it('compares in the normalised form (NFKC): full-width letters find the same accounts', async () => {
    const fullWidth = [...'SRCH'].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    const html = await (await get(`/admin/users?q=${encodeURIComponent(fullWidth + tag)}_12`, cookie)).text();
    expect(listedUsernames(html)).toEqual(names.filter((n) => n.includes('_12')));
  });

  it('finds email addresses by their beginning (chosen, or guessed from an "@")', async () => {
    const { all } = await walk(`/admin/users?q=MAIL${tag}.&by=email`);
    expect(all).toEqual(names);
    const guessed = await (await get(`/admin/users?q=${encodeURIComponent(`mail${tag}.007@`)}`, cookie)).text();
    expect(listedUsernames(guessed)).toEqual([names[7]]);
    expect(guessed).toContain('<option value="email" selected="">');
  });

  it('says so when nothing matches', async () => {
    const html = await (await get(`/admin/users?q=nobody${tag}`, cookie)).text();
    expect(listedUsernames(html)).toEqual([]);
    expect(html).toContain('No matching accounts.');
  });
});

describe('filters', () => {
  // 2,400 users, 1 in 37 staff, 1 in 11 deactivated, half unverified: more than two
  // filter windows of 1,000, so matches come from pages that look further each time.
  const people = Array.from({ length: 2400 }, (_, i) => ({
    id: `flt${tag}${String(i).padStart(5, '0')}`,
    username: `flt${tag}_${String(i).padStart(5, '0')}`,
    dateJoined: FUTURE - 10_000_000 + i,
    staff: i % 37 === 0,
    active: i % 11 !== 0,
    verified: i % 2 === 0,
  }));
  const mine = (names: string[]) => names.filter((n) => n.startsWith(`flt${tag}_`));
  const newestFirst = [...people].reverse();

  beforeAll(() => insertUsers(people));

  it('staff only: every staff account once, in date order, across windows', async () => {
    const { pages, all } = await walk('/admin/users?staff=yes');
    expect(mine(all)).toEqual(newestFirst.filter((p) => p.staff).map((p) => p.username));
    expect(all).toContain(staffName);
    // Some pages were cut short by the window and still led on.
    expect(pages.slice(0, -1).some((p) => p.length < 50)).toBe(true);
  });

  it('combined: deactivated and verified', async () => {
    const { all } = await walk('/admin/users?active=no&verified=yes');
    expect(mine(all)).toEqual(newestFirst.filter((p) => !p.active && p.verified).map((p) => p.username));
  });

  it('a filter on a search: active staff among usernames starting with the prefix, in name order', async () => {
    const { all } = await walk(`/admin/users?q=flt${tag}_&staff=yes&active=yes`);
    expect(all).toEqual(people.filter((p) => p.staff && p.active).map((p) => p.username));
  });

  it('not verified: the larger half, pages of 50 until the end', async () => {
    const { pages, all } = await walk(`/admin/users?q=flt${tag}_0&verified=no`);
    const expected = people.filter((p) => !p.verified && p.username.startsWith(`flt${tag}_0`)).map((p) => p.username);
    expect(all).toEqual(expected);
    expect(pages[0]).toHaveLength(50);
  });
});
