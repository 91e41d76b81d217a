// Downloads one listed bundle into `downloads/<id>.partial`, resuming what an earlier attempt (or
// an earlier run) left there with Range + If-Range, and hands back the file only when its size and
// SHA-256 are exactly those listed. Failures mid-body keep the bytes received so far; the retry
// (retry.ts) resumes from them.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, truncateSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BundleDescriptor } from '../../../shared/otesse-api';
import type { OtesseClient } from './client';
import { runtimeError } from '../errors';
import { header } from './http';
import {
  partialFiles,
  planResume,
  readMeta,
  removePartial,
  sizeOf,
  writeMeta,
  type PartialFiles,
} from './partial';
import { TransientError, withRetries } from './retry';

export type DownloadOutcome =
  | { kind: 'file'; path: string; files: PartialFiles }
  | { kind: 'archived'; message: string }
  | { kind: 'missing'; message: string }
  /** The listed size/sha256 were not met even by a download from byte 0. */
  | { kind: 'mismatch'; message: string };

export interface DownloadHooks {
  /** Bytes of this bundle on disk so far (resumed bytes included) and new bytes since last call. */
  onBytes?: (have: number, added: number) => void;
}

export async function downloadBundle(
  client: OtesseClient,
  workspaceDir: string,
  descriptor: BundleDescriptor,
  hooks: DownloadHooks = {},
): Promise<DownloadOutcome> {
  const files = partialFiles(workspaceDir, descriptor.id);
  let resumedMismatches = 0;
  // Progress is judged by what is held, not by what was received: a server that sends the same
  // short body again and again, cuts at the same point, or alternates a short body with a 416 never
  // gets past the most ever held, so its attempts count up to maxAttempts like outright failures.
  let mostHeld = sizeOf(files.data);
  return withRetries(
    `download of bundle ${descriptor.id}`,
    async () => {
      let outcome: AttemptOutcome;
      try {
        outcome = await attempt(client, descriptor, files, hooks);
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
        const held = sizeOf(files.data);
        const progressed = held > mostHeld;
        mostHeld = Math.max(mostHeld, held);
        throw new TransientError(error.message, error.retryAfterMs, progressed);
      }
      if (outcome.kind !== 'checked') return outcome;
      if (outcome.problem === undefined) return { kind: 'file', path: files.data, files };
      // Bytes from two responses that do not fit together (the ETag promised the same bundle):
      // start once more from zero. A fresh download that still mismatches is reported.
      removePartial(files);
      if (outcome.resumed && resumedMismatches++ === 0)
        throw new TransientError(`${outcome.problem}; downloading it again from the start`);
      return { kind: 'mismatch', message: outcome.problem };
    },
    client.retry,
  );
}

type AttemptOutcome =
  | Exclude<DownloadOutcome, { kind: 'file' } | { kind: 'mismatch' }>
  | { kind: 'checked'; problem: string | undefined; resumed: boolean };

async function attempt(
  client: OtesseClient,
  descriptor: BundleDescriptor,
  files: PartialFiles,
  hooks: DownloadHooks,
): Promise<AttemptOutcome> {
  const plan = planResume(descriptor, sizeOf(files.data), readMeta(files));
  if (plan.kind === 'complete')
    return check(descriptor, files, (await hashFile(files.data)).digest('hex'), true);
  if (plan.kind === 'fresh') removePartial(files);

  // The hash of the bytes already on disk is taken before asking: once the response arrives its
  // body must be piped at once, or a connection closed meanwhile would discard what was received.
  // (Read back from the file, not remembered: a failed attempt may have hashed chunks that never
  // reached it.)
  const prefix = plan.kind === 'resume' ? await hashFile(files.data, plan.offset) : undefined;
  const answer = await client.getBundle(
    descriptor.id,
    plan.kind === 'resume' ? { offset: plan.offset, etag: plan.etag } : undefined,
    descriptor.size - (plan.kind === 'resume' ? plan.offset : 0),
  );
  if (answer.kind === 'archived' || answer.kind === 'missing') {
    removePartial(files);
    return answer;
  }
  if (answer.kind === 'range_not_satisfiable') {
    removePartial(files);
    throw new TransientError(`server refused to resume bundle ${descriptor.id} (416)`);
  }
  const { res } = answer;
  let offset = 0;
  if (answer.status === 206) {
    const range = parseContentRange(header(res, 'content-range'));
    if (plan.kind !== 'resume' || range === undefined || range.start !== plan.offset) {
      res.body.destroy();
      removePartial(files);
      throw new TransientError(`server answered an unexpected range for bundle ${descriptor.id}`);
    }
    offset = plan.offset;
  } else {
    // 200 to a Range + If-Range: the bundle changed (or the server ignores ranges); start over.
    if (sizeOf(files.data) > 0) truncateSync(files.data, 0);
  }
  // The ETag is written to the workspace folder: one holding the token is not kept (no resume).
  const served = header(res, 'etag');
  const etag = served === undefined || client.mentionsToken(served) ? null : served;
  writeMeta(files, { etag, size: descriptor.size, sha256: descriptor.sha256 });

  const hash = offset > 0 && prefix !== undefined ? prefix : createHash('sha256');
  const expected = descriptor.size - offset;
  let received = 0;
  let tooLong = false;
  let lost: unknown;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > expected) {
        tooLong = true;
        done(new Error('longer than listed'));
        return;
      }
      hash.update(chunk);
      hooks.onBytes?.(offset + received, chunk.length);
      done(null, chunk);
    },
  });
  try {
    // A failure of the connection ends the body instead of failing the pipeline: a failed
    // pipeline destroys the file stream with writes still pending, and the bytes received (what the
    // retry resumes from) could be lost. Bytes are kept; the failure is thrown once they are written.
    const body = res.body;
    async function* untilLost(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        lost = error;
      }
    }
    await pipeline(
      untilLost,
      count,
      createWriteStream(files.data, { flags: offset > 0 ? 'a' : 'w' }),
    );
    if (lost !== undefined) throw lost;
  } catch (error) {
    if (tooLong) {
      removePartial(files);
      return {
        kind: 'checked',
        problem: `bundle ${descriptor.id} is longer than the listed ${descriptor.size} bytes`,
        resumed: offset > 0,
      };
    }
    if ((error as Error).name === 'AbortError') throw error;
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (syscall === 'write' || syscall === 'open' || code === 'ENOSPC' || code === 'EROFS')
      throw runtimeError(
        `cannot write the download of bundle ${descriptor.id} (${code ?? 'I/O error'})`,
      );
    throw new TransientError(
      `bundle ${descriptor.id}: connection lost after ${offset + received} of ${descriptor.size} bytes`,
    );
  }
  if (!res.body.complete || received < expected) {
    throw new TransientError(
      `bundle ${descriptor.id}: body ended after ${offset + received} of ${descriptor.size} bytes`,
    );
  }
  return check(descriptor, files, hash.digest('hex'), offset > 0);
}

function check(
  descriptor: BundleDescriptor,
  files: PartialFiles,
  sha256: string,
  resumed: boolean,
): AttemptOutcome {
  const size = sizeOf(files.data);
  if (size !== descriptor.size)
    return {
      kind: 'checked',
      problem: `downloaded ${size} bytes, the listing says ${descriptor.size}`,
      resumed,
    };
  if (sha256 !== descriptor.sha256)
    return {
      kind: 'checked',
      problem: 'downloaded file does not match the listed sha256',
      resumed,
    };
  return { kind: 'checked', problem: undefined, resumed };
}

async function hashFile(path: string, end?: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (end === 0) return hash;
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    ...(end === undefined ? {} : { end: end - 1 }),
  });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash;
}

/** `bytes START-END/TOTAL` → start (and end, total); undefined when unreadable. */
export function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (m === null) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}
