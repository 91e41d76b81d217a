// mulberry32: a tiny seeded pseudo-random generator, uniform in [0, 1). Enough for reproducible
// jitter, benchmark data and test schedules; not for anything secret (the simulator, which must
// reproduce whole trails from any seed, uses its own sfc32 streams in electron/sim/random.ts).
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
