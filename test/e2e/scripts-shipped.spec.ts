import type { Page } from '@playwright/test';
import { expect, newPerson, test } from './support/fixtures';

// The modules only members, authors or staff see (app/components/deferred.tsx).
const membersOnly =
  /\/assets\/(markdown-editor|moderate-panel|flags|moderation|account-menu|member-banners|watch)-[\w-]+\.js$/;

/** The scripts a page made the browser download, and the errors it reported. */
function watchPage(page: Page) {
  const scripts: string[] = [];
  const errors: string[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.js')) scripts.push(new URL(response.url()).pathname);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { scripts, errors };
}

test('an anonymous reader of a thread downloads no code for members or staff; a moderator gets it and it works', async ({
  browser,
  baseURL,
}) => {
  const moderator = await newPerson(browser, baseURL, 'shipmod', 'moderator');
  const title = `Bank feed stopped importing ${Date.now()}`;
  await moderator.page.goto('/questions/ask');
  await moderator.page.getByLabel('Title').fill(title);
  await moderator.page
    .getByLabel('Details')
    .fill('Since Monday the bank feed shows no new transactions. Reconnecting did not help.');
  await moderator.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(moderator.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const threadUrl = moderator.page.url();

  const readerContext = await browser.newContext({ baseURL });
  const reader = await readerContext.newPage();
  const read = watchPage(reader);
  await reader.goto(threadUrl);
  await reader.waitForLoadState('networkidle');
  await expect(reader.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(reader.getByRole('link', { name: 'Sign in', exact: true }).last()).toBeVisible();
  expect(read.scripts.length).toBeGreaterThan(0);
  expect(read.scripts.filter((script) => membersOnly.test(script))).toEqual([]);
  // A client navigation still works: the page hydrated without those modules.
  await reader
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Community' })
    .click();
  await expect(reader.getByRole('heading', { level: 1, name: /questions/i })).toBeVisible();
  expect(read.errors).toEqual([]);
  await readerContext.close();

  // The moderator's browser fetches the editor and the panel, and both work once it has them.
  const moderating = watchPage(moderator.page);
  await moderator.page.goto(threadUrl);
  await moderator.page.getByLabel('Answer', { exact: true }).fill('Try **reconnecting** the feed.');
  await expect(
    moderator.page.getByRole('region', { name: 'Preview' }).getByText('reconnecting'),
  ).toBeVisible();
  await moderator.page.getByText('Moderate this question').click();
  await expect(moderator.page.getByRole('button', { name: 'Lock' })).toBeVisible();
  expect(moderating.scripts.filter((script) => membersOnly.test(script)).length).toBeGreaterThan(0);
  expect(moderating.errors).toEqual([]);
});
