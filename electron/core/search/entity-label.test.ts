// `entity:"label"` is an exact test (ignoring case) on the rows an FTS5 phrase over the label column
// preselects (labelPrefilter). The phrase must never lose a label the exact test accepts: checked
// here for every code point of Unicode against the real tokenizer of a real workspace, and on a
// workspace of awkward labels against the in-memory reference.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, quote } from '../../../shared/query';
import type { Entry } from '../../../shared/entry';
import {
  dayStart,
  makeEntry,
  makeKey,
  tempDir,
  trustOf,
  writeDayBundle,
  TENANT,
} from '../../../tests/helpers/bundles';
import { referenceSearch } from '../../../tests/helpers/search-reference';
import { openWorkspace, type Workspace } from '../workspace/database';
import { importBundleFile } from '../workspace/import';
import { FTS_TABLE } from './full-text';
import { foldsLikeTheIndex, labelPrefilter } from './match';
import { explainSearch, searchEntries } from './search';

let dir: string;
let ws: Workspace;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-desk-entity-label-'));
  ws = openWorkspace(dir, { create: true });
});
afterAll(() => {
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('labelPrefilter', () => {
  it('is the label phrase in the label column, typed text never FTS5 syntax', () => {
    expect(labelPrefilter('Booking #1234')).toBe('entity : "Booking #1234"');
    expect(labelPrefilter('a "b" NEAR(c)')).toBe('entity : "a ""b"" NEAR(c)"');
    expect(labelPrefilter('#')).toBeNull();
    expect(labelPrefilter('İstanbul')).toBeNull();
    expect(labelPrefilter('e\u0301')).toBeNull();
    expect(labelPrefilter('Zone Élysée')).not.toBeNull();
  });

  it('every code point whose case variants it accepts folds in the tokenizer as toLowerCase', () => {
    // Code points by their lower case, over all of Unicode (the label side may hold any of them).
    const byLower = new Map<string, number[]>();
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const lower = String.fromCodePoint(cp).toLowerCase();
      const list = byLower.get(lower);
      if (list === undefined) byLower.set(lower, [cp]);
      else list.push(cp);
    }
    const table = ws.db.prepare(`INSERT INTO ${FTS_TABLE} (rowid, entity) VALUES (?, ?)`);
    const match = ws.db
      .prepare(`SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?`)
      .pluck();
    ws.db.exec('SAVEPOINT codepoints');
    const inserted = new Set<number>();
    const accepted: number[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      const char = String.fromCodePoint(cp);
      if ((cp >= 0xd800 && cp <= 0xdfff) || !foldsLikeTheIndex(char)) continue;
      accepted.push(cp);
      for (const variant of byLower.get(char.toLowerCase()) ?? [])
        if (!inserted.has(variant)) {
          inserted.add(variant);
          table.run(variant + 1, String.fromCodePoint(variant).normalize('NFC'));
        }
    }
    // Final sigma: toLowerCase gives ς at the end of a word, so Σ must fold as ς does too.
    table.run(0x110001, 'ΟΔΟΣ');
    const wrong: string[] = [];
    for (const cp of accepted) {
      const char = String.fromCodePoint(cp);
      const variants = byLower.get(char.toLowerCase())!;
      const phrase = labelPrefilter(char);
      if (phrase === null) {
        // No word character: its case variants must be separators for the tokenizer too.
        if (variants.length > 1) wrong.push(`separator U+${cp.toString(16)} has case variants`);
        continue;
      }
      const found = new Set(match.all(phrase) as number[]);
      for (const v of variants)
        if (!found.has(v + 1)) wrong.push(`U+${cp.toString(16)} misses U+${v.toString(16)}`);
    }
    expect(new Set(match.all(labelPrefilter('οδος')!) as number[]).has(0x110001)).toBe(true);
    ws.db.exec('ROLLBACK TO codepoints; RELEASE codepoints');
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(accepted.length).toBeGreaterThan(20_000);
  }, 120_000);
});

describe('entity:"label" over awkward labels = in-memory reference', () => {
  /** Labels the phrase finds but the exact test must refuse, and case variants it must keep. */
  const LABELS = [
    'Booking #1234',
    'Booking #1234 (copy)',
    'booking 1234',
    'Zone Élysée',
    'Zone Elysee',
    'ZONE ÉLYSÉE',
    'Straße 5',
    'STRASSE 5',
    'ΟΔΟΣ',
    'οδος',
    'İstanbul',
    'i\u0307stanbul',
    'Kelvin 5\u212a',
    'Kelvin 5k',
    'e\u0301cole',
    'école',
    '#',
    '東京 タワー',
    'Acme HQ',
    'Ƛ yot Ϳ',
  ];
  let fixture: { ws: Workspace; remove(): void };
  let entries: Entry[];
  beforeAll(async () => {
    const tmp = tempDir('audit-desk-entity-labels-');
    const key = makeKey('otesse-labels');
    entries = LABELS.flatMap((label, i) =>
      [0, 1].map((k) =>
        makeEntry(i * 2 + k + 1, new Date(Date.parse(dayStart(0)) + i * 60_000 + k).toISOString(), {
          entity: { type: k === 0 ? 'booking' : 'zone', id: String(i), label },
        }),
      ),
    );
    const bundle = writeDayBundle({ key, out: join(tmp.path, 'day.otbundle'), entries, day: 0 });
    const labelWs = openWorkspace(join(tmp.path, 'ws'), { create: true });
    const outcome = await importBundleFile(labelWs, bundle.out, {
      trust: trustOf(key),
      trustSource: 'test',
      source: 'file',
    });
    expect(outcome.status).toBe('imported');
    fixture = {
      ws: labelWs,
      remove: () => {
        labelWs.close();
        tmp.remove();
      },
    };
  });
  afterAll(() => fixture.remove());

  const typed = fc.oneof(
    fc.constantFrom(...LABELS),
    fc.constantFrom(...LABELS).map((l) => l.toUpperCase()),
    fc.constantFrom(...LABELS).map((l) => l.toLowerCase()),
    fc.constantFrom('Booking', '1234', 'booking #1234', 'Zone Elysée', 'ς', 'k', 'Acme'),
  );

  it('random label queries, alone, repeated, negated or with a type: same entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), typed), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('', 'entity:zone', '-entity:booking', 'stanbul'),
        (labels, more) => {
          const text = [
            ...labels.map(([negated, label]) => `${negated ? '-' : ''}entity:${quote(label)}`),
            more,
          ].join(' ');
          const parsed = parseQuery(text);
          if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
          const want = referenceSearch(entries, parsed.query, TENANT.timeZone).map((e) => e.seq);
          const got = searchEntries(fixture.ws, parsed.query, { limit: 1000 });
          expect(got.entries.map((e) => e.seq)).toEqual(want);
          expect(got.total).toBe(want.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds every case variant and nothing else (hand-checked)', () => {
    const seqs = (text: string) => {
      const parsed = parseQuery(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return searchEntries(fixture.ws, parsed.query, { limit: 1000 }).entries.map((e) => e.seq);
    };
    const of = (...labels: string[]) =>
      entries
        .filter((e) => labels.includes(e.entity.label))
        .map((e) => e.seq)
        .sort((a, b) => b - a);
    expect(seqs('entity:"booking #1234"')).toEqual(of('Booking #1234'));
    expect(seqs('entity:"zone élysée"')).toEqual(of('Zone Élysée', 'ZONE ÉLYSÉE'));
    expect(seqs('entity:οδος')).toEqual(of('ΟΔΟΣ', 'οδος'));
    expect(seqs('entity:"kelvin 5k"')).toEqual(of('Kelvin 5\u212a', 'Kelvin 5k'));
    expect(seqs('entity:i\u0307stanbul')).toEqual(of('İstanbul', 'i\u0307stanbul'));
    expect(seqs('entity:#')).toEqual(of('#'));
  });

  it('reads the FTS5 label column, not every row, for a label alone', () => {
    const parsed = parseQuery('entity:"Booking #1234"');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const plan = explainSearch(fixture.ws, parsed.query, { limit: 100 });
    expect(plan.page.join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(plan.page.join('\n')).not.toMatch(/^SCAN entries$/m);
  });
});
