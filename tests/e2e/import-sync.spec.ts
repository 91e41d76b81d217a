// Opening bundle files (file picker and drag-and-drop) and syncing from the Otesse API simulator,
// with progress, a refused tampered bundle, and entries appearing in the log.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startSimServer } from '../../electron/sim/server';
import { generateTrail } from '../../electron/sim/generate';
import { expect, test, type AppFixture } from './fixtures';

test.use({ demo: false });

async function useTrustStore(app: AppFixture, path: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel(/^Trust store/).fill(path);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
}

async function createWorkspace(app: AppFixture, name: string): Promise<void> {
  const { page } = app;
  await page.getByRole('button', { name: 'Workspaces' }).click();
  await page.getByLabel('New workspace').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible();
}

/** A copy of a bundle with one character of one signed entry changed (the payload digest breaks). */
function tampered(path: string): Buffer {
  const text = readFileSync(path, 'latin1');
  const at = text.lastIndexOf('"action":"') + '"action":"'.length;
  const flipped = text[at] === 'x' ? 'y' : 'x';
  return Buffer.from(text.slice(0, at) + flipped + text.slice(at + 1), 'latin1');
}

test('open bundle files: valid ones are imported, a tampered one is refused', async ({ app }) => {
  const { page, home } = app;
  const trail = generateTrail({
    outDir: join(home, 'files'),
    days: 3,
    perDay: 30,
    seed: 'e2e-files',
  });
  await useTrustStore(app, trail.trustStore);
  await createWorkspace(app, 'Files engagement');
  const row = page.getByRole('row', { name: /Files engagement/ });

  // Drag and drop of a tampered copy onto the workspace row.
  const bad = tampered(trail.bundles[1]!.out);
  // Runs in the page (this file is type-checked without the DOM library).
  const drop = await page.evaluateHandle(
    (bytes) => {
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string) => unknown;
      };
      const transfer = new dom.DataTransfer();
      transfer.items.add(new dom.File([new Uint8Array(bytes)], 'tampered.otbundle'));
      return transfer;
    },
    [...bad],
  );
  await row.dispatchEvent('drop', { dataTransfer: drop });
  const jobs = page.getByRole('region', { name: 'Background jobs' });
  await expect(jobs.getByText(/Refused tampered\.otbundle: payload_digest: .+/)).toBeVisible();
  await expect(jobs.getByText(/Nothing from a refused file was stored/)).toBeVisible();
  await app.shot('import-refused');
  await expect(row.getByText('No bundles yet')).toBeVisible();

  // The file picker with the intact bundles.
  await row.getByLabel('Bundle files for Files engagement').setInputFiles(
    trail.bundles.map((b) => ({
      name: basename(b.out),
      mimeType: 'application/octet-stream',
      buffer: readFileSync(b.out),
    })),
  );
  const entries = trail.entries.toLocaleString('en-US');
  await expect(jobs.getByText(`Imported 3 bundles (${entries} new entries).`)).toBeVisible();
  await expect(row.getByText('Verified, complete')).toBeVisible();
  await expect(row.getByRole('cell', { name: entries, exact: true })).toBeVisible();
});

test('sync from the Otesse API simulator with progress', async ({ app }) => {
  const { page } = app;
  const sim = await startSimServer({
    seed: 'e2e-sync',
    days: 12,
    perDay: 80,
    faults: 'latency=60',
  });
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('API URL').fill(sim.url);
    await page.getByLabel(/^Trust store/).fill(sim.trustStore);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await expect(page.getByTestId('token-state')).toHaveText(/No token stored/);
    await page.getByLabel('Token', { exact: true }).fill(sim.token);
    await page.getByRole('button', { name: 'Store token' }).click();
    await expect(page.getByText(/Token stored/)).toBeVisible();
    await expect(page.getByTestId('token-state')).toHaveText(/A token is stored/);
    // Write-only: the token is not in the page.
    expect(await page.content()).not.toContain(sim.token);

    await createWorkspace(app, 'Synced tenant');
    await page
      .getByRole('row', { name: /Synced tenant/ })
      .getByRole('button', { name: 'Open' })
      .click();
    await expect(page.getByText('This workspace has no entries yet')).toBeVisible();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const job = page.getByRole('listitem', { name: 'Sync from Otesse' });
    await expect(job.getByRole('progressbar')).toBeVisible();
    await expect(job.getByTestId('job-numbers')).toHaveText(/\d/);
    await app.shot('sync-progress');
    await expect(job.getByText(/Added 12 bundles and [\d,]+ entries\./)).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('result-count')).toHaveText(
      new RegExp(`^${sim.entries.toLocaleString('en-US')} entries`),
    );
    await page.getByRole('button', { name: 'Workspaces' }).click();
    const row = page.getByRole('row', { name: /Synced tenant/ });
    await expect(row.getByText(/\(ok\)|\(succeeded\)|\(complete/)).toBeVisible();
  } finally {
    await sim.close();
  }
});

test('sync without an API URL or token says what to do', async ({ app }) => {
  const { page } = app;
  await createWorkspace(app, 'Not configured');
  await page
    .getByRole('row', { name: /Not configured/ })
    .getByRole('button', { name: 'Open' })
    .click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  const problem = page
    .getByRole('alert')
    .or(page.getByRole('listitem', { name: 'Sync from Otesse' }));
  await expect(problem.first()).toContainText(/API URL|token|Settings/i);
});

test('a running sync can be cancelled', async ({ app }) => {
  const { page } = app;
  const sim = await startSimServer({
    seed: 'e2e-cancel',
    days: 20,
    perDay: 40,
    faults: 'latency=400',
  });
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('API URL').fill(sim.url);
    await page.getByLabel(/^Trust store/).fill(sim.trustStore);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByLabel('Token', { exact: true }).fill(sim.token);
    await page.getByRole('button', { name: 'Store token' }).click();
    await expect(page.getByTestId('token-state')).toHaveText(/A token is stored/);
    await createWorkspace(app, 'Cancelled sync');
    await page
      .getByRole('row', { name: /Cancelled sync/ })
      .getByRole('button', { name: 'Open' })
      .click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const job = page.getByRole('listitem', { name: 'Sync from Otesse' });
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect(job.getByText(/Cancelled\. Nothing partial was stored/)).toBeVisible({
      timeout: 20_000,
    });
  } finally {
    await sim.close();
  }
});
