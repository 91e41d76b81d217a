#!/usr/bin/env node
// Regenerates resources/demo/: the demo workspace's bundles (a simulated tenant, 30 days from 2026-10-15, across a DST change, of about
// 100 entries a day, with the simulator's planted unusual activity) signed with the demo key
// `otesse-demo-2026`, and the demo trust store that verifies them. The key is derived from a public
// seed, so it proves nothing beyond "this is demo data": the UI labels the workspace as a demo.
// Deterministic: the same script gives byte-identical files. Usage: npm run make-demo
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { Simulation } = await import('../electron/sim/trail.ts');
const { derivedKey } = await import('../electron/sim/sim-keys.ts');
const { bundleFileName, DEFAULT_ISSUE_DELAY_MS } = await import('../electron/sim/write-trail.ts');
const { isoOf } = await import('../electron/sim/clock.ts');
const { BundleWriter } = await import('../electron/core/bundle/writer.ts');
const { publicKeyOf } = await import('../electron/core/bundle/keys.ts');
const { serializeTrustStore } = await import('../electron/core/bundle/trust-store.ts');

const root = dirname(import.meta.dirname);
const outDir = join(root, 'resources', 'demo');
const KEY_ID = 'otesse-demo-2026';
const SEED = 'audit-desk-demo';

const simulation = new Simulation({
  seed: SEED,
  days: 30,
  perDay: 100,
  startDate: '2026-10-15',
  plan: 'professional',
});
const privateKey = derivedKey(SEED, KEY_ID);

rmSync(join(outDir, 'bundles'), { recursive: true, force: true });
mkdirSync(join(outDir, 'bundles'), { recursive: true });
writeFileSync(
  join(outDir, 'trust.json'),
  serializeTrustStore([
    {
      keyId: KEY_ID,
      algorithm: 'Ed25519',
      publicKey: publicKeyOf(privateKey),
      validFrom: null,
      validTo: null,
      revoked: false,
      note: 'DEMO KEY: signs the demo workspace only; derived from a public seed, proves nothing',
    },
  ]),
);

let prevDigest = null;
let entries = 0;
let bundles = 0;
for (const day of simulation.days()) {
  const writer = new BundleWriter({
    out: join(outDir, 'bundles', bundleFileName(simulation.tenant, day)),
    tenant: simulation.tenant,
    periodStart: day.periodStart,
    periodEnd: day.periodEnd,
    prevDigest,
    keyId: KEY_ID,
    privateKey,
    issuedAt: isoOf(day.endMs + DEFAULT_ISSUE_DELAY_MS),
  });
  for (const entry of day.entries()) writer.add(entry);
  entries += writer.entryCount;
  prevDigest = writer.finish().digest;
  bundles++;
}
const { id, name, timeZone, plan } = simulation.tenant;
console.log(
  `resources/demo: ${bundles} bundles, ${entries} entries of ${name} (${id}, ${timeZone}, ${plan}), key ${KEY_ID}`,
);
