// The simulator's injectable faults (CONTRACTS.md §4 `--faults`, docs/otesse-api.md "Faults"):
// a comma list of `name=value`. Transport faults are drawn per request from the seed; scenario
// faults pick bundles by day index, local date or bundle id. Every draw is a function of the seed,
// the request's method and URL and how many times that URL was asked before, so a client that
// repeats the same requests meets the same faults whatever else runs beside it.
import { Random, type Seed } from '../random';

export const RATE_FAULTS = ['429', '500', '503', 'reset', 'cut'] as const;
export type RateFault = (typeof RATE_FAULTS)[number];
export const RETRY_AFTER_FORMS = ['seconds', 'date', 'mixed'] as const;
export type RetryAfterForm = (typeof RETRY_AFTER_FORMS)[number];

export interface FaultSpec {
  /** Delay before every response, in milliseconds. */
  latencyMs: number;
  /** Probability per request, 0 to 1. */
  rates: Record<RateFault, number>;
  /** A cut body ends after exactly this many bytes (or 1 byte short of its end); null: random offset. */
  cutAt: number | null;
  /** Seconds a 429 asks the client to wait. */
  retryAfterSeconds: number;
  /** Which form of Retry-After a 429 carries; `mixed` draws one per response. */
  retryAfterForm: RetryAfterForm;
  /** Bundle selectors (day index, YYYY-MM-DD local date, or bundle id). */
  tamper: string[];
  foreignKey: string[];
  missing: string[];
  /** `GET /v1/audit/keys` advertises a key that does not chain to the trust store. */
  rogueKey: boolean;
}

export const NO_FAULTS: FaultSpec = Object.freeze({
  latencyMs: 0,
  rates: Object.freeze({ '429': 0, '500': 0, '503': 0, reset: 0, cut: 0 }),
  cutAt: null,
  retryAfterSeconds: 1,
  retryAfterForm: 'mixed',
  tamper: [],
  foreignKey: [],
  missing: [],
  rogueKey: false,
}) as FaultSpec;

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

const SELECTOR = /^(\d{1,6}|\d{4}-\d{2}-\d{2}|\d{8}T\d{6}Z-[0-9a-f]{12})$/;

/** Parses `latency=50,429=0.1,cut=0.05,tamper=3|2026-03-10`; throws FaultSpecError on anything else. */
export function parseFaults(spec: string): FaultSpec {
  const out: FaultSpec = {
    ...NO_FAULTS,
    rates: { ...NO_FAULTS.rates },
    tamper: [],
    foreignKey: [],
    missing: [],
  };
  const seen = new Set<string>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new FaultSpecError(`fault "${item}" must be name=value`);
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (seen.has(name)) throw new FaultSpecError(`fault "${name}" is given twice`);
    seen.add(name);
    if ((RATE_FAULTS as readonly string[]).includes(name)) {
      out.rates[name as RateFault] = rate(name, value);
    } else if (name === 'latency') {
      out.latencyMs = integer(name, value, 0, 60_000);
    } else if (name === 'cut-at') {
      out.cutAt = integer(name, value, 0, Number.MAX_SAFE_INTEGER);
    } else if (name === 'retry-after') {
      out.retryAfterSeconds = integer(name, value, 0, 86_400);
    } else if (name === 'retry-after-form') {
      if (!(RETRY_AFTER_FORMS as readonly string[]).includes(value)) {
        throw new FaultSpecError(`retry-after-form must be one of ${RETRY_AFTER_FORMS.join(', ')}`);
      }
      out.retryAfterForm = value as RetryAfterForm;
    } else if (name === 'tamper' || name === 'foreign-key' || name === 'missing') {
      out[name === 'foreign-key' ? 'foreignKey' : name] = selectors(name, value);
    } else if (name === 'rogue-key') {
      if (!['0', '1', 'true', 'false'].includes(value))
        throw new FaultSpecError('rogue-key must be 1 or 0');
      out.rogueKey = value === '1' || value === 'true';
    } else {
      throw new FaultSpecError(
        `unknown fault "${name}" (known: latency, ${RATE_FAULTS.join(', ')}, cut-at, retry-after, retry-after-form, tamper, foreign-key, missing, rogue-key)`,
      );
    }
  }
  const picked = [...out.tamper, ...out.foreignKey, ...out.missing];
  const twice = picked.find((s, i) => picked.indexOf(s) !== i);
  if (twice !== undefined)
    throw new FaultSpecError(`bundle "${twice}" is picked by two scenario faults`);
  return out;
}

function rate(name: string, value: string): number {
  const n = /^(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 1))
    throw new FaultSpecError(`fault ${name} takes a rate from 0 to 1, not "${value}"`);
  return n;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new FaultSpecError(
      `fault ${name} takes a whole number from ${min} to ${max}, not "${value}"`,
    );
  }
  return n;
}

function selectors(name: string, value: string): string[] {
  const list = value.split(/[|+]/).map((s) => s.trim());
  for (const s of list) {
    if (!SELECTOR.test(s)) {
      throw new FaultSpecError(
        `fault ${name} picks bundles by day index, local date (YYYY-MM-DD) or bundle id, separated by "|"; "${s}" is none of these`,
      );
    }
  }
  return list;
}

/** What happens to one request. */
export interface FaultDecision {
  /** The request's number among requests for the same method and URL (1 for the first). */
  attempt: number;
  latencyMs: number;
  /** Answer with this instead of the resource (reset: drop the connection). */
  replace: '429' | '500' | '503' | 'reset' | null;
  retryAfterForm: 'seconds' | 'date';
  /** For a body of `length` bytes: how many to send before cutting the connection, or null. */
  cutAfter: ((length: number) => number) | null;
}

export class FaultDice {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly seed: Seed,
    readonly spec: FaultSpec,
  ) {}

  get active(): boolean {
    return this.spec.latencyMs > 0 || RATE_FAULTS.some((f) => this.spec.rates[f] > 0);
  }

  decide(key: string): FaultDecision {
    const attempt = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, attempt);
    const r = Random.derive(this.seed, 'faults', key, attempt);
    // Always the same draws in the same order, so one rate never shifts another's outcomes.
    const [reset, tooMany, unavailable, failed, cut, form, offset] = Array.from({ length: 7 }, () =>
      r.next(),
    ) as [number, number, number, number, number, number, number];
    const { rates } = this.spec;
    const replace =
      reset < rates.reset
        ? 'reset'
        : tooMany < rates['429']
          ? '429'
          : unavailable < rates['503']
            ? '503'
            : failed < rates['500']
              ? '500'
              : null;
    const cutAt = this.spec.cutAt;
    return {
      attempt,
      latencyMs: this.spec.latencyMs,
      replace,
      retryAfterForm:
        this.spec.retryAfterForm === 'mixed'
          ? form < 0.5
            ? 'seconds'
            : 'date'
          : this.spec.retryAfterForm,
      cutAfter:
        replace === null && cut < rates.cut
          ? (length) => Math.max(0, Math.min(length - 1, cutAt ?? Math.floor(offset * length)))
          : null,
    };
  }
}
