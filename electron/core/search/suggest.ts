// Suggestions for the filter bar (AuditApi `suggest`): what the word being typed may become. The
// prefix may carry its qualifier (`user:da`, `-action:book`), which picks the kind; a bare prefix
// is looked up among every kind asked for. Prefix completions come first (most frequent first); when
// they run short, terms within typo distance fill the list. Answers from the vocabulary index in
// memory alone (no SQLite): well under the 20 ms budget (docs/performance.md).
import { SUGGESTION_KINDS, type Suggestion, type SuggestionKind } from '../../../shared/api/types';
import { isBareWord, quote } from '../../../shared/query';
import type { Vocabulary, VocabularyMatch } from './vocabulary';
import type { TermKind } from './vocabulary-terms';

export interface SuggestOptions {
  kinds?: readonly SuggestionKind[];
  /** At most this many suggestions (default 10). */
  limit?: number;
}

const QUALIFIER_KINDS: Record<string, SuggestionKind> = {
  user: 'user',
  action: 'action',
  entity: 'entity',
  ip: 'ip',
};

/** `user:"Dana Reyes"`; quotes only where the query syntax needs them. */
function insertText(kind: SuggestionKind, value: string): string {
  if (kind === 'word') return isBareWord(value) ? value : quote(value);
  return `${kind}:${value !== '' && !/[\s"]/u.test(value) ? value : quote(value)}`;
}

export function suggest(
  vocabulary: Vocabulary,
  prefix: string,
  { kinds = SUGGESTION_KINDS, limit = 10 }: SuggestOptions = {},
): Suggestion[] {
  let text = prefix.trimStart();
  const negated = text.startsWith('-');
  if (negated) text = text.slice(1);
  let wanted = new Set<SuggestionKind>(kinds);
  const qualifier = /^([A-Za-z]+):/u.exec(text);
  if (qualifier) {
    const kind = QUALIFIER_KINDS[qualifier[1]!.toLowerCase()];
    // A qualifier without suggestions (category:, on:...) gets none here.
    if (kind === undefined || !wanted.has(kind)) return [];
    wanted = new Set([kind]);
    text = text.slice(qualifier[0].length);
  }
  // A value being typed inside quotes: `user:"dana re`.
  if (text.startsWith('"')) text = text.slice(1).replace(/"$/u, '');
  const termKinds = new Set<TermKind>(wanted);
  const found: VocabularyMatch[] = vocabulary.completions(text, termKinds, limit);
  if (found.length < limit) {
    const known = new Set(found.map((m) => `${m.kind}\u0000${m.value}`));
    for (const match of [
      ...vocabulary.typos(text, termKinds, limit),
      ...vocabulary.typoCompletions(text, termKinds, limit),
    ]) {
      if (found.length >= limit) break;
      const key = `${match.kind}\u0000${match.value}`;
      if (known.has(key)) continue;
      known.add(key);
      found.push(match);
    }
  }
  return found.map((m) => ({
    kind: m.kind as SuggestionKind,
    insert: `${negated ? '-' : ''}${insertText(m.kind as SuggestionKind, m.value)}`,
    label: m.value,
    count: m.count,
  }));
}
