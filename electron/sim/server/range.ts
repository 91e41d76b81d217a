// `Range` and `If-Range` for bundle downloads (RFC 9110 §13.1.5, §14): one byte range per request.
// A Range the server cannot or will not honour (another unit, several ranges, bad syntax) is
// ignored and the whole body sent, as RFC 9110 allows; a valid range that starts beyond the end is
// 416. An If-Range that is not the current strong ETag (or the exact Last-Modified date) turns the
// request into a plain full GET.
export type RangeOutcome =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

export function evaluateRange(
  size: number,
  validators: { etag: string; lastModified: string },
  range: string | undefined,
  ifRange: string | undefined,
): RangeOutcome {
  if (range === undefined) return { kind: 'full' };
  if (ifRange !== undefined && !ifRangeMatches(ifRange.trim(), validators)) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (match === null) return { kind: 'full' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start)
    return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/** Strong comparison for entity tags (a weak tag never matches); exact match for a date. */
function ifRangeMatches(
  value: string,
  { etag, lastModified }: { etag: string; lastModified: string },
): boolean {
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  return value === lastModified;
}

/** `If-None-Match`: `*` or a list of tags, compared weakly (RFC 9110 §13.1.2). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}
