// Calendar dates of the query language: validation and day arithmetic, no time zone. A local
// calendar date only becomes an instant in filters.ts, with the tenant's zone (shared/time.ts).
import type { CalendarDate, DateSpec } from './ast';
import { show, type ValueResult } from './messages';

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, a real day/month, years 0001 to 9999. */
export function parseCalendarDate(text: string, offset = 0): ValueResult<CalendarDate> {
  const fail = (why: string): ValueResult<CalendarDate> => ({
    ok: false,
    error: { message: `invalid date ${show(text)}${why}`, offset, length: text.length },
  });
  const m = DATE.exec(text);
  if (!m) return fail(' (use YYYY-MM-DD, YYYY-MM or YYYY)');
  const year = Number(m[1]);
  if (year === 0) return fail(': no year 0000');
  if (m[2] === undefined) return { ok: true, value: text };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return fail(`: no month ${m[2]}`);
  if (m[3] === undefined) return { ok: true, value: text };
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month))
    return fail(`: ${m[1]}-${m[2]} has ${daysInMonth(year, month)} days`);
  return { ok: true, value: text };
}

/** The first day a calendar date covers (`2026-02` → `2026-02-01`). */
export function firstDay(date: CalendarDate): string {
  if (date.length === 4) return `${date}-01-01`;
  if (date.length === 7) return `${date}-01`;
  return date;
}

/** The day after the last day it covers (`2026-02` → `2026-03-01`); null past 9999-12-31. */
export function dayAfter(date: CalendarDate): string | null {
  const year = Number(date.slice(0, 4));
  if (date.length === 4) return year >= 9999 ? null : `${pad(year + 1, 4)}-01-01`;
  const month = Number(date.slice(5, 7));
  if (date.length === 7) {
    if (month < 12) return `${date.slice(0, 4)}-${pad(month + 1, 2)}-01`;
    return year >= 9999 ? null : `${pad(year + 1, 4)}-01-01`;
  }
  const day = Number(date.slice(8, 10));
  if (day < daysInMonth(year, month)) return `${date.slice(0, 8)}${pad(day + 1, 2)}`;
  if (month < 12) return `${date.slice(0, 4)}-${pad(month + 1, 2)}-01`;
  return year >= 9999 ? null : `${pad(year + 1, 4)}-01-01`;
}

/**
 * Local days a date clause covers: `from` inclusive, `to` exclusive (both `YYYY-MM-DD`), null for
 * an open end. Half-open ranges intersect and convert to instants without off-by-one days.
 */
export interface LocalDays {
  from: string | null;
  to: string | null;
}

export function specDays(spec: DateSpec): LocalDays {
  switch (spec.op) {
    case 'on':
      return { from: firstDay(spec.date), to: dayAfter(spec.date) };
    case 'after': {
      const from = dayAfter(spec.date);
      // after:9999 leaves nothing; keep it representable as an empty range.
      return from === null ? { from: '9999-12-31', to: '9999-12-31' } : { from, to: null };
    }
    case 'before':
      return { from: null, to: firstDay(spec.date) };
    case 'range':
      return {
        from: spec.from === null ? null : firstDay(spec.from),
        to: spec.to === null ? null : dayAfter(spec.to),
      };
  }
}

/** Days common to both; `YYYY-MM-DD` strings compare in calendar order. */
export function intersectDays(a: LocalDays, b: LocalDays): LocalDays {
  const from =
    a.from === null ? b.from : b.from === null ? a.from : a.from > b.from ? a.from : b.from;
  const to = a.to === null ? b.to : b.to === null ? a.to : a.to < b.to ? a.to : b.to;
  return { from, to };
}

export function isEmptyDays(days: LocalDays): boolean {
  return days.from !== null && days.to !== null && days.from >= days.to;
}

/**
 * The value of a date qualifier. `on:`/`after:`/`before:` take one date; `date:` takes a date, a
 * range `A..B` (open ends allowed) or a comparison `>D` `>=D` `<D` `<=D` (GitHub's `created:`).
 */
export function parseDateValue(
  qualifier: 'on' | 'after' | 'before' | 'date',
  text: string,
): ValueResult<DateSpec> {
  if (qualifier !== 'date') {
    const d = parseCalendarDate(text);
    return d.ok ? { ok: true, value: { op: qualifier, date: d.value } } : d;
  }
  const cmp = /^(>=|<=|>|<)/.exec(text)?.[1];
  if (cmp !== undefined) {
    const d = parseCalendarDate(text.slice(cmp.length), cmp.length);
    if (!d.ok) return d;
    const spec: DateSpec =
      cmp === '>'
        ? { op: 'after', date: d.value }
        : cmp === '<'
          ? { op: 'before', date: d.value }
          : cmp === '>='
            ? { op: 'range', from: d.value, to: null }
            : { op: 'range', from: null, to: d.value };
    return { ok: true, value: spec };
  }
  const dots = text.indexOf('..');
  if (dots < 0) {
    const d = parseCalendarDate(text);
    return d.ok ? { ok: true, value: { op: 'on', date: d.value } } : d;
  }
  const left = text.slice(0, dots);
  const right = text.slice(dots + 2);
  if (left === '' && right === '')
    return {
      ok: false,
      error: {
        message: 'a date range needs at least one end (date:2026-01-01..2026-01-31)',
        offset: 0,
        length: text.length,
      },
    };
  let from: CalendarDate | null = null;
  let to: CalendarDate | null = null;
  if (left !== '') {
    const d = parseCalendarDate(left);
    if (!d.ok) return d;
    from = d.value;
  }
  if (right !== '') {
    const d = parseCalendarDate(right, dots + 2);
    if (!d.ok) return d;
    to = d.value;
  }
  const spec: DateSpec = { op: 'range', from, to };
  if (isEmptyDays(specDays(spec)))
    return {
      ok: false,
      error: {
        message: `date range ${show(text)} ends before it starts`,
        offset: 0,
        length: text.length,
      },
    };
  return { ok: true, value: spec };
}
