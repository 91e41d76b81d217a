// CSV that opens safely in a spreadsheet (docs/evidence-pack.md, "CSV safety"). papaparse writes
// RFC 4180 (quotes around cells holding a comma, quote, CR or LF, quotes doubled, CRLF between
// rows, line breaks inside cells kept); we give it our own formula pattern, because its built-in
// one misses leading whitespace, line breaks after the trigger and full-width triggers
// (TOOLCHAIN.md). A neutralized cell gets one leading apostrophe, and so does every cell that
// already starts with one, so the rule can always be undone: strip one leading apostrophe.
import Papa from 'papaparse';

export const UTF8_BOM = '\uFEFF';
export const CSV_NEWLINE = '\r\n';
export const NEUTRALIZE_PREFIX = "'";

/**
 * Characters a spreadsheet reads as the start of a formula: `= + - @`, their full-width forms
 * (U+FF1D, U+FF0B, U+FF0D, U+FF20), their small forms (U+FE66, U+FE62, U+FE63, U+FE6B) and the
 * minus sign U+2212. Being conservative costs one apostrophe; missing one can run code.
 */
export const FORMULA_TRIGGERS = '=+\\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212';

/**
 * Cells that get the prefix: a cell starting with an apostrophe, a tab or a carriage return, or
 * whose first character after any leading whitespace, control or invisible format characters
 * (`\s`, `\p{Cc}`, `\p{Cf}`: spaces, line breaks, NBSP, zero-width space, BOM, bidi marks...) is a
 * trigger. The one exception: a plain negative decimal number (`-12.50`, `-0.5`, `-.5`, `-7`:
 * a minus, digits, at most one decimal point, nothing else), which every spreadsheet reads as
 * that number and never as a formula. Anything more (`-1+1`, `+1 555 0100`, `- 5`, `-1e5`) is
 * prefixed. Not global (no `g`): `test` keeps no state between cells.
 */
export const FORMULA_PATTERN = new RegExp(
  `^(?!-(?:\\d+(?:\\.\\d+)?|\\.\\d+)$)(?:['\\t\\r]|[\\s\\p{Cc}\\p{Cf}]*[${FORMULA_TRIGGERS}])`,
  'u',
);

export function needsNeutralizing(value: string): boolean {
  return FORMULA_PATTERN.test(value);
}

/** The cell as written: the value, with one apostrophe in front when the rule above says so. */
export function neutralizeCell(value: string): string {
  return needsNeutralizing(value) ? NEUTRALIZE_PREFIX + value : value;
}

/** Undoes neutralizeCell exactly: every written cell that starts with an apostrophe got one. */
export function restoreCell(cell: string): string {
  return cell.startsWith(NEUTRALIZE_PREFIX) ? cell.slice(NEUTRALIZE_PREFIX.length) : cell;
}

/**
 * Rows as CSV text, each ending in CRLF. Cells are plain strings (null is written empty).
 * papaparse applies FORMULA_PATTERN itself (it prefixes the apostrophe and quotes the cell).
 */
export function csvRows(rows: readonly (readonly (string | null)[])[]): string {
  if (rows.length === 0) return '';
  return (
    Papa.unparse(rows as (string | null)[][], {
      header: false,
      newline: CSV_NEWLINE,
      quotes: false,
      escapeFormulae: FORMULA_PATTERN,
    }) + CSV_NEWLINE
  );
}

/**
 * Parses CSV text written by csvRows (a leading BOM is dropped) back into rows of written cells
 * (still neutralized: apply restoreCell to read values).
 */
export function parseCsv(text: string): string[][] {
  const body = text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text;
  if (body === '') return [];
  const parsed = Papa.parse<string[]>(body, {
    header: false,
    newline: CSV_NEWLINE,
    delimiter: ',',
    quoteChar: '"',
    skipEmptyLines: false,
  });
  const rows = parsed.data;
  // Every row ends in CRLF, so the text ends with an empty "row" after the last one.
  if (rows.length > 0 && body.endsWith(CSV_NEWLINE)) {
    const last = rows[rows.length - 1]!;
    if (last.length === 1 && last[0] === '') rows.pop();
  }
  return rows;
}
