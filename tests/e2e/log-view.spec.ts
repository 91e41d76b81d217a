// The log view on the demo workspace: open it, search with qualifiers and see errors where they
// are, brush the timeline, open the detail, navigate with the keyboard, remember columns.
import { expect, openDemo, test } from './fixtures';

test('open the demo workspace and see its signed entries', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Workspaces' })).toBeVisible();
  const demoRow = page.getByRole('row', { name: /Demo workspace/ });
  await expect(demoRow.getByText('demo key')).toBeVisible();
  await expect(demoRow.getByText('Verified, complete')).toBeVisible();
  await app.shot('workspaces');
  await openDemo(page);
  await expect(page.getByTestId('result-count')).toHaveText(/^[\d,]+ entries/);
  await expect(page.getByRole('columnheader', { name: /^Time \(.+\)/ })).toBeVisible();
  await app.shot('log-view');
});

test('search with qualifiers, suggestions and error markers', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  const count = page.getByTestId('result-count');
  const before = await count.textContent();
  const query = page.getByRole('combobox', { name: 'Search query' });
  await query.fill('category:bookings -action:booking.created');
  await expect(count).not.toHaveText(before ?? '');
  const actions = page.locator('.log-row .col-action');
  await expect(actions.first()).toHaveText(/^booking\./);
  for (const text of await actions.allTextContents()) {
    expect(text).toMatch(/^booking\./);
    expect(text).not.toBe('booking.created');
  }
  // An unknown qualifier: the parser's message, and the mark under the typed name.
  await query.fill('refund usr:dana');
  await expect(page.getByText(/unknown qualifier "usr:" \(did you mean user:\?\)/)).toBeVisible();
  await expect(page.locator('.query-error-mark')).toHaveText('usr:');
  await expect(query).toHaveAttribute('aria-invalid', 'true');
  await app.shot('query-error');
  // Suggestions for the word at the caret; accepting one inserts it.
  await query.fill('action:boo');
  const options = page.getByRole('option');
  await expect(options.first()).toBeVisible();
  await query.press('ArrowDown');
  await query.press('Enter');
  await expect(query).toHaveValue(/^action:booking/);
});

test('keyboard: j/k move, Enter opens detail, Esc closes, / focuses the query', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  const grid = page.getByRole('grid', { name: 'Log entries' });
  await grid.focus();
  const selected = page.locator('.log-row[aria-selected="true"]');
  const first = await selected.getAttribute('data-entry-id');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  const third = await selected.getAttribute('data-entry-id');
  expect(third).not.toBe(first);
  await page.keyboard.press('k');
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveAttribute('data-entry-id', third!);
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: 'Entry detail' });
  await expect(detail).toBeVisible();
  await expect(detail.getByText(third!)).toBeVisible();
  await page.keyboard.press('j');
  await expect(detail.getByText(third!)).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await page.keyboard.press('/');
  await expect(page.getByRole('combobox', { name: 'Search query' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(grid).toBeFocused();
});

test('entry detail: fields, diff, user agent, related links', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  const query = page.getByRole('combobox', { name: 'Search query' });
  await query.fill('category:bookings');
  await expect(page.locator('.log-row .col-action').first()).toHaveText(/^booking\./);
  await page.locator('.log-row').first().click();
  const detail = page.getByRole('complementary', { name: 'Entry detail' });
  await expect(detail.getByRole('heading', { name: /^booking\./ })).toBeVisible();
  await expect(detail.getByText('Time (UTC)')).toBeVisible();
  await expect(detail.getByText(/Signature and Merkle root verified|valid/)).toBeVisible();
  await expect(detail.getByRole('table')).toBeVisible();
  await app.shot('entry-detail');
  // "All events by this user" rewrites the query.
  await detail.getByRole('button', { name: /^All events by / }).click();
  await expect(query).toHaveValue(/^user:/);
  await expect(page.getByTestId('result-count')).toHaveText(/entries|entry/);
});

test('brushing the timeline sets a date range in the query', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  const chart = page.getByTestId('histogram');
  const unavailable = page.getByText(/Not available here: the timeline histogram/);
  await expect(chart.locator('rect.hist-hit').first().or(unavailable)).toBeVisible();
  test.skip(await unavailable.isVisible(), 'the backend does not answer histogram yet');
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + 40, { steps: 5 });
  await page.mouse.up();
  const query = page.getByRole('combobox', { name: 'Search query' });
  await expect(query).toHaveValue(
    /^(date:\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}|on:\d{4}-\d{2}-\d{2})$/,
  );
  await expect(page.getByText(/\(tenant's time zone\)/)).toBeVisible();
  // The same with the keyboard: the last buckets, widened with Shift+←, then Enter.
  await query.fill('');
  await chart.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(query).toHaveValue(/^date:\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/);
});

test('date presets and columns are remembered', async ({ app }) => {
  const { page } = app;
  await openDemo(page);
  await page.getByRole('button', { name: 'Columns…' }).click();
  await page.getByRole('checkbox', { name: 'IP address' }).uncheck();
  await page.getByRole('button', { name: 'Move User up' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('columnheader', { name: 'IP address' })).toHaveCount(0);
  await page.reload();
  await openDemo(page);
  await expect(page.getByRole('columnheader', { name: 'IP address' })).toHaveCount(0);
  await expect(page.getByRole('columnheader').first()).toHaveText('User');
  // A date preset writes the business-zone days into the query; pressed again, it removes them.
  const query = page.getByRole('combobox', { name: 'Search query' });
  await page.getByRole('button', { name: 'Last 30 days' }).click();
  await expect(query).toHaveValue(/^date:\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByRole('button', { name: 'Last 30 days' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.getByRole('button', { name: 'Last 30 days' }).click();
  await expect(query).toHaveValue('');
  // UTC display relabels the time column.
  await page.getByRole('button', { name: 'UTC', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Time (UTC)' })).toBeVisible();
});
