// Workspace management and paging through a whole workspace with keyset cursors.
import { expect, openDemo, test } from './fixtures';

test('create, rename and delete a workspace (deletion needs the name typed)', async ({ app }) => {
  const { page } = app;
  await page.getByLabel('New workspace').fill('Acme SOC 2');
  await page.getByRole('button', { name: 'Create' }).click();
  const row = page.getByRole('row', { name: /Acme SOC 2/ });
  await expect(row.getByText('No bundles yet')).toBeVisible();
  await row.getByRole('button', { name: 'Rename' }).click();
  const rename = page.getByRole('dialog', { name: /Rename/ });
  await rename.getByLabel('New name').fill('Acme SOC 2 – 2026');
  await rename.getByRole('button', { name: 'Rename' }).click();
  const renamed = page.getByRole('row', { name: /Acme SOC 2 – 2026/ });
  await expect(renamed).toBeVisible();
  await renamed.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: /Delete/ });
  const button = confirm.getByRole('button', { name: 'Delete workspace' });
  await expect(button).toBeDisabled();
  await confirm.getByLabel(/Type .* to confirm/).fill('Acme SOC 2');
  await expect(button).toBeDisabled();
  await confirm.getByLabel(/Type .* to confirm/).fill('Acme SOC 2 – 2026');
  await button.click();
  await expect(page.getByRole('row', { name: /Acme SOC 2/ })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /Demo workspace/ })).toBeVisible();
});

test('scrolling to the end pages through every entry, newest first', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  // The rows come first, then their count.
  await expect(page.getByTestId('result-count')).toHaveText(/^[\d,]+ entr/);
  const total = Number(
    /^[\d,]+/.exec((await page.getByTestId('result-count').textContent())!)![0].replace(/,/g, ''),
  );
  expect(total).toBeGreaterThan(1200);
  const grid = page.getByRole('grid', { name: 'Log entries' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(total + 1));
  await grid.focus();
  // End jumps to the last loaded row; repeated, it reaches the oldest entry through the pages.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('End');
    const last = page.locator(`.log-row[aria-rowindex="${total + 1}"]`);
    if ((await last.count()) > 0 && (await last.getAttribute('data-entry-id'))) break;
    await page.waitForTimeout(300);
  }
  const last = page.locator(`.log-row[aria-rowindex="${total + 1}"]`);
  await expect(last).toHaveAttribute('data-entry-id', /.+/);
  await expect(last).toHaveAttribute('aria-selected', 'true');
  const times = await page.locator('.log-row .col-time').allTextContents();
  expect([...times].sort().reverse()).toEqual(times);
});

test('share annotations: export to a file and import it back', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  await page.locator('.log-row').first().click();
  const detail = page.getByRole('complementary', { name: 'Entry detail' });
  await detail.getByRole('radio', { name: 'Follow up' }).check();
  await detail.getByRole('button', { name: 'Save annotation' }).click();
  await expect(detail.getByText('History (1)')).toBeVisible();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('tab', { name: 'Share' }).click();
  await page.getByRole('button', { name: 'Export annotations' }).click();
  await expect(page.getByText(/^1 annotations in /)).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download' }).click();
  const file = await (await downloading).path();
  await page.getByLabel('Annotations file to import').setInputFiles(file);
  await expect(page.getByText('Added 0, 1 already identical, 0 conflicts.')).toBeVisible();
});
