// A user agent as the words a reviewer searches for: browser, OS and device (`Chrome Windows`,
// `WebKit iOS Apple iPhone mobile`), plus the leading product of agents that are not browsers
// (`OtesseMobile`, `curl`, `Zapier`). The raw string is ~20 words that nearly every entry shares
// (`Mozilla 5 0 AppleWebKit 537 36 KHTML like Gecko ...`): indexing it would double the cost of
// the full-text index for words nobody looks for.
import UAParser from 'ua-parser-js';

/** Parsed agents by raw string: a trail has few distinct agents and parsing one costs ~20 µs. */
const cache = new Map<string, string | null>();
const CACHE_LIMIT = 10_000;

const PRODUCT = /^([A-Za-z][\w.-]*)/;

export function userAgentWords(userAgent: string): string | null {
  let words = cache.get(userAgent);
  if (words !== undefined) return words;
  const r = new UAParser(userAgent).getResult();
  const product = PRODUCT.exec(userAgent.trim())?.[1];
  const parts = [
    r.browser.name,
    r.os.name,
    r.device.vendor,
    r.device.model,
    r.device.type,
    product === undefined || product === 'Mozilla' ? undefined : product,
  ].filter((p): p is string => p !== undefined && p.trim() !== '');
  words = parts.length === 0 ? null : [...new Set(parts)].join(' ');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(userAgent, words);
  return words;
}
