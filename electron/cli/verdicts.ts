// How verdicts are shown: `reason` leads with the cause code, then says it in words.
import type { Verdict, VerdictCause } from '../../shared/bundle';

export interface VerdictReport {
  file: string;
  valid: boolean;
  cause: VerdictCause | null;
  reason: string | null;
  entryCount: number | null;
  bundleId: string | null;
  digest: string | null;
  tenant: string | null;
  periodStart: string | null;
  periodEnd: string | null;
}

export function reasonOf(cause: VerdictCause, message: string): string {
  return `${cause}: ${message}`;
}

export function describeVerdict(file: string, verdict: Verdict): VerdictReport {
  if (!verdict.valid) {
    return {
      file,
      valid: false,
      cause: verdict.cause,
      reason: reasonOf(verdict.cause, verdict.message),
      entryCount: null,
      bundleId: null,
      digest: null,
      tenant: null,
      periodStart: null,
      periodEnd: null,
    };
  }
  const { manifest } = verdict;
  return {
    file,
    valid: true,
    cause: null,
    reason: null,
    entryCount: manifest.entryCount,
    bundleId: verdict.bundleId,
    digest: verdict.digest,
    tenant: manifest.tenant.id,
    periodStart: manifest.periodStart,
    periodEnd: manifest.periodEnd,
  };
}
