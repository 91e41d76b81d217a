// The columns of entries.csv: every entry field flattened to text (docs/evidence-pack.md,
// "Columns"). The same functions render a row at export and re-render it from the signed entry in
// verify-pack, so a CSV row can be checked against what was signed.
import { DateTime } from 'luxon';
import type { Change, Entry, JsonValue } from '../../../shared/entry';
import { usageError } from '../errors';

export const ENTRY_FIELDS = [
  'seq',
  'id',
  'occurredAtLocal',
  'occurredAtUtc',
  'category',
  'action',
  'actorId',
  'actorName',
  'actorEmail',
  'actorType',
  'entityType',
  'entityId',
  'entityLabel',
  'changes',
  'ip',
  'userAgent',
  'metadata',
  'bundleId',
] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];

export const ANNOTATION_FIELDS = [
  'reviewStatus',
  'reviewTags',
  'reviewNote',
  'reviewAuthor',
  'reviewUpdatedAt',
] as const;
export type AnnotationField = (typeof ANNOTATION_FIELDS)[number];
export type ExportField = EntryField | AnnotationField;

/** A reviewer's annotation of one entry, as the review module hands it to the export. */
export interface ExportAnnotation {
  status: string | null;
  tags: readonly string[];
  note: string | null;
  author: string | null;
  /** UTC instant of the last change. */
  updatedAt: string | null;
}

/** Where annotations come from (the review module): looked up per batch of entry ids. */
export interface AnnotationSource {
  annotationsFor(ids: readonly string[]): Map<string, ExportAnnotation>;
}

export interface RowContext {
  /** `local` renders occurredAt in the tenant's zone (localTimeFormatter). */
  local: (ms: number) => string;
  bundleId: string;
}

/** Strings as they are; any other JSON value (number, object, null...) as compact JSON. */
function showValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line per change, `field: old → new`, lines separated by LF (kept inside the cell). */
export function changesText(changes: readonly Change[]): string {
  return changes.map((c) => `${c.field}: ${showValue(c.old)} → ${showValue(c.new)}`).join('\n');
}

const RENDER: Record<EntryField, (e: Entry, ctx: RowContext) => string | null> = {
  seq: (e) => String(e.seq),
  id: (e) => e.id,
  occurredAtLocal: (e, ctx) => ctx.local(Date.parse(e.occurredAt)),
  occurredAtUtc: (e) => e.occurredAt,
  category: (e) => e.category,
  action: (e) => e.action,
  actorId: (e) => e.actor.id,
  actorName: (e) => e.actor.name,
  actorEmail: (e) => e.actor.email,
  actorType: (e) => e.actor.type,
  entityType: (e) => e.entity.type,
  entityId: (e) => e.entity.id,
  entityLabel: (e) => e.entity.label,
  changes: (e) => changesText(e.changes),
  ip: (e) => e.ip,
  userAgent: (e) => e.userAgent,
  metadata: (e) => JSON.stringify(e.metadata),
  bundleId: (_e, ctx) => ctx.bundleId,
};

const ANNOTATION_RENDER: Record<AnnotationField, (a: ExportAnnotation) => string | null> = {
  reviewStatus: (a) => a.status,
  reviewTags: (a) => a.tags.join(', '),
  reviewNote: (a) => a.note,
  reviewAuthor: (a) => a.author,
  reviewUpdatedAt: (a) => a.updatedAt,
};

export function isEntryField(name: string): name is EntryField {
  return (ENTRY_FIELDS as readonly string[]).includes(name);
}

export function isAnnotationField(name: string): name is AnnotationField {
  return (ANNOTATION_FIELDS as readonly string[]).includes(name);
}

/** The cells of one entry for the chosen fields (annotation fields empty without an annotation). */
export function renderRow(
  entry: Entry,
  fields: readonly ExportField[],
  ctx: RowContext,
  annotation?: ExportAnnotation,
): (string | null)[] {
  return rowRenderer(fields)(entry, ctx, annotation);
}

type RowRenderer = (
  entry: Entry,
  ctx: RowContext,
  annotation?: ExportAnnotation,
) => (string | null)[];

const renderers = new WeakMap<readonly ExportField[], RowRenderer>();

/** One function per field list, looked up once (a million rows, the same list each time). */
export function rowRenderer(fields: readonly ExportField[]): RowRenderer {
  let found = renderers.get(fields);
  if (found === undefined) {
    const cells = fields.map((f) =>
      isEntryField(f)
        ? (e: Entry, ctx: RowContext) => RENDER[f](e, ctx)
        : (_e: Entry, _ctx: RowContext, a?: ExportAnnotation) =>
            a === undefined ? null : ANNOTATION_RENDER[f](a),
    );
    found = (entry, ctx, annotation) => cells.map((cell) => cell(entry, ctx, annotation));
    renderers.set(fields, found);
  }
  return found;
}

/**
 * The fields to export: `--fields a,b,...` (in that order) or every entry field; with annotations,
 * the annotation columns are added unless the list names some of them. Unknown names, repeats and
 * annotation columns without annotations are usage errors that list the valid names.
 */
export function chooseFields(list: string | undefined, annotations: boolean): ExportField[] {
  const valid = [...ENTRY_FIELDS, ...(annotations ? ANNOTATION_FIELDS : [])];
  if (list === undefined) return valid;
  const names = list.split(',').map((n) => n.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '' || !(valid as string[]).includes(name)) {
      const why =
        isAnnotationField(name) && !annotations
          ? `field "${name}" needs --annotations`
          : `unknown field ${JSON.stringify(name)}`;
      throw usageError(`${why}; valid fields: ${valid.join(', ')}`);
    }
    if (seen.has(name)) throw usageError(`field "${name}" is listed twice`);
    seen.add(name);
  }
  const chosen = names as ExportField[];
  if (annotations && !chosen.some(isAnnotationField)) chosen.push(...ANNOTATION_FIELDS);
  return chosen;
}

const BUCKET_MS = 60 * 60_000;

/**
 * occurredAt in `timeZone` as ISO 8601 with its offset, `2026-11-24T09:03:11.123-05:00`. Luxon
 * per row is too slow for a million rows, so the offset is looked up once per hour of UTC: when
 * both ends of the hour have the same offset, the whole hour has it (no zone changes its offset
 * twice within an hour); otherwise each instant of that hour is looked up.
 */
export function localTimeFormatter(timeZone: string): (ms: number) => string {
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone: timeZone }).offset;
  return (ms) => {
    const bucket = Math.floor(ms / BUCKET_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      if (offsets.size > 100_000) offsets.clear();
      const start = offsetAt(bucket * BUCKET_MS);
      offset = start === offsetAt(bucket * BUCKET_MS + BUCKET_MS - 1) ? start : Number.NaN;
      offsets.set(bucket, offset);
    }
    if (Number.isNaN(offset)) offset = offsetAt(ms);
    return withOffset(ms, Math.round(offset));
  };
}

function withOffset(ms: number, offsetMinutes: number): string {
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${sign}${hh}:${mm}`;
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})([+-])(\d{2}):(\d{2})$/;

/**
 * The UTC milliseconds a local-time cell denotes, or NaN. verify-pack compares instants here, not
 * text: a verifier whose time-zone database differs may place the offset differently, but the
 * cell must still name the signed instant.
 */
export function instantOfLocal(cell: string): number {
  const m = LOCAL_TIME.exec(cell);
  if (m === null) return Number.NaN;
  const wall = Date.parse(`${m[1]!}Z`);
  const minutes = Number(m[3]) * 60 + Number(m[4]);
  if (Number(m[4]) > 59) return Number.NaN;
  return wall - (m[2] === '-' ? -minutes : minutes) * 60_000;
}
