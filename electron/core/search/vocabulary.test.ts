// The vocabulary index on a real workspace (real signed bundles imported into SQLite, a real FTS5
// table over the entries' text): the terms it collects, completions, typo tolerance, and the file
// it persists (atomic, checked, never trusted when stale or damaged).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture } from '../../../tests/helpers/search-fixture';
import { INDEX_DIR } from '../workspace/database';
import { foldTerm, Vocabulary } from './vocabulary';
import { buildVocabularyFile } from './vocabulary-build';
import {
  readVocabularyFile,
  readVocabularyFileAsync,
  vocabularyPath,
  writeVocabularyFile,
} from './vocabulary-store';
import {
  collectTerms,
  isWordTerm,
  readDataVersion,
  TERM_KINDS,
  type VocabularyTerm,
} from './vocabulary-terms';

const TEST_FTS = 'vocabulary_test_fts';

/** A full-text table over the signed lines, as the search's FTS5 table tokenizes (accents folded). */
function addTestFts(fixture: Fixture): void {
  fixture.ws.db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS ${TEST_FTS}
      USING fts5(body, tokenize = "unicode61 remove_diacritics 2", detail = none);
    DELETE FROM ${TEST_FTS};
    INSERT INTO ${TEST_FTS} (rowid, body) SELECT seq, raw FROM entries;
  `);
}

let fixture: Fixture;
let vocabulary: Vocabulary;
let terms: VocabularyTerm[];
const ALL = new Set(TERM_KINDS);

beforeAll(async () => {
  fixture = await buildFixture(5, 24);
  addTestFts(fixture);
  const collected = collectTerms(fixture.ws.db, { ftsTable: TEST_FTS });
  terms = collected.terms;
  vocabulary = Vocabulary.build(terms, collected.version);
});
afterAll(() => fixture.remove());

const byKind = (kind: VocabularyTerm['kind']) =>
  new Map(terms.filter((t) => t.kind === kind).map((t) => [t.value, t.count]));
const countBy = <K>(key: (e: Fixture['entries'][number]) => K) => {
  const counts = new Map<K, number>();
  for (const e of fixture.entries) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  return counts;
};

describe('collectTerms', () => {
  it('users, actions and IPs with the number of entries of each, from the database', () => {
    expect(byKind('action')).toEqual(countBy((e) => e.action));
    const ips = countBy((e) => e.ip);
    ips.delete(null);
    expect(byKind('ip')).toEqual(ips);
    const names = countBy((e) => e.actor.name);
    expect(byKind('user')).toEqual(names);
    const dana = terms.find((t) => t.kind === 'user' && t.value === 'Dana Reyes');
    expect(dana?.also).toEqual(['usr_1', 'dana@example.com']);
  });

  it("each entity's newest label, entities sharing a label counted together", () => {
    const newest = new Map<string, string>();
    for (const e of fixture.entries) newest.set(`${e.entity.type}:${e.entity.id}`, e.entity.label);
    const counts = new Map<string, number>();
    for (const e of fixture.entries) {
      const label = newest.get(`${e.entity.type}:${e.entity.id}`)!;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    expect(byKind('entity')).toEqual(counts);
  });

  it("words are the FTS5 vocabulary's terms without digits, with their document counts", () => {
    const words = byKind('word');
    expect(words.get('reyes')).toBe(countBy((e) => e.actor.name === 'Dana Reyes').get(true));
    expect(words.get('dupre')).toBeGreaterThan(0); // "Dupré", folded by the FTS5 tokenizer
    for (const word of words.keys()) expect(isWordTerm(word)).toBe(true);
    expect([...words.keys()].some((w) => /\d/.test(w))).toBe(false);
  });

  it('without an FTS table: everything but words', () => {
    const { terms: noWords } = collectTerms(fixture.ws.db, { ftsTable: null });
    expect(noWords.some((t) => t.kind === 'word')).toBe(false);
    expect(noWords.length).toBe(terms.filter((t) => t.kind !== 'word').length);
  });

  it('isWordTerm keeps words and drops identifiers, numbers and single letters', () => {
    expect(['hoffmann', 'élysée', 'status_changed', "o'connor"].every(isWordTerm)).toBe(true);
    expect(['req_5v87t8', '2026', '203', 'x', '__', 'a'.repeat(41)].some(isWordTerm)).toBe(false);
  });
});

describe('completions and typos', () => {
  it('completes a prefix of any token, case and accents ignored, most frequent first', () => {
    const users = vocabulary.completions('DUP', new Set(['user']), 5);
    expect(users.map((m) => m.value)).toEqual(['Émile Dupré']);
    expect(vocabulary.completions('emile.d', new Set(['user']), 5)[0]?.value).toBe('Émile Dupré');
    const ips = vocabulary.completions('203.0.113.', new Set(['ip']), 10);
    expect(ips.length).toBeGreaterThan(1);
    for (let i = 1; i < ips.length; i++)
      expect(ips[i - 1]!.count).toBeGreaterThanOrEqual(ips[i]!.count);
  });

  it('puts a term with a token equal to the text before longer completions', () => {
    const found = vocabulary.completions('booking', ALL, 20);
    expect(found[0]).toMatchObject({ value: 'booking', kind: 'word', match: 'exact' });
    expect(found.filter((m) => m.match === 'exact').length).toBeGreaterThan(0);
    expect(found.some((m) => m.value === 'booking.cancelled' && m.kind === 'action')).toBe(true);
  });

  it('respects kinds and limit; an empty prefix lists the most frequent terms', () => {
    expect(vocabulary.completions('b', new Set(['action']), 1)).toHaveLength(1);
    expect(
      vocabulary
        .completions('', new Set(['user']), 50)
        .map((m) => m.value)
        .sort(),
    ).toEqual([...byKind('user').keys()].sort());
    expect(vocabulary.completions('zzzz', ALL, 10)).toEqual([]);
  });

  it('finds words within typo distance (1 edit from 4 characters, 2 from 8), never the word itself', () => {
    expect(vocabulary.typos('reyez', new Set(['word']), 8).map((m) => m.value)).toContain('reyes');
    expect(vocabulary.typos('rescheduel', new Set(['word']), 8).map((m) => m.value)).toContain(
      'rescheduled',
    );
    expect(vocabulary.typos('reyes', new Set(['word']), 8).map((m) => m.value)).not.toContain(
      'reyes',
    );
    // Too short, or with digits: never corrected.
    expect(vocabulary.typos('rey', ALL, 8)).toEqual([]);
    expect(vocabulary.typos('12345', ALL, 8)).toEqual([]);
  });

  it('a label word shared by many labels does not find them all; a rare one does', () => {
    const many: VocabularyTerm[] = Array.from({ length: 120 }, (_, i) => ({
      kind: 'entity',
      value: `Booking #${1000 + i}`,
      count: 1,
    }));
    many.push({ kind: 'entity', value: 'Customer Sven Ito', count: 3 });
    const v = Vocabulary.build(many, readDataVersion(fixture.ws.db));
    const entity = new Set(['entity'] as const);
    expect(v.completions('ito', entity, 5).map((m) => m.value)).toEqual(['Customer Sven Ito']);
    expect(v.completions('#1007', entity, 5).map((m) => m.value)).toEqual(['Booking #1007']);
    expect(v.completions('1007', entity, 5).map((m) => m.value)).toEqual(['Booking #1007']);
    // "booking" is in more than 50 labels: only the whole label (a prefix of it) finds them.
    expect(v.completions('booking #10', entity, 200)).toHaveLength(100);
    expect(v.typos('svem', entity, 5).map((m) => m.value)).toEqual(['Customer Sven Ito']);
  });

  it('foldTerm lower-cases and removes accents', () => {
    expect(foldTerm('Émile DUPRÉ')).toBe('emile dupre');
    expect(foldTerm('Ångström')).toBe('angstrom');
  });
});

describe('the vocabulary file', () => {
  const answers = (v: Vocabulary) =>
    ['dup', 'reyez', 'b', '203.0', 'booking #12', 'integraton'].map((q) => [
      v.completions(q, ALL, 10),
      v.typos(q, ALL, 10),
    ]);

  it('round-trips: a loaded file answers exactly as the index that wrote it', async () => {
    writeVocabularyFile(fixture.ws.dir, vocabulary.toData());
    const file = readVocabularyFile(fixture.ws.dir, readDataVersion(fixture.ws.db));
    expect(file.status).toBe('ok');
    if (file.status !== 'ok') return;
    const loaded = await Vocabulary.fromData(file.data);
    expect(answers(loaded)).toEqual(answers(vocabulary));
    expect(loaded.version).toEqual(vocabulary.version);
  });

  it('keeps any text a label may hold (NUL, quotes, emoji, line breaks) through the file', async () => {
    const odd: VocabularyTerm[] = [
      { kind: 'entity', value: 'Zone \u0000 nul', count: 2 },
      { kind: 'entity', value: 'Café 😀 "quoted"\nnext', count: 1 },
      { kind: 'user', value: 'Ünal Öz', count: 3, also: ['usr_ü', 'ünal@example.com'] },
    ];
    const built = Vocabulary.build(odd, readDataVersion(fixture.ws.db));
    const data = JSON.parse(JSON.stringify(built.toData())) as ReturnType<Vocabulary['toData']>;
    const loaded = await Vocabulary.fromData(data);
    expect(loaded.terms).toEqual(odd);
    expect(loaded.completions('cafe 😀', ALL, 5).map((m) => m.value)).toEqual([odd[1]!.value]);
    expect(loaded.completions('zone \u0000', ALL, 5).map((m) => m.value)).toEqual([odd[0]!.value]);
    expect(loaded.completions('usr_u', ALL, 5).map((m) => m.value)).toEqual(['Ünal Öz']);
  });

  it('a file for other data is stale; a missing one is missing', () => {
    writeVocabularyFile(fixture.ws.dir, vocabulary.toData());
    const now = readDataVersion(fixture.ws.db);
    expect(readVocabularyFile(fixture.ws.dir, { ...now, maxSeq: now.maxSeq + 1 }).status).toBe(
      'stale',
    );
    expect(readVocabularyFile(join(fixture.ws.dir, 'nowhere'), now).status).toBe('missing');
  });

  it('a truncated, altered or foreign file is corrupt, never used', async () => {
    const path = vocabularyPath(fixture.ws.dir);
    const now = readDataVersion(fixture.ws.db);
    writeVocabularyFile(fixture.ws.dir, vocabulary.toData());
    const good = readFileSync(path);
    const cases: Buffer[] = [
      good.subarray(0, good.length - 10),
      good.subarray(0, good.indexOf(10) + 1),
      Buffer.concat([good, Buffer.from(' ')]),
      Buffer.from('{"kind":"something else"}\n{}'),
      Buffer.from('not json at all'),
      Buffer.alloc(0),
    ];
    const flipped = Buffer.from(good);
    flipped[flipped.length - 20] = flipped[flipped.length - 20]! ^ 1;
    cases.push(flipped);
    for (const bytes of cases) {
      writeFileSync(path, bytes);
      expect(readVocabularyFile(fixture.ws.dir, now).status).toBe('corrupt');
      expect((await readVocabularyFileAsync(fixture.ws.dir, () => now)).status).toBe('corrupt');
    }
  });

  it('is written through a temporary file; a build removes temporary files left by a killed one', () => {
    const dir = join(fixture.ws.dir, INDEX_DIR);
    writeFileSync(join(dir, 'vocabulary.json.tmp-99999-1'), 'half written');
    const report = buildVocabularyFile({ workspaceDir: fixture.ws.dir, ftsTable: TEST_FTS });
    expect(readdirSync(dir).filter((n) => n.startsWith('vocabulary'))).toEqual(['vocabulary.json']);
    expect(report.terms).toBe(terms.length);
    expect(report.version).toEqual(readDataVersion(fixture.ws.db));
    expect(readVocabularyFile(fixture.ws.dir, report.version).status).toBe('ok');
  });
});
