// Sharing review work: export the current annotations to a versioned JSON file, and merge a
// colleague's file by entry id. Identical annotations are skipped, new ones added, different ones
// listed as conflicts and never overwritten unless the caller explicitly takes theirs.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { REVIEW_STATUSES } from '../../../shared/query';
import { rejectedError, runtimeError } from '../errors';
import type { Workspace } from '../workspace/database';
import { readTenant } from '../workspace/tenant';
import {
  allAnnotations,
  bundleDigestOf,
  getAnnotation,
  MAX_NOTE_LENGTH,
  sameContent,
  writeAnnotation,
  type Annotation,
} from './annotations';
import { appendReviewLog } from './review-log';
import type { Reviewer } from './reviewer';
import { MAX_TAG_LENGTH, MAX_TAGS, normalizeTags } from './tags';

export const ANNOTATIONS_FORMAT = 'audit-desk-annotations';
export const ANNOTATIONS_VERSION = 1;

const reviewerSchema = z.strictObject({
  name: z.string().min(1).max(200),
  email: z.string().max(320).nullable(),
});

const annotationSchema = z.strictObject({
  entryId: z.string().min(1).max(1000),
  bundleDigest: z.string().max(200).nullable(),
  status: z.enum(REVIEW_STATUSES),
  tags: z.array(z.string().min(1).max(MAX_TAG_LENGTH)).max(MAX_TAGS),
  note: z.string().max(MAX_NOTE_LENGTH),
  author: reviewerSchema,
  createdAt: z.string().max(40),
  updatedAt: z.string().max(40),
});

const fileSchema = z.strictObject({
  format: z.literal(ANNOTATIONS_FORMAT),
  version: z.literal(ANNOTATIONS_VERSION),
  tenant: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  exportedAt: z.string(),
  exportedBy: reviewerSchema,
  annotations: z.array(annotationSchema),
});

export type AnnotationsFile = z.infer<typeof fileSchema>;

/** The workspace's current annotations as a file document (sorted by entry id). */
export function annotationsDocument(
  ws: Workspace,
  exportedBy: Reviewer,
  at = new Date().toISOString(),
): AnnotationsFile {
  const tenant = readTenant(ws);
  return {
    format: ANNOTATIONS_FORMAT,
    version: ANNOTATIONS_VERSION,
    tenant: tenant === null ? null : { id: tenant.id, name: tenant.name },
    exportedAt: at,
    exportedBy,
    annotations: [...allAnnotations(ws)],
  };
}

/** Writes the annotations file (whole, via a temporary file) and records the export. */
export function exportAnnotations(
  ws: Workspace,
  out: string,
  exportedBy: Reviewer,
): { out: string; annotations: number } {
  const doc = annotationsDocument(ws, exportedBy);
  const temp = `${out}.partial`;
  try {
    writeFileSync(temp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(temp, out);
  } catch (error) {
    throw runtimeError(
      `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  appendReviewLog(ws, {
    actor: exportedBy,
    action: 'annotations.exported',
    details: { file: basename(out), annotations: doc.annotations.length },
  });
  return { out, annotations: doc.annotations.length };
}

/** Reads and validates an annotations file; anything else is rejected with one line. */
export function readAnnotationsFile(path: string): AnnotationsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw runtimeError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseAnnotationsFile(text, basename(path));
}

export function parseAnnotationsFile(text: string, name = 'annotations file'): AnnotationsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw rejectedError(`${name} is not JSON`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw rejectedError(
      `${name} is not an Audit Desk annotations file (version ${ANNOTATIONS_VERSION}): ${issue.code} at ${issue.path.join('.') || 'top level'}`,
    );
  }
  const ids = new Set<string>();
  for (const a of parsed.data.annotations) {
    if (ids.has(a.entryId)) throw rejectedError(`${name} lists entry ${a.entryId} twice`);
    ids.add(a.entryId);
  }
  return parsed.data;
}

export interface MergeConflict {
  entryId: string;
  /** `content`: both annotated it differently; `bundle`: theirs was made on another bundle. */
  reason: 'content' | 'bundle';
  mine: Annotation | null;
  theirs: Annotation;
  /** Whether theirs was taken (only with an explicit takeTheirs). */
  resolved: 'theirs' | null;
}

export interface MergeResult {
  /** Annotations added (the entry had none here). */
  added: number;
  /** Identical to the one here: nothing to do. */
  identical: number;
  conflicts: MergeConflict[];
  /** Conflicts resolved by taking theirs. */
  tookTheirs: number;
}

export interface MergeOptions {
  /** Entry ids (or 'all') whose conflicting annotation is replaced by theirs; default none. */
  takeTheirs?: 'all' | readonly string[];
  /** Shown in the history as where merged changes came from. */
  source?: string;
  /** Refuse a file exported from another tenant (default true). */
  checkTenant?: boolean;
}

/**
 * Merges a colleague's annotations in one transaction. Their author and text are kept; the history
 * records each added or taken annotation as a `merge` event with the file as its source. An entry
 * the workspace does not hold (yet) still gets the annotation, anchored by their bundle digest.
 */
export function mergeAnnotations(
  ws: Workspace,
  file: AnnotationsFile,
  mergedBy: Reviewer,
  options: MergeOptions = {},
): MergeResult {
  const tenant = readTenant(ws);
  if (
    (options.checkTenant ?? true) &&
    tenant !== null &&
    file.tenant !== null &&
    file.tenant.id !== tenant.id
  )
    throw rejectedError(
      `the annotations are for tenant ${file.tenant.id}, this workspace holds ${tenant.id}`,
    );
  const take = options.takeTheirs ?? [];
  const takes = (id: string) => take === 'all' || take.includes(id);
  const source = options.source ?? `file by ${file.exportedBy.name}`;
  const at = new Date().toISOString();
  return ws.db
    .transaction(() => {
      const result: MergeResult = { added: 0, identical: 0, conflicts: [], tookTheirs: 0 };
      for (const raw of file.annotations) {
        const theirs: Annotation = { ...raw, tags: normalizeTags(raw.tags) };
        const mine = getAnnotation(ws, theirs.entryId);
        const here = bundleDigestOf(ws, theirs.entryId) ?? null;
        const bundleDiffers =
          here !== null && theirs.bundleDigest !== null && theirs.bundleDigest !== here;
        if (mine !== null && sameContent(mine, theirs) && !bundleDiffers) {
          result.identical++;
          continue;
        }
        if (mine === null && !bundleDiffers) {
          write(theirs, here);
          result.added++;
          continue;
        }
        const conflict: MergeConflict = {
          entryId: theirs.entryId,
          reason: bundleDiffers ? 'bundle' : 'content',
          mine,
          theirs,
          resolved: null,
        };
        if (takes(theirs.entryId)) {
          write(theirs, here);
          conflict.resolved = 'theirs';
          result.tookTheirs++;
        }
        result.conflicts.push(conflict);
      }
      appendReviewLog(ws, {
        actor: mergedBy,
        action: 'annotations.imported',
        at,
        details: {
          source,
          from: file.exportedBy.name,
          annotations: file.annotations.length,
          added: result.added,
          identical: result.identical,
          conflicts: result.conflicts.length,
          tookTheirs: result.tookTheirs,
        },
      });
      return result;
    })
    .immediate();

  function write(theirs: Annotation, here: string | null): void {
    writeAnnotation(ws, {
      entryId: theirs.entryId,
      bundleDigest: here ?? theirs.bundleDigest,
      status: theirs.status,
      tags: theirs.tags,
      note: theirs.note,
      kind: 'merge',
      author: theirs.author,
      at,
      source,
    });
  }
}
