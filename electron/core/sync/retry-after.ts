// `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Returns the wait in
// milliseconds, or undefined when the header is absent or unreadable (the caller then falls back
// to its own backoff rather than trusting a value it cannot read).

const DELAY_SECONDS = /^\s*(\d{1,10})\s*$/;
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37
// GMT") and asctime ("Sun Nov  6 08:49:37 1994"): the three forms RFC 9110 §5.6.7 makes
// recipients accept. Anything else is refused instead of being guessed by Date.parse.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Z][a-z]{5,8}, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = DELAY_SECONDS.exec(value);
  if (seconds !== null) return Number(seconds[1]) * 1000;
  const text = value.trim();
  let at = Number.NaN;
  if (IMF_FIXDATE.test(text)) at = Date.parse(text);
  else if (RFC_850.test(text)) at = parseRfc850(text);
  else if (ASCTIME.test(text)) at = Date.parse(`${text} GMT`);
  if (Number.isNaN(at)) return undefined;
  // A date in the past means "now": retry without waiting.
  return Math.max(0, at - nowMs);
}

/** RFC 850 two-digit years: a year more than 50 years ahead is read in the past century. */
function parseRfc850(text: string): number {
  const m = /, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}:\d{2}:\d{2}) GMT$/.exec(text);
  if (m === null) return Number.NaN;
  const nowYear = new Date().getUTCFullYear();
  let year = 2000 + Number(m[3]);
  if (year > nowYear + 50) year -= 100;
  return Date.parse(`${m[1]} ${m[2]} ${year} ${m[4]} GMT`);
}
