// Deterministic, realistic-looking Otesse entries for benchmarks: a cleaning business with staff,
// customers, bookings and invoices; sizes and field shapes close to real trails (~640 bytes per signed line).
import type { Category, Entry } from '../shared/entry';
import { FIRST_NAMES, LAST_NAMES } from '../electron/sim/names';
import { mulberry32 } from '../shared/seeded-random';

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];
const ACTIONS: [Category, string, number][] = [
  ['bookings', 'booking.created', 20],
  ['bookings', 'booking.updated', 12],
  ['bookings', 'booking.rescheduled', 6],
  ['bookings', 'booking.cancelled', 4],
  ['bookings', 'booking.completed', 15],
  ['invoices', 'invoice.generated', 10],
  ['invoices', 'invoice.sent', 8],
  ['invoices', 'invoice.paid', 8],
  ['authentication', 'auth.login', 10],
  ['authentication', 'auth.logout', 4],
  ['customers', 'customer.updated', 3],
];
const TOTAL_WEIGHT = ACTIONS.reduce((s, a) => s + a[2], 0);

export interface GeneratorOptions {
  seed: number;
  periodStartMs: number;
  periodMs: number;
  count: number;
  firstSeq: number;
}

export function* generateEntries({
  seed,
  periodStartMs,
  periodMs,
  count,
  firstSeq,
}: GeneratorOptions): Generator<Entry> {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const staff = Array.from({ length: 40 }, (_, i) => ({
    id: `usr_${100 + i}`,
    name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
    ip: `203.0.113.${10 + i}`,
    ua: pick(UAS),
  }));
  for (let i = 0; i < count; i++) {
    let roll = random() * TOTAL_WEIGHT;
    const [category, action] = ACTIONS.find((a) => (roll -= a[2]) < 0) ?? ACTIONS[0]!;
    const person = pick(staff);
    const entityNo = 1000 + Math.floor(random() * 50_000);
    const noun = action.split('.')[0]!;
    const occurredAt = new Date(
      periodStartMs + Math.floor(((i + random()) * periodMs) / count),
    ).toISOString();
    const seq = firstSeq + i;
    yield {
      id: `01J${seq.toString(36).toUpperCase().padStart(23, '0')}`,
      seq,
      occurredAt,
      category,
      action,
      actor: {
        id: person.id,
        name: person.name,
        email: `${person.name.split(' ')[0]!.toLowerCase()}@acme-cleaning.example`,
        type: 'user',
      },
      entity:
        noun === 'auth'
          ? { type: 'user', id: person.id, label: `User ${person.name}` }
          : {
              type: noun,
              id: String(entityNo),
              label: `${noun[0]!.toUpperCase()}${noun.slice(1)} #${entityNo}`,
            },
      changes:
        noun === 'auth'
          ? []
          : [
              { field: 'status', old: 'confirmed', new: action.split('.')[1]! },
              {
                field: 'scheduledAt',
                old: occurredAt,
                new: new Date(Date.parse(occurredAt) + 86_400_000).toISOString(),
              },
            ],
      ip: person.ip,
      userAgent: person.ua,
      metadata: { source: 'web', requestId: `req_${Math.floor(random() * 1e12).toString(36)}` },
    };
  }
}
