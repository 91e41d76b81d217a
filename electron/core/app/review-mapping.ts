// The review core's records as the AuditApi's plain JSON types (shared/api/types.ts).
import type { Annotation, AnnotationHistoryRecord, Finding, Sample } from '../../../shared/api';
import type { Annotation as CoreAnnotation, AnnotationEvent } from '../review/annotations';
import type { Finding as CoreFinding } from '../review/insights';
import type { Reviewer } from '../review/reviewer';
import type { SampleProgress, StoredSample } from '../review/sampling';

const author = (r: Reviewer) => ({ name: r.name, email: r.email ?? '' });

export function toAnnotation(a: CoreAnnotation): Annotation {
  return {
    entryId: a.entryId,
    bundleDigest: a.bundleDigest ?? '',
    status: a.status,
    tags: a.tags,
    note: a.note,
    author: author(a.author),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export function toHistory(e: AnnotationEvent): AnnotationHistoryRecord {
  return {
    at: e.at,
    author: author(e.author),
    change: e.kind === 'clear' ? 'removed' : 'set',
    status: e.status,
    tags: e.tags,
    note: e.note,
  };
}

export function toSample(s: StoredSample, progress: SampleProgress): Sample {
  const m = s.method;
  return {
    id: String(s.id),
    query: s.query,
    method:
      m.method === 'size'
        ? { kind: 'size', size: m.size }
        : m.method === 'percent'
          ? { kind: 'percent', percent: m.percent }
          : { kind: 'statistical', confidence: m.confidence, margin: m.marginPercent },
    seed: s.seed,
    population: s.population,
    populationFingerprint: s.populationFingerprint,
    entryIds: s.entryIds,
    createdAt: s.createdAt,
    progress: {
      reviewed: progress.reviewed,
      exceptions: progress.exceptions,
      remaining: progress.remaining + progress.followUp,
    },
  };
}

export function toFinding(f: CoreFinding): Finding {
  const dismissed =
    f.dismissed !== null && f.dismissed.decision === 'dismissed' ? f.dismissed : null;
  return {
    id: f.key,
    rule: f.rule,
    severity: f.severity,
    summary: f.summary,
    entryIds: f.entryIds,
    dismissed:
      dismissed === null
        ? null
        : {
            reason: dismissed.reason,
            by: dismissed.author.email
              ? `${dismissed.author.name} <${dismissed.author.email}>`
              : dismissed.author.name,
            at: dismissed.at,
          },
  };
}

export const reviewerText = (r: Reviewer) => (r.email === null ? r.name : `${r.name} <${r.email}>`);
