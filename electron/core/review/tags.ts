// Review tags: what a tag may be and how `tag:` compares them (ignoring case, like other filters).
import { usageError } from '../errors';
import { foldCase } from '../search/functions';

export const MAX_TAG_LENGTH = 100;
export const MAX_TAGS = 50;

export function foldTag(tag: string): string {
  return foldCase(tag.trim());
}

/**
 * Trimmed, non-empty, at most MAX_TAG_LENGTH characters, without control characters; duplicates
 * (ignoring case) keep their first spelling. Order is kept as given.
 */
export function normalizeTags(tags: readonly string[]): string[] {
  const kept = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') throw usageError('a tag cannot be empty');
    if (tag.length > MAX_TAG_LENGTH)
      throw usageError(`a tag is at most ${MAX_TAG_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(tag)) throw usageError('a tag cannot hold control characters');
    if (!kept.has(foldTag(tag))) kept.set(foldTag(tag), tag);
  }
  if (kept.size > MAX_TAGS) throw usageError(`an entry holds at most ${MAX_TAGS} tags`);
  return [...kept.values()];
}
