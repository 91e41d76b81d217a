// Opening workspace folders on disk: what gets created, what is refused (with one clear line) and
// that a refused file or folder is left exactly as it was.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/bundles';
import { contentHash, sha256File } from '../../../tests/integration/helpers/workspace';
import { DATABASE_FILE, INDEX_DIR, openWorkspace, type OpenOptions } from './database';
import { SCHEMA_VERSION } from './migrations';

let dir: { path: string; remove(): void };
beforeEach(() => {
  dir = tempDir('audit-desk-ws-');
});
afterEach(() => dir.remove());

/** The error openWorkspace throws, checked to be a one-line runtime error. */
function refusal(path: string, options?: OpenOptions): string {
  let error: unknown;
  try {
    openWorkspace(path, options).close();
  } catch (e) {
    error = e;
  }
  expect(error, 'openWorkspace should have refused').toBeDefined();
  expect(error).toMatchObject({ name: 'AuditDeskError', kind: 'runtime' });
  const message = (error as Error).message;
  expect(message).not.toMatch(/\n/);
  return message;
}

/** Names and hashes of every file below `root`, to prove a refusal touched nothing. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const path = join(root, name);
    out[name] = statSync(path).isDirectory() ? 'dir' : sha256File(path);
  }
  return out;
}

function futureDatabase(file: string, journalMode: 'wal' | 'delete'): void {
  const db = new Database(file);
  db.pragma(`journal_mode = ${journalMode}`);
  db.exec("CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES ('keep me')");
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
}

describe('creating a workspace', () => {
  it('creates a missing folder (and its parents) with workspace.sqlite and index/, migrated, in WAL mode', () => {
    const path = join(dir.path, 'a', 'b', 'ws');
    const ws = openWorkspace(path, { create: true });
    try {
      expect(ws.dir).toBe(path);
      expect(existsSync(join(path, DATABASE_FILE))).toBe(true);
      expect(statSync(join(path, INDEX_DIR)).isDirectory()).toBe(true);
      expect(ws.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(ws.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      ws.close();
    }
  });

  it('uses an existing empty folder', () => {
    const ws = openWorkspace(dir.path, { create: true });
    ws.close();
    expect(readdirSync(dir.path).sort()).toContain(DATABASE_FILE);
  });

  it('reopens an existing workspace with its data, without create', () => {
    const ws = openWorkspace(dir.path, { create: true });
    ws.db.prepare("INSERT INTO tenant VALUES (1, 'ten_acme', 'Acme', 'UTC', 'standard')").run();
    const before = contentHash(ws.db);
    ws.close();
    const again = openWorkspace(dir.path);
    try {
      expect(contentHash(again.db)).toBe(before);
    } finally {
      again.close();
    }
  });

  it('recreates a deleted index/ folder on open', () => {
    openWorkspace(dir.path, { create: true }).close();
    rmSync(join(dir.path, INDEX_DIR), { recursive: true });
    openWorkspace(dir.path).close();
    expect(existsSync(join(dir.path, INDEX_DIR))).toBe(true);
  });
});

describe('refusals', () => {
  it('a missing workspace when not creating: "no workspace at DIR", nothing created', () => {
    const path = join(dir.path, 'nowhere');
    expect(refusal(path)).toBe(`no workspace at ${path} (import a bundle into it first)`);
    expect(existsSync(path)).toBe(false);
  });

  it('an empty folder when not creating: no workspace, nothing created', () => {
    expect(refusal(dir.path)).toMatch(/^no workspace at /);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('a non-empty folder that is not a workspace, and leaves it as it was', () => {
    writeFileSync(join(dir.path, 'notes.txt'), 'my tax documents');
    mkdirSync(join(dir.path, 'sub'));
    const before = snapshot(dir.path);
    expect(refusal(dir.path, { create: true })).toBe(
      `${dir.path} is not an Audit Desk workspace and not empty; choose a new or empty folder`,
    );
    expect(snapshot(dir.path)).toEqual(before);
  });

  it('a file where the workspace folder should be', () => {
    const path = join(dir.path, 'file');
    writeFileSync(path, 'x');
    expect(refusal(path, { create: true })).toBe(`${path} is a file, not a workspace folder`);
  });

  it.each([
    [
      'text',
      Buffer.from(
        'this is not a database, just some text that is long enough to have a header\n'.repeat(20),
      ),
    ],
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))],
  ])(
    'a non-SQLite file (%s) in place of workspace.sqlite: clear error, file untouched',
    (_name, bytes) => {
      const file = join(dir.path, DATABASE_FILE);
      writeFileSync(file, bytes);
      const before = snapshot(dir.path);
      for (const options of [{}, { create: true }, { readonly: true }]) {
        expect(refusal(dir.path, options)).toBe(
          `${join(dir.path, DATABASE_FILE)} is not an SQLite database`,
        );
      }
      expect(snapshot(dir.path)).toEqual(before);
    },
  );

  it('a directory in place of workspace.sqlite', () => {
    mkdirSync(join(dir.path, DATABASE_FILE));
    expect(refusal(dir.path, { create: true })).toMatch(/^cannot open workspace /);
  });

  it('a database from a newer Audit Desk (WAL, as workspaces are): refused in one line, file untouched', () => {
    const file = join(dir.path, DATABASE_FILE);
    futureDatabase(file, 'wal');
    const before = snapshot(dir.path);
    for (const options of [{}, { create: true }]) {
      expect(refusal(dir.path, options)).toBe(
        `workspace schema version ${SCHEMA_VERSION + 1} is newer than this Audit Desk understands (${SCHEMA_VERSION}); update Audit Desk to open it`,
      );
    }
    expect(snapshot(dir.path)).toEqual(before);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare('SELECT x FROM from_the_future').pluck().get()).toBe('keep me');
    db.close();
  });

  it('a database from a newer Audit Desk is refused whatever its journal mode', () => {
    futureDatabase(join(dir.path, DATABASE_FILE), 'delete');
    expect(refusal(dir.path)).toMatch(
      /^workspace schema version \d+ is newer than this Audit Desk understands/,
    );
  });

  it('an SQLite database of another program is refused and left byte for byte untouched', () => {
    const db = new Database(join(dir.path, DATABASE_FILE));
    db.exec("CREATE TABLE contacts (name); INSERT INTO contacts VALUES ('keep me')");
    db.close();
    const before = snapshot(dir.path);
    expect(refusal(dir.path)).toBe(
      `${join(dir.path, DATABASE_FILE)} is an SQLite database of another program, not an Audit Desk workspace`,
    );
    expect(snapshot(dir.path)).toEqual(before);
  });

  it('a database from a newer Audit Desk in rollback-journal mode is left byte for byte untouched', () => {
    futureDatabase(join(dir.path, DATABASE_FILE), 'delete');
    const before = snapshot(dir.path);
    refusal(dir.path);
    expect(snapshot(dir.path)).toEqual(before);
  });
});
