import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import {
  adminAccount,
  expect,
  newPerson,
  signUpByPost,
  test,
  type Account,
} from './support/fixtures';
import { startTestServer } from './support/server';

// Issue 24: the home page leads with a large search (a plain form without JavaScript, suggestions
// with it, in the first screen of a phone), lists what was answered lately, stays fresh in the
// page cache, and shared pages carry social card tags.

/** A word of letters only that no other test's content holds (search splits digits off). */
function codeWord(prefix: string): string {
  const letters = Date.now()
    .toString(10)
    .replace(/[0-9]/g, (digit) => 'bcdfghjklm'[Number(digit)] ?? 'x');
  return `${prefix}${letters}`;
}

async function ask(api: APIRequestContext, title: string, body: string): Promise<string> {
  const response = await api.post('/questions/ask', {
    multipart: { title, body, tags: '', categoryId: '', journeyStage: '' },
    maxRedirects: 0,
  });
  expect(response.status(), `asked "${title}"`).toBe(302);
  return new URL(response.headers()['location'] ?? '', 'http://x').pathname;
}

/** A member asks a question whose title carries a word nobody else uses. */
async function questionWithWord(
  person: { page: Page },
  word: string,
): Promise<{ title: string; path: string }> {
  const title = `Quarterly ${word} report shows the wrong totals`;
  const path = await ask(
    person.page.context().request,
    title,
    `Since the last update the ${word} report adds the same invoice twice in every quarter.`,
  );
  return { title, path };
}

function heroSearch(page: Page) {
  return page.getByRole('combobox', { name: 'Search for answers' });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the hero search is a plain form that shows results', async ({ page, browser, baseURL }) => {
    const asker = await newPerson(browser, baseURL, 'heroasker');
    const word = codeWord('nojs');
    const { title } = await questionWithWord(asker, word);
    await expect(async () => {
      await page.goto('/');
      await heroSearch(page).fill(word);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}`));
      await expect(page.getByRole('link', { name: title })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  });
});

test('typing in the hero suggests questions; arrow keys and Enter open one', async ({
  page,
  browser,
  baseURL,
}) => {
  const asker = await newPerson(browser, baseURL, 'herosuggest');
  const word = codeWord('hint');
  const { title } = await questionWithWord(asker, word);
  await page.goto('/');
  // The home page has one search box: the hero's.
  await expect(page.getByRole('combobox', { name: 'Search the help center' })).toHaveCount(0);
  const box = heroSearch(page);
  await expect(async () => {
    await box.fill('');
    await box.fill(word);
    await expect(page.getByRole('option').first()).toContainText(title, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByText(/^\d+ suggestions?$/)).toBeAttached();
  await box.press('ArrowDown');
  await expect(page.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the hero search is in the first screen, above popular and recently answered', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(heroSearch(page)).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeInViewport({
      ratio: 1,
    });
    const searchBox = await heroSearch(page).boundingBox();
    const popular = await page.getByRole('heading', { name: 'Popular articles' }).boundingBox();
    const answered = await page.getByRole('heading', { name: 'Recently answered' }).boundingBox();
    expect(searchBox && searchBox.y + searchBox.height).toBeLessThan(popular?.y ?? 0);
    expect(popular?.y ?? 0).toBeLessThan(answered?.y ?? 0);
  });
});

test('a thread page carries social card tags, its title kept as text', async ({
  page,
  browser,
  baseURL,
}) => {
  const asker = await newPerson(browser, baseURL, 'cardasker');
  const api = asker.page.context().request;
  const png = await sharp({
    create: { width: 800, height: 420, channels: 3, background: '#2f6fb0' },
  })
    .png()
    .toBuffer();
  const uploaded = await api.post('/uploads', {
    multipart: { file: { name: 'totals.png', mimeType: 'image/png', buffer: png } },
  });
  expect(uploaded.status()).toBe(201);
  const { upload } = (await uploaded.json()) as { upload: { url: string; markdown: string } };
  const title = `Totals "double" <script>alert('card')</script> & <b>bold</b> ${codeWord('card')}`;
  const path = await ask(
    api,
    title,
    `The **report** shows _twice_ the total:\n\n${upload.markdown}\n\nWhat did I miss?`,
  );
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const meta = (key: string) =>
    page.locator(`meta[property="${key}"], meta[name="${key}"]`).getAttribute('content');
  const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
  await expect(page.locator('meta[property="og:title"]')).toHaveCount(1);
  expect(await meta('og:title')).toBe(title);
  expect(await meta('twitter:title')).toBe(title);
  expect(await meta('og:type')).toBe('article');
  expect(await meta('og:url')).toBe(canonical);
  expect(canonical).toBe(`${baseURL}${path}`);
  expect(await meta('og:site_name')).toBe('Commons');
  expect(await meta('og:description')).toBe('The report shows twice the total: What did I miss?');
  expect(await meta('og:image')).toBe(`${baseURL}${upload.url}`);
  expect(await meta('twitter:card')).toBe('summary_large_image');
  // The picture a card shows is really there for anyone.
  const picture = await page.request.get((await meta('og:image')) ?? '');
  expect(picture.status()).toBe(200);
  expect(dialogs).toBe(0);
});

test('a new answer and a new article reach the stored home page on the next read', async ({
  browser,
  playwright,
}) => {
  test.setTimeout(90_000);
  // A server of its own: an empty help center, so the one new article is the popular one.
  const fresh = await startTestServer();
  const adminContext = await browser.newContext({ baseURL: fresh.url });
  const anonymous = await playwright.request.newContext({ baseURL: fresh.url });
  try {
    const admin = await adminContext.newPage();
    const founder: Account = { ...adminAccount };
    await signUpByPost(admin, founder);
    const title = 'Why does the VAT return ignore credit notes?';
    const path = await ask(
      adminContext.request,
      title,
      'Credit notes issued in March are missing from the first quarter VAT return.',
    );

    async function read(expected: 'hit' | 'miss') {
      const response = await anonymous.get('/');
      expect(response.headers()['x-page-cache'], `home page read (${expected})`).toBe(expected);
      return response.text();
    }
    await read('miss');
    const stored = await read('hit');
    expect(stored).not.toContain(title);

    const answered = await adminContext.request.post(path, {
      multipart: { intent: 'answer', body: 'Tick "Include credit notes" under VAT settings.' },
      maxRedirects: 0,
    });
    expect(answered.status()).toBeLessThan(400);
    const afterAnswer = await read('miss');
    expect(afterAnswer).toContain(title);
    await read('hit');

    const articleTitle = 'Filing your first VAT return';
    await admin.goto('/agent/articles/new');
    await admin.getByLabel('Title').fill(articleTitle);
    await admin
      .getByLabel('Article')
      .fill('## Before you file\n\nCheck that every credit note of the quarter is posted.');
    await admin.getByRole('button', { name: 'Save draft' }).click();
    await admin.getByRole('button', { name: 'Publish' }).click();
    await expect(admin.getByRole('status')).toHaveText('Moved to published.');
    expect(await read('miss')).toContain(articleTitle);
  } finally {
    await anonymous.dispose();
    await adminContext.close();
    await fresh.stop();
  }
});
