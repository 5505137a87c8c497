import type { Page } from '@playwright/test';
import { expect, newPerson, test } from './support/fixtures';

async function ask(page: Page, title: string, body: string) {
  await page.goto('/questions/ask');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Details').fill(body);
  await page.getByRole('button', { name: 'Post your question' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

async function answer(page: Page, threadUrl: string, body: string) {
  await page.goto(threadUrl);
  await page.getByLabel('Answer', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(
    page.getByRole('article', { name: /Answer by/ }).filter({ hasText: body }),
  ).toHaveCount(1);
}

/** React reports a hydration that did not match the server's HTML as an error in the console. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The script that hands the browser the loader data (Remix's turbo-stream). */
function loaderDataScript(html: string): string {
  const scripts = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  return scripts.filter((script) => script.includes('__remixContext')).join('\n');
}

test('a thread document carries each body once and the page keeps every body through hydration, votes, answers, edits and navigation', async ({
  browser,
  baseURL,
  request,
}) => {
  // Four people sign up and act in turn.
  test.slow();
  const asker = await newPerson(browser, baseURL, 'onceasker');
  const first = await newPerson(browser, baseURL, 'oncefirst');
  const second = await newPerson(browser, baseURL, 'oncesecond');
  const stamp = Date.now();
  // Past the 160 characters of the page's description, which the loader data does carry.
  const questionEnd = `Nothing past row 500 arrives ${stamp}.`;
  const questionBody = `Exports of the customer list stop at the first page of results, whichever format I pick and whichever browser I use, even though the list shows more. ${questionEnd}`;
  const firstBody = `Raise the export page size under Settings then Exports ${stamp}.`;
  const secondBody = `Filters in the saved view cut the export short ${stamp}.`;
  await ask(asker.page, `Exports stop early ${stamp}`, questionBody);
  const threadUrl = asker.page.url();
  await answer(first.page, threadUrl, firstBody);
  await answer(second.page, threadUrl, secondBody);

  // The document shows every body; its loader data names them instead of repeating them.
  const html = await (await request.get(threadUrl)).text();
  const data = loaderDataScript(html);
  expect(data).toContain('inDocument');
  for (const body of [questionEnd, firstBody, secondBody]) {
    expect(html).toContain(body);
    expect(data).not.toContain(body);
  }
  // A client navigation's data carries them.
  const navigationData = await (await request.get(`${threadUrl}.data`)).text();
  for (const body of [questionBody, firstBody, secondBody]) expect(navigationData).toContain(body);

  // A reader with JavaScript: hydration keeps the bodies the server rendered, with no mismatch.
  const reader = await newPerson(browser, baseURL, 'oncereader');
  const errors = collectPageErrors(reader.page);
  await reader.page.goto(threadUrl);
  await reader.page.waitForLoadState('networkidle');
  const question = reader.page.getByRole('article', { name: 'Question' });
  const answers = reader.page.getByRole('article', { name: /Answer by/ });
  await expect(question).toContainText(questionBody);
  await expect(answers.filter({ hasText: firstBody })).toHaveCount(1);
  await expect(answers.filter({ hasText: secondBody })).toHaveCount(1);

  // A vote revalidates the page without a reload: every body is still there.
  const firstAnswer = answers.filter({ hasText: firstBody });
  await firstAnswer.getByRole('button', { name: 'Upvote this answer' }).click();
  await expect(firstAnswer.getByLabel('Score 1')).toBeVisible();
  await expect(question).toContainText(questionBody);
  await expect(answers.filter({ hasText: secondBody })).toHaveCount(1);

  // A new answer from this page shows beside the others.
  const readerBody = `Check the export log for a row limit ${stamp}.`;
  await reader.page.getByLabel('Answer', { exact: true }).fill(readerBody);
  await reader.page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(answers).toHaveCount(3);
  for (const body of [firstBody, secondBody, readerBody])
    await expect(answers.filter({ hasText: body })).toHaveCount(1);

  // An edit made elsewhere reaches this page on its next revalidation (another vote).
  const editedBody = `Raise the export page size to 1000 under Settings then Exports ${stamp}.`;
  await first.page.goto(threadUrl);
  await first.page
    .getByRole('article', { name: /Answer by/ })
    .filter({ hasText: firstBody })
    .getByRole('link', { name: 'Edit' })
    .click();
  // NOTE: the thread's own answer box is also labelled "Answer": wait for the edit page.
  await expect(first.page.getByRole('heading', { level: 1, name: 'Edit answer' })).toBeVisible();
  await first.page.getByLabel('Answer', { exact: true }).fill(editedBody);
  await first.page.getByRole('button', { name: 'Save edits' }).click();
  await expect(
    first.page.getByRole('article', { name: /Answer by/ }).filter({ hasText: editedBody }),
  ).toHaveCount(1);
  const secondAnswer = answers.filter({ hasText: secondBody });
  await secondAnswer.getByRole('button', { name: 'Upvote this answer' }).click();
  await expect(secondAnswer.getByLabel('Score 1')).toBeVisible();
  await expect(answers.filter({ hasText: editedBody })).toHaveCount(1);

  // Client-side navigation to another thread and back shows each thread's own bodies.
  const otherBody = `A different question about invoices ${stamp}, nothing to do with exports.`;
  await ask(asker.page, `Invoices are late ${stamp}`, otherBody);
  const otherUrl = asker.page.url();
  await reader.page.goto('/questions');
  await reader.page.waitForLoadState('networkidle');
  await reader.page.getByRole('link', { name: `Invoices are late ${stamp}` }).click();
  await expect(reader.page).toHaveURL(otherUrl);
  await expect(question).toContainText(otherBody);
  await reader.page.goBack();
  await reader.page.getByRole('link', { name: `Exports stop early ${stamp}` }).click();
  await expect(question).toContainText(questionBody);
  await expect(answers.filter({ hasText: editedBody })).toHaveCount(1);
  await expect(answers.filter({ hasText: readerBody })).toHaveCount(1);

  expect(errors.filter((error) => /hydrat|Minified React error/i.test(error))).toEqual([]);
});
