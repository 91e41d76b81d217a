// An axe check (WCAG 2 A/AA rules) of the main screens, in light and dark themes: no serious or
// critical violations.
import { serious } from './axe';
import { expect, openDemo, test } from './fixtures';

test('no serious accessibility violations on the main screens', async ({ app }) => {
  const { page } = app;
  const problems: string[] = [];
  problems.push(...(await serious(page, 'workspaces')));
  await openDemo(page);
  await page.locator('.log-row').nth(1).click();
  await expect(page.getByRole('complementary', { name: 'Entry detail' })).toBeVisible();
  problems.push(...(await serious(page, 'log view with detail')));
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('heading', { name: /^Review/ })).toBeVisible();
  problems.push(...(await serious(page, 'review')));
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Theme').selectOption('dark');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  problems.push(...(await serious(page, 'settings (dark)')));
  await app.shot('settings-dark');
  await page.getByRole('button', { name: 'Workspaces' }).click();
  await openDemo(page);
  problems.push(...(await serious(page, 'log view (dark)')));
  await app.shot('log-view-dark');
  expect(problems).toEqual([]);
});
