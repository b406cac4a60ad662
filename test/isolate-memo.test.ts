import { describe, expect, it } from 'vitest';
import { isolateMemo } from '../src/isolate-memo';
import { createTranslator } from '../src/i18n/translator';
import { ENGLISH } from '../src/i18n/catalog';

describe('isolateMemo', () => {
  it('computes each key once and hands back the same answer', () => {
    const calls: string[] = [];
    const upper = isolateMemo((value: string) => (calls.push(value), value.toUpperCase()));
    expect([upper('a'), upper('b'), upper('a')]).toEqual(['A', 'B', 'A']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('tells calls apart by every argument its key names', () => {
    const joined = isolateMemo(
      (a: string, b: number) => `${a}${b}`,
      (a, b) => `${a}|${b}`,
    );
    expect([joined('x', 1), joined('x', 2), joined('y', 1)]).toEqual(['x1', 'x2', 'y1']);
  });

  it('stays bounded: when full it starts over', () => {
    let computed = 0;
    const same = isolateMemo((value: string) => (computed++, value), undefined, 2);
    same('a');
    same('b');
    same('c'); // full: forgets a and b
    same('c');
    expect(computed).toBe(3);
    same('a');
    expect(computed).toBe(4);
  });

  it('remembers an answer that is undefined too', () => {
    let calls = 0;
    const nothing = isolateMemo((_: string) => {
      calls++;
      return undefined;
    });
    expect([nothing('a'), nothing('a')]).toEqual([undefined, undefined]);
    expect(calls).toBe(1);
  });

  it('remembers nothing when the computation throws', () => {
    let calls = 0;
    const failing = isolateMemo((_: string) => {
      calls++;
      throw new RangeError('no');
    });
    expect(() => failing('a')).toThrow(RangeError);
    expect(() => failing('a')).toThrow(RangeError);
    expect(calls).toBe(2);
  });
});

describe('remembered dates', () => {
  it('keep each language, time zone and style apart', () => {
    const moment = Date.UTC(2026, 11, 31, 23, 30);
    const london = createTranslator('en', ENGLISH, 'Europe/London');
    const tokyo = createTranslator('en', ENGLISH, 'Asia/Tokyo');
    const german = createTranslator('de', ENGLISH, 'Europe/London');
    expect(london.date(moment, 'long')).toBe('December 31, 2026');
    expect(tokyo.date(moment, 'long')).toBe('January 1, 2027');
    expect(german.date(moment, 'long')).toBe('31. Dezember 2026');
    expect(london.date(new Date(moment))).toBe('Dec 31, 2026');
    expect(london.dateTime(moment)).toMatch(/^Dec 31, 2026.*11:30.*PM GMT$/);
    expect(tokyo.dateTime(moment, 'long')).toMatch(/^January 1, 2027.*8:30.*AM GMT\+9$/);
    // Asked again, from the memo: the same text.
    expect(tokyo.date(moment, 'long')).toBe('January 1, 2027');
  });

  it('still refuses a moment that is not one', () => {
    expect(() => createTranslator('en', ENGLISH).date(Number.NaN)).toThrow(RangeError);
  });
});
