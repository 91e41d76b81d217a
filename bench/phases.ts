// One benchmark phase per child process, so each reports its own peak RSS.
// Usage (bench/index.ts builds and runs it): node out/bench/phases.js <phase> <dir> <entries>
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, loadPrivateKey } from '../electron/core/bundle/keys';
import { loadTrustStore, TrustStore } from '../electron/core/bundle/trust-store';
import { syncWorkspace } from '../electron/core/sync';
import { startSimServer } from '../electron/sim/server';
import { BundleWriter } from '../electron/core/bundle/writer';
import { verifyBundleFile } from '../electron/core/bundle/read-file';
import { openWorkspace } from '../electron/core/workspace/database';
import { importBundleFile } from '../electron/core/workspace/import';
import { FTS_COLUMNS, FTS_TABLE, fullTextColumns } from '../electron/core/search/full-text';
import type { Entry } from '../shared/entry';
import { generateEntries } from './generate';
import { dayBundleFiles, importAll } from './day-bundles';

const [phase, dir, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const bundlePath = join(dir, 'bench.otbundle');
const trustPath = join(dir, 'trust.json');
const PERIOD_START = Date.parse('2026-01-01T00:00:00.000Z');
const PERIOD_MS = 365 * 86_400_000;
/** Day bundles: a year of a busy tenant (about 2,700 entries a day at 1,000,000). */
const DAYS = 365;

function trust(): TrustStore {
  return new TrustStore(JSON.parse(readText(trustPath)).keys);
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Streams the payload lines of the bundle file (after the two header lines). */
function* payloadLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let rest = Buffer.alloc(0);
  let skipped = 0;
  try {
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      const data = Buffer.concat([rest, buffer.subarray(0, read)]);
      let start = 0;
      for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
        if (skipped < 2) skipped++;
        else yield data.toString('utf8', start, nl);
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
}

const phases: Record<string, () => number | Timed | Promise<number>> = {
  pack() {
    mkdirSync(dir, { recursive: true });
    const pair = generateKeyPair();
    writeFileSync(
      trustPath,
      JSON.stringify({
        version: 1,
        keys: [
          {
            keyId: 'bench',
            algorithm: 'Ed25519',
            publicKey: pair.publicKeyBase64,
            validFrom: null,
            validTo: null,
            revoked: false,
          },
        ],
      }),
    );
    const writer = new BundleWriter({
      out: bundlePath,
      tenant: {
        id: 'ten_bench',
        name: 'Acme Cleaning',
        timeZone: 'America/New_York',
        plan: 'enterprise',
      },
      periodStart: new Date(PERIOD_START).toISOString(),
      periodEnd: new Date(PERIOD_START + PERIOD_MS).toISOString(),
      prevDigest: null,
      keyId: 'bench',
      privateKey: loadPrivateKey(pair.privateKeyPem),
    });
    for (const entry of generateEntries({
      seed: 7,
      periodStartMs: PERIOD_START,
      periodMs: PERIOD_MS,
      count,
      firstSeq: 1,
    }))
      writer.add(entry);
    return writer.finish().manifest.entryCount;
  },
  verify() {
    let seen = 0;
    const verdict = verifyBundleFile(bundlePath, { trust: trust(), onEntry: () => seen++ });
    if (!verdict.valid) throw new Error(`bench bundle did not verify: ${verdict.message}`);
    return seen;
  },
  async import() {
    const ws = freshWorkspace('ws-import');
    try {
      const outcome = await importBundleFile(ws, bundlePath, {
        trust: trust(),
        trustSource: trustPath,
        source: 'file',
      });
      if (outcome.status !== 'imported')
        throw new Error(`bench import failed: ${JSON.stringify(outcome)}`);
      return outcome.entryCount;
    } finally {
      ws.close();
    }
  },
  /** The realistic shape: the simulator's tenant as one signed bundle per day, served over HTTP on
   * 127.0.0.1 from this child process until the bench stops it. Prints its address first. */
  async 'serve-days'() {
    const server = await startSimServer({
      dir: join(dir, 'days'),
      seed: 'bench',
      days: DAYS,
      perDay: Math.ceil(count / DAYS),
      plan: 'enterprise',
    });
    process.stdout.write(
      `${JSON.stringify({ url: server.url, token: server.token, trustStore: server.trustStore, dir: server.dir, entries: server.entries, bundles: server.catalog.length })}\n`,
    );
    await new Promise<never>(() => {}); // serves until killed
    return 0;
  },
  /** Every day bundle from disk, oldest first, into a new workspace: the `import` of a support
   * hand-over (each file names the next one, verified ahead while it commits). */
  async 'import-days'() {
    const days = join(dir, 'days');
    const ws = freshWorkspace('ws-days');
    try {
      return await importAll(ws, dayBundleFiles(days), loadTrustStore(join(days, 'trust.json')));
    } finally {
      ws.close();
    }
  },
  /** The same without naming the next file: what verifying ahead gains. */
  async 'import-days-each'() {
    const days = join(dir, 'days');
    const ws = freshWorkspace('ws-days');
    try {
      return await importAll(ws, dayBundleFiles(days), loadTrustStore(join(days, 'trust.json')), {
        verifyAhead: false,
      });
    } finally {
      ws.close();
    }
  },
  /** The same day bundles synced from the simulator (BENCH_SIM_URL, BENCH_SIM_TOKEN) into a new workspace. */
  async 'sync-days'() {
    const ws = freshWorkspace('ws-sync');
    try {
      const trust = loadTrustStore(join(dir, 'days', 'trust.json'));
      const report = await syncWorkspace({
        ws,
        apiUrl: process.env.BENCH_SIM_URL!,
        token: process.env.BENCH_SIM_TOKEN!,
        trust: { trust, source: 'bench', explicit: true },
      });
      if (report.status !== 'completed')
        throw new Error(`bench sync had problems: ${JSON.stringify(report.rejected)}`);
      return report.entriesAdded;
    } finally {
      ws.close();
    }
  },
  /** The ceiling: the same rows into the same workspace (schema and settings), timing SQLite
   * alone: rows are read and parsed in batches outside the clock, with no hashing or checks. */
  'bare-insert': () => bareInsert({ secondaryIndexes: true }),
  /** What the secondary indexes cost: the same, into the entries table alone. */
  'bare-insert-table-only': () => bareInsert({ secondaryIndexes: false }),
  /** The ceiling with full text: the same, plus each entry's FTS5 row (its column texts built
   * outside the clock), as the import writes them. */
  'bare-insert-full-text': () => bareInsert({ secondaryIndexes: true, fullText: true }),
};

type Timed = { entries: number; seconds: number };

function freshWorkspace(name: string) {
  const wsDir = join(dir, name);
  rmSync(wsDir, { recursive: true, force: true });
  return openWorkspace(wsDir, { create: true });
}

function bareInsert({
  secondaryIndexes,
  fullText = false,
}: {
  secondaryIndexes: boolean;
  fullText?: boolean;
}): Timed {
  const { db, close } = freshWorkspace('ws-bare');
  if (!secondaryIndexes) {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL",
      )
      .pluck()
      .all() as string[];
    for (const name of names) db.exec(`DROP INDEX ${name}`);
  }
  db.prepare(
    "INSERT INTO bundles (ref, bundle_id, digest, period_start, period_end, entry_count, key_id, issued_at, manifest, signature, verdict, source, imported_at) VALUES (1, 'b', 'd', 0, 1, 0, 'k', '', '', '', 'valid', 'file', '')",
  ).run();
  const insert = db.prepare(
    'INSERT INTO entries (seq, id, bundle_ref, leaf_index, occurred_at, category, action, actor_id, actor_type, entity_type, entity_id, ip, raw) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFullText = db.prepare(
    `INSERT INTO ${FTS_TABLE} (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${FTS_COLUMNS.map(() => '?').join(', ')})`,
  );
  let entries = 0;
  let timed = 0;
  let texts: unknown[][] = [];
  const store = (rows: unknown[][]) => {
    const started = performance.now();
    for (const row of rows) insert.run(...row);
    for (const row of texts) insertFullText.run(...row);
    timed += performance.now() - started;
    texts = [];
  };
  db.exec('BEGIN IMMEDIATE');
  let batch: unknown[][] = [];
  for (const line of payloadLines(bundlePath)) {
    const e = JSON.parse(line) as Entry;
    if (fullText) texts.push([e.seq, ...fullTextColumns(e)]);
    batch.push([
      e.seq,
      e.id,
      entries++,
      Date.parse(e.occurredAt),
      e.category,
      e.action,
      e.actor.id,
      e.actor.type,
      e.entity.type,
      e.entity.id,
      e.ip,
      line,
    ]);
    if (batch.length === 2000) {
      store(batch);
      batch = [];
    }
  }
  store(batch);
  const committing = performance.now();
  db.exec('COMMIT');
  close(); // includes the WAL checkpoint, as the import phase's close does
  timed += performance.now() - committing;
  return { entries, seconds: timed / 1000 };
}

const run = phases[phase];
if (run === undefined) throw new Error(`unknown phase ${phase}`);
const started = performance.now();
const result = await run();
const { entries, seconds } =
  typeof result === 'number'
    ? { entries: result, seconds: (performance.now() - started) / 1000 }
    : result;
const { user, system } = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({ phase, entries, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, cpuSeconds: (user + system) / 1e6, mainThreadCpuSeconds: mainThreadCpuSeconds() })}\n`,
);

/** CPU time of this process's main thread (Linux only): on a shared machine it tells what a
 * change saved on the import's storing thread better than the wall clock does. */
function mainThreadCpuSeconds(): number | undefined {
  try {
    // Fields after the command name: state is field 3, utime 14 and stime 15, in clock ticks (1/100 s).
    const stat = readText(`/proc/self/task/${process.pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
