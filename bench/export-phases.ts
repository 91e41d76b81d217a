// The evidence-pack benchmark's phases, one per child process so each reports its own peak RSS.
// Usage (bench/export.ts builds and runs it): node out/bench-export/export-phases.js <phase> <dir>
// The workspace is the ingest bench's (bench/phases.ts `pack` then `import`: one signed bundle of
// BENCH_ENTRIES realistic entries in <dir>/ws-import).
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Entry } from '../shared/entry';
import { parseQuery } from '../shared/query';
import { exportPack } from '../electron/core/export';
import { verifyPack } from '../electron/core/export/verify-pack';
import { loadTrustStore } from '../electron/core/bundle/trust-store';
import { openWorkspace } from '../electron/core/workspace/database';

const [phase, dir] = process.argv.slice(2) as [string, string];
const workspaceDir = join(dir, 'ws-import');
const packPath = join(dir, 'bench-pack.zip');
const BATCH = 1000;

interface Measured {
  entries: number;
  seconds: number;
  /** Resident set size when the phase's work starts (workspace open), MB. */
  startRssMB: number;
  /** CPU time of the phase's work, all threads (user + system), seconds. */
  cpuSeconds?: number;
  bytes?: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

let logged = 0;
let progressed = 0;
let highest = 0;
/** Progress every 100,000 rows, and (-1, from a timer) every new RSS high with the rows done. */
function logMemory(done: number): void {
  if (done === -1) {
    const rss = process.memoryUsage().rss;
    if (rss <= highest + 4 * 2 ** 20) return;
    highest = rss;
    done = progressed;
  } else {
    progressed = done;
    if (done - logged < 100_000) return;
    logged = done;
  }
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 2 ** 20);
  process.stderr.write(
    `${done} rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)}\n`,
  );
}

const phases: Record<string, () => Promise<Measured>> = {
  /** The whole pack: every entry, every field, proofs, manifest (what `audit-desk export` does). */
  async export() {
    const ws = openWorkspace(workspaceDir, { readonly: true });
    try {
      const query = parseQuery('');
      if (!query.ok) throw new Error('query');
      const startRssMB = process.memoryUsage().rss / 2 ** 20;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const sampler =
        process.env.BENCH_EXPORT_MEMLOG === '1' ? setInterval(() => logMemory(-1), 100) : undefined;
      const result = await exportPack(ws, {
        out: packPath,
        selection: { kind: 'query', query: query.query },
        appVersion: 'bench',
        // BENCH_EXPORT_INLINE=1: render the CSV in this thread (to compare with the worker).
        renderInWorker: process.env.BENCH_EXPORT_INLINE === '1' ? false : undefined,
        // BENCH_EXPORT_MEMLOG=1: memory every 100,000 rows on stderr (where the RSS goes).
        onProgress: process.env.BENCH_EXPORT_MEMLOG === '1' ? logMemory : undefined,
      });
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const bytes = result.files.reduce((sum, f) => sum + f.size, 0);
      return { entries: result.entries, seconds, startRssMB, bytes, cpuSeconds: cpuSince(cpu) };
    } finally {
      ws.close();
    }
  },

  /**
   * The peer: a bare papaparse `unparse` of the same rows (every field flattened the plain way,
   * no formula neutralization, no zip, hashes or proofs), in batches written to one CSV file.
   */
  async papaparse() {
    const ws = openWorkspace(workspaceDir, { readonly: true });
    const fd = openSync(join(dir, 'bench-bare.csv'), 'w');
    try {
      const startRssMB = process.memoryUsage().rss / 2 ** 20;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const page = ws.db.prepare('SELECT seq, raw FROM entries WHERE seq > ? ORDER BY seq LIMIT ?');
      let after = -1;
      let entries = 0;
      let bytes = 0;
      for (;;) {
        const rows = page.all(after, BATCH) as { seq: number; raw: string }[];
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.seq;
        const cells = rows.map(({ raw }) => {
          const e = JSON.parse(raw) as Entry;
          return [
            e.seq,
            e.id,
            e.occurredAt,
            e.category,
            e.action,
            e.actor.id,
            e.actor.name,
            e.actor.email,
            e.actor.type,
            e.entity.type,
            e.entity.id,
            e.entity.label,
            JSON.stringify(e.changes),
            e.ip,
            e.userAgent,
            JSON.stringify(e.metadata),
          ];
        });
        const text = `${Papa.unparse(cells, { header: false, newline: '\r\n' })}\r\n`;
        bytes += writeSync(fd, text);
        entries += rows.length;
      }
      return {
        entries,
        seconds: (performance.now() - started) / 1000,
        startRssMB,
        bytes,
        cpuSeconds: cpuSince(cpu),
      };
    } finally {
      closeSync(fd);
      ws.close();
    }
  },

  /** verify-pack of the pack the export phase wrote (informational, not budgeted). */
  async 'verify-pack'() {
    const trust = loadTrustStore(join(dir, 'trust.json'));
    const startRssMB = process.memoryUsage().rss / 2 ** 20;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const verdict = verifyPack(packPath, trust);
    if (!verdict.valid) throw new Error(`bench pack invalid: ${verdict.problems[0]}`);
    return {
      entries: verdict.entries,
      seconds: (performance.now() - started) / 1000,
      startRssMB,
      cpuSeconds: cpuSince(cpu),
    };
  },
};

const run = phases[phase];
if (run === undefined) throw new Error(`unknown phase ${phase}`);
const result = await run();
process.stdout.write(
  `${JSON.stringify({ phase, ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
