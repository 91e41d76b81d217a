import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Entry } from '../../../shared/entry';
import { entryProblem, isWellFormedEntry } from '../../../shared/entry-schema';
import { canonicalJson } from '../../core/bundle/canonical';
import { readBundleHeader } from '../../core/bundle/header';
import { loadPrivateKey } from '../../core/bundle/keys';
import { parseTenant } from '../../core/bundle/manifest';
import { BundleWriter } from '../../core/bundle/writer';
import { AuditDeskError, rejectedError, runtimeError, usageError } from '../../core/errors';
import { isoInstant, optionalString, requiredString } from '../args';
import type { Command } from '../command';

const SHOWN_PROBLEMS = 20;

export const pack: Command = {
  name: 'pack',
  usage:
    'pack --key PEM --key-id ID --tenant TENANT.json --entries ENTRIES.ndjson --from ISO --to ISO [--prev BUNDLE] [--issued-at ISO] --out FILE',
  summary: 'writes a signed bundle from NDJSON entries',
  positionals: 'none',
  options: {
    key: { type: 'string' },
    'key-id': { type: 'string' },
    tenant: { type: 'string' },
    entries: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    prev: { type: 'string' },
    out: { type: 'string' },
    'issued-at': { type: 'string' },
  },
  async run(args) {
    const keyPath = requiredString(args, 'key');
    const keyId = requiredString(args, 'key-id');
    const tenantPath = requiredString(args, 'tenant');
    const entriesPath = requiredString(args, 'entries');
    const out = resolve(requiredString(args, 'out'));
    const periodStart = isoInstant(args, 'from');
    const periodEnd = isoInstant(args, 'to');
    if (Date.parse(periodEnd) <= Date.parse(periodStart))
      throw usageError('--to must be after --from');
    const issuedAtFlag = optionalString(args, 'issued-at');
    const prevPath = optionalString(args, 'prev');

    const privateKey = attempt(
      () => loadPrivateKey(readFileSync(keyPath, 'utf8')),
      `private key ${keyPath}`,
    );
    const tenant = attempt(
      () => parseTenant(JSON.parse(readFileSync(tenantPath, 'utf8'))),
      `tenant ${tenantPath}`,
    );
    const prev =
      prevPath === undefined
        ? null
        : attempt(() => readBundleHeader(prevPath), `previous bundle ${prevPath}`);
    if (prev !== null && prev.manifest.tenant.id !== tenant.id) {
      throw rejectedError(
        `previous bundle belongs to tenant "${prev.manifest.tenant.id}", not "${tenant.id}"`,
      );
    }

    const writer = new BundleWriter({
      out,
      tenant,
      periodStart,
      periodEnd,
      prevDigest: prev?.digest ?? null,
      keyId,
      privateKey,
      issuedAt:
        issuedAtFlag === undefined ? undefined : isoInstant(args, 'issued-at', issuedAtFlag),
    });
    const problems: { line: number; message: string }[] = [];
    // The seq the next line must hold: one more than the previous line's own seq (unknown after a
    // line that is not a well-formed entry, so one bad line is not blamed on the lines after it).
    let expectedSeq: number | null = null;
    try {
      let lineNumber = 0;
      const lines = createInterface({ input: createReadStream(entriesPath), crlfDelay: Infinity });
      for await (const text of lines) {
        lineNumber++;
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          problems.push({ line: lineNumber, message: 'not valid JSON' });
          expectedSeq = null;
          continue;
        }
        // Until the first problem every good entry went into the writer, which checks it in full;
        // after that the writer stops advancing, so each line is checked on its own.
        const problem =
          problems.length === 0
            ? addToWriter(writer, value)
            : problemOnItsOwn(value, expectedSeq, periodStart, periodEnd);
        if (problem !== null) problems.push({ line: lineNumber, message: problem });
        expectedSeq = isWellFormedEntry(value) ? (value as Entry).seq + 1 : null;
      }
    } catch (error) {
      writer.abort();
      const code = (error as NodeJS.ErrnoException).code;
      throw runtimeError(
        `cannot read entries ${entriesPath}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`,
      );
    }
    if (problems.length > 0) {
      writer.abort();
      const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `line ${p.line}: ${p.message}`);
      const more =
        problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : '';
      const count = `${problems.length} invalid entr${problems.length === 1 ? 'y' : 'ies'}`;
      return {
        json: { error: { kind: 'rejected', message: count }, problems },
        text: `rejected: ${count} in ${entriesPath}: ${shown.join('; ')}${more}`,
        exitCode: 1,
        toStderr: true,
      };
    }
    const written = writer.finish();
    return {
      json: {
        out: written.out,
        bundleId: written.bundleId,
        entryCount: written.manifest.entryCount,
        digest: written.digest,
      },
      text: `wrote ${written.out}\n  bundle   ${written.bundleId}\n  entries  ${written.manifest.entryCount}\n  digest   ${written.digest}\n`,
      exitCode: 0,
    };
  },
};

/** Adds `value` to the bundle, or says why it cannot be the next entry. */
function addToWriter(writer: BundleWriter, value: unknown): string | null {
  const problem = writer.problemWith(value);
  if (problem !== null) return problem;
  try {
    writer.add(value as Entry);
    return null;
  } catch (error) {
    // A value problemWith let through but add() refused (e.g. no canonical JSON form).
    return (error as Error).message.split('\n')[0]!;
  }
}

/** What BundleWriter.problemWith checks, in its order, with `seq` compared to the previous line's own seq. */
function problemOnItsOwn(
  value: unknown,
  expectedSeq: number | null,
  periodStart: string,
  periodEnd: string,
): string | null {
  const schemaProblem = entryProblem(value);
  if (schemaProblem !== null) return schemaProblem;
  try {
    canonicalJson(value);
  } catch (error) {
    return `entry has no RFC 8785 canonical form (${(error as Error).message})`;
  }
  const { seq, occurredAt } = value as Entry;
  if (expectedSeq !== null && seq !== expectedSeq) {
    return `seq ${seq} does not follow ${expectedSeq - 1} (entries must be in seq order, without gaps)`;
  }
  const at = Date.parse(occurredAt);
  if (at < Date.parse(periodStart) || at >= Date.parse(periodEnd)) {
    return `occurredAt ${occurredAt} lies outside the period ${periodStart} – ${periodEnd}`;
  }
  return null;
}

/** Runs a read-and-parse step, naming what failed in one line. */
function attempt<T>(step: () => T, what: string): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof AuditDeskError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw runtimeError(`${what}: no such file`);
    if (code === 'EISDIR') throw runtimeError(`${what}: is a directory`);
    throw rejectedError(`${what}: ${(error as Error).message.split('\n')[0]}`);
  }
}
