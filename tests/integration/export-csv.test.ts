// CSV safety of evidence packs (docs/evidence-pack.md, "CSV safety"): every string survives export
// and parsing (papaparse, and verify-pack's strict reader) once the documented apostrophe is
// removed, and no written cell starts with a formula trigger, even after leading whitespace.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../electron/core/export/csv-reader';
import {
  csvRows,
  FORMULA_TRIGGERS,
  needsNeutralizing,
  neutralizeCell,
  parseCsv,
  restoreCell,
  UTF8_BOM,
} from '../../electron/core/export/csv-safety';

const TRIGGERS = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫', '−'];
const LEADING = [
  ' ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\u202e',
  '\u0000',
  '\u000b',
];
const PLAIN_NEGATIVE = /^-(?:\d+(?:\.\d+)?|\.\d+)$/;

/** Any string of Unicode scalar values (what an entry can hold: JSON, no lone surrogates). */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
/** Strings built to look like formulas: leading whitespace, a trigger, then anything. */
const formulaLike = fc
  .tuple(
    fc.array(fc.constantFrom(...LEADING), { maxLength: 3 }),
    fc.constantFrom(...TRIGGERS, "'", '\t', '\r'),
    fc.oneof(
      anyText,
      fc.constantFrom(
        '1+1',
        "cmd|' /C calc'!A0",
        'HYPERLINK("http://x")',
        '1\n=2',
        '12.50',
        '.5',
        '1 555 0100',
      ),
    ),
  )
  .map(([lead, trigger, rest]) => lead.join('') + trigger + rest);
const cellValue = fc.oneof(
  anyText,
  formulaLike,
  fc.constantFrom('', '-12.50', '-7', '-.5', '+1 555 0100', '-1+1', '"', ',', '\r\n'),
);

/** Export rows to bytes exactly as entries.csv is written, then read them back as text. */
function throughBytes(rows: string[][]): string {
  return Buffer.from(UTF8_BOM + csvRows(rows), 'utf8').toString('utf8');
}

/** The first character a spreadsheet sees as content: after whitespace, controls and format characters. */
function firstVisible(cell: string): string {
  return cell.replace(/^[\s\p{Cc}\p{Cf}]+/u, '').charAt(0);
}

function readStrict(text: string, chunk: number): string[][] {
  const reader = new CsvReader();
  const body = text.slice(UTF8_BOM.length);
  const rows: string[][] = [];
  for (let i = 0; i < body.length; i += chunk) rows.push(...reader.push(body.slice(i, i + chunk)));
  reader.end();
  return rows;
}

describe('CSV safety (property tests)', () => {
  it('any strings round-trip through export, UTF-8 and papaparse, after removing the prefix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellValue, { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (rows) => {
          // A row of one empty cell is an empty line, which CSV cannot tell from no row at all.
          fc.pre(rows.every((r) => !(r.length === 1 && r[0] === '')));
          const back = parseCsv(throughBytes(rows)).map((r) => r.map(restoreCell));
          expect(back).toEqual(rows);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it("verify-pack's strict reader reads the same rows, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellValue, { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 50 }),
        (rows, chunk) => {
          const text = throughBytes(rows);
          expect(readStrict(text, chunk).map((r) => r.map(restoreCell))).toEqual(rows);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('no written cell starts with a formula trigger, even after leading whitespace', () => {
    const triggers = new Set([...TRIGGERS, '\t', '\r']);
    fc.assert(
      fc.property(fc.array(cellValue, { minLength: 1, maxLength: 8 }), (cells) => {
        const written = parseCsv(throughBytes([cells]))[0]!;
        for (const cell of written) {
          if (cell.startsWith("'")) continue; // neutralized: a spreadsheet reads it as text
          // The documented exception: a plain negative number, which is read as that number.
          if (PLAIN_NEGATIVE.test(cell)) continue;
          expect(triggers.has(cell.charAt(0))).toBe(false);
          expect(triggers.has(firstVisible(cell))).toBe(false);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('restoreCell undoes neutralizeCell for any string, and nothing else starts with the prefix', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, formulaLike), (value) => {
        const cell = neutralizeCell(value);
        expect(restoreCell(cell)).toBe(value);
        expect(cell.startsWith("'")).toBe(needsNeutralizing(value));
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('CSV safety: the documented rule', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1 555 0100', "'+1 555 0100"],
    ['-1+1', "'-1+1"],
    ['+1-2', "'+1-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    [' =1', "' =1"],
    ['\n=1', "'\n=1"],
    ['=1+1\nx', "'=1+1\nx"],
    ['\u200b=1', "'\u200b=1"],
    ['＝1', "'＝1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠x', "'＠x"],
    ['−5', "'−5"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'quoted", "''quoted"],
    ['-', "'-"],
    ['- 5', "'- 5"],
    ['-1e5', "'-1e5"],
    ['-12.50', '-12.50'],
    ['-7', '-7'],
    ['-.5', '-.5'],
    ['12.50', '12.50'],
    ['a=b', 'a=b'],
    ['Booking #1234', 'Booking #1234'],
    ['', ''],
  ])('%j is written as %j', (value, written) => {
    expect(neutralizeCell(value)).toBe(written);
  });

  it('the trigger list names = + - @, their full-width and small forms, and the minus sign', () => {
    for (const t of TRIGGERS) expect(FORMULA_TRIGGERS.includes(t === '-' ? '\\-' : t)).toBe(true);
  });

  it("papaparse's own escapeFormulae misses cases this rule catches (why we pass our own)", () => {
    const missed = [' =1', '=1+1\nx', '＝1', '\n=1'].filter(
      (v) => !Papa.unparse([[v]], { escapeFormulae: true }).includes("'"),
    );
    expect(missed.length).toBeGreaterThan(0);
    for (const v of missed) expect(needsNeutralizing(v)).toBe(true);
  });

  it('RFC 4180: quotes around cells with comma, quote, CR or LF; quotes doubled; CRLF row ends; BOM', () => {
    const text = UTF8_BOM + csvRows([['a,b', 'say "hi"', 'two\nlines', 'plain']]);
    expect(text).toBe('\uFEFF"a,b","say ""hi""","two\nlines",plain\r\n');
  });
});
