import { describe, expect, it } from 'vitest';
import {
  currentRange,
  dayRange,
  hasTerm,
  insertSuggestion,
  replaceKind,
  setDates,
  toggleTerm,
  wordAt,
} from './query-edit';

describe('query editing', () => {
  it('toggles a term canonically', () => {
    expect(toggleTerm('refund', 'category:bookings')).toBe('refund category:bookings');
    expect(toggleTerm('refund Category:BOOKINGS', 'category:bookings')).toBe('refund');
    expect(hasTerm('user:"Dana Reyes"', 'user:"Dana Reyes"')).toBe(true);
  });
  it('appends to a query that does not parse', () => {
    expect(toggleTerm('"open', 'category:bookings')).toBe('"open category:bookings');
  });
  it('replaces the date filters', () => {
    const q = setDates('refund after:2026-01-01 user:x', dayRange('2026-02-03', '2026-02-01'));
    expect(q).toBe('refund user:x date:2026-02-01..2026-02-03');
    expect(currentRange(q)).toEqual({ from: '2026-02-01', to: '2026-02-03' });
    expect(setDates('on:2026-01-02 a', null)).toBe('a');
    expect(setDates('', dayRange('2026-01-02', '2026-01-02'))).toBe('on:2026-01-02');
  });
  it('replaces one kind', () => {
    expect(replaceKind('user:a user:b x', 'user:c')).toBe('x user:c');
  });
  it('finds the word at the caret, quotes included', () => {
    expect(wordAt('a user:"Dana R', 14)).toEqual({ start: 2, end: 14, word: 'user:"Dana R' });
    expect(wordAt('abc def', 5).word).toBe('def');
  });
  it('inserts a suggestion with a space after', () => {
    expect(insertSuggestion('a us b', 2, 4, 'user:"Dana Reyes"')).toEqual({
      text: 'a user:"Dana Reyes" b',
      caret: 20,
    });
    expect(insertSuggestion('-us', 0, 3, 'user:x').text).toBe('-user:x ');
  });
});
