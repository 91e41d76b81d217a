// The review workflow and evidence packs in the UI: annotate from the detail pane, bulk-mark a
// query, draw a sample and work through it, the unusual-activity queue, and an export verified in
// the app.
import type { Page } from '@playwright/test';
import { serious } from './axe';
import { expect, openDemo, test } from './fixtures';

async function setReviewer(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Dana Auditor');
  await page.getByLabel('E-mail').fill('dana@audit.example');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Workspaces' }).click();
}

async function search(page: Page, text: string): Promise<number> {
  const count = page.getByTestId('result-count');
  await page.getByRole('combobox', { name: 'Search query' }).fill(text);
  await expect(page.getByRole('combobox', { name: 'Search query' })).toHaveValue(text);
  await expect(count).toHaveText(/^[\d,]+ entr/);
  await page.waitForTimeout(150);
  await expect(count).toHaveText(/^[\d,]+ entr/);
  return Number(/^[\d,]+/.exec((await count.textContent())!)![0].replace(/,/g, ''));
}

test('annotate from the detail pane; notes are safe Markdown with history', async ({ app }) => {
  const { page } = app;
  await setReviewer(page);
  await openDemo(page);
  await page.locator('.log-row').nth(3).click();
  const detail = page.getByRole('complementary', { name: 'Entry detail' });
  await detail.getByRole('radio', { name: 'Exception' }).check();
  await detail.getByLabel('Tags (comma separated)').fill('sox, access');
  await detail
    .getByLabel('Note (Markdown)')
    .fill('**Unapproved** change <img src=x onerror=alert(1)>');
  await detail.getByRole('button', { name: 'Save annotation' }).click();
  await expect(detail.getByText('History (1)')).toBeVisible();
  await detail.getByText('History (1)').click();
  await expect(detail.getByText(/Dana Auditor/)).toBeVisible();
  await expect(detail.locator('.markdown strong', { hasText: 'Unapproved' })).toBeVisible();
  await expect(detail.locator('.markdown img')).toHaveCount(0);
  await app.shot('annotation');
  // The facets and the query language see the status.
  expect(await search(page, 'status:exception tag:sox')).toBe(1);
});

test('bulk-mark a query, then draw a sample and work through it', async ({ app }) => {
  const { page } = app;
  await setReviewer(page);
  await openDemo(page);
  const zones = await search(page, 'category:zones');
  expect(zones).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Mark all…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Status').selectOption('reviewed');
  await dialog
    .getByRole('checkbox', {
      name: new RegExp(`mark all ${zones.toLocaleString('en-US')} entries`),
    })
    .check();
  await dialog.getByRole('button', { name: /^Mark / }).click();
  await expect(
    dialog.getByText(`Marked ${zones.toLocaleString('en-US')} entries as Reviewed.`),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  expect(await search(page, 'status:reviewed')).toBe(zones);

  const bookings = await search(page, 'category:bookings');
  await page.getByRole('button', { name: 'Sample…' }).click();
  const sample = page.getByRole('dialog');
  await sample.getByRole('radio', { name: 'Fixed size' }).check();
  await sample.getByLabel('Entries').fill('5');
  await sample.getByLabel(/^Seed/).fill('e2e-seed-1');
  await sample.getByRole('button', { name: 'Draw sample' }).click();
  await expect(
    sample.getByText(`Drew 5 of ${bookings.toLocaleString('en-US')} entries with seed e2e-seed-1.`),
  ).toBeVisible();
  await sample.getByRole('button', { name: 'Close' }).first().click();

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('tab', { name: 'Samples' }).click();
  await expect(page.getByText('0 reviewed · 0 exceptions · 5 left')).toBeVisible();
  await page.getByRole('button', { name: 'Work through' }).click();
  const list = page.getByRole('listbox', { name: 'Sample entries' });
  await expect(list.getByRole('option')).toHaveCount(5);
  const detail = page.getByRole('complementary', { name: 'Entry detail' });
  await detail.getByRole('radio', { name: 'Reviewed', exact: true }).check();
  await detail.getByRole('button', { name: 'Save annotation' }).click();
  await expect(page.getByText('1 reviewed · 0 exceptions · 4 left')).toBeVisible();
  await list.getByRole('option').nth(1).click();
  await detail.getByRole('radio', { name: 'Exception' }).check();
  await detail.getByRole('button', { name: 'Save annotation' }).click();
  await expect(page.getByText('1 reviewed · 1 exceptions · 3 left')).toBeVisible();
  await app.shot('sample-batch');
  expect(await serious(page, 'sample batch')).toEqual([]);
});

test('unusual-activity queue: review a finding and dismiss one', async ({ app }) => {
  const { page } = app;
  await setReviewer(page);
  await openDemo(page);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const findings = page.locator('.finding');
  await expect(findings.first()).toBeVisible({ timeout: 20_000 });
  await app.shot('insights');
  const first = findings.first();
  await first.getByRole('button', { name: 'Review entries' }).click();
  const detail = first.getByRole('complementary', { name: 'Entry detail' });
  await detail.getByRole('radio', { name: 'Follow up' }).check();
  await detail.getByRole('button', { name: 'Save annotation' }).click();
  await expect(detail.getByText('History (1)')).toBeVisible();
  await first.getByRole('button', { name: 'Dismiss…' }).click();
  await first.getByLabel('Reason').fill('expected: quarterly clean-up');
  await first.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await expect(page.getByText(/Dismissed by .*expected: quarterly clean-up/)).toBeVisible();
  await page.getByRole('tab', { name: 'Review log' }).click();
  await expect(page.getByText(/hash chain is intact/)).toBeVisible();
});

test('export an evidence pack with chosen fields and verify it in the app', async ({ app }) => {
  const { page } = app;
  await setReviewer(page);
  await openDemo(page);
  const invoices = await search(page, 'category:invoices');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('checkbox', { name: 'User agent' }).uncheck();
  await dialog.getByRole('checkbox', { name: 'Metadata' }).uncheck();
  await app.shot('export-dialog');
  await dialog.getByRole('button', { name: 'Export' }).click();
  await expect(
    dialog.getByText(new RegExp(`Wrote .+\\.zip: ${invoices.toLocaleString('en-US')} entries`)),
  ).toBeVisible({
    timeout: 30_000,
  });
  await dialog.getByRole('button', { name: 'Verify pack' }).click();
  await expect(dialog.getByTestId('verify-result')).toContainText('Pack verified');
  await app.shot('export-verified');
  expect(await serious(page, 'export dialog')).toEqual([]);
});
