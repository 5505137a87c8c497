import path from 'node:path';
import Database from 'better-sqlite3';
import { adminAccount, expect, newPerson, signIn, test } from './support/fixtures';
import { highlightEnd, highlightStart } from '../../search/types';

test('a visitor finds a thread despite a typo, filters by category, and the click is recorded', async ({
  page,
  browser,
  baseURL,
  server,
}) => {
  test.setTimeout(60_000);
  await signIn(page, adminAccount);
  // A category of this test's own: other tests on this server add and rename categories too.
  const category = `Reconciliation ${Date.now().toString(36)}`;
  const categorySlug = category.toLowerCase().replace(' ', '-');
  await page.goto('/admin/categories');
  await page.getByLabel('Name').fill(category);
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByRole('cell', { name: categorySlug })).toBeVisible();

  const asker = await newPerson(browser, baseURL, 'searcher');
  const title = 'Reconciliation shows every Stripe payout twice';
  await asker.page.goto('/questions/ask');
  await asker.page.getByLabel('Title').fill(title);
  await asker.page
    .getByLabel('Details')
    .fill(
      'Since last week each payout from Stripe appears two times in the reconciliation screen.',
    );
  await asker.page.getByLabel('Category').selectOption({ label: category });
  await asker.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  const visitor = await (await browser.newContext({ baseURL })).newPage();
  await expect(async () => {
    await visitor.goto('/search?q=reconcilation+stirpe+payuot');
    await expect(visitor.getByRole('link', { name: title })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await visitor
    .getByRole('region', { name: 'Category' })
    .getByRole('link', { name: new RegExp(category) })
    .click();
  await expect(visitor).toHaveURL(new RegExp(`category=${categorySlug}`));
  await expect(visitor.getByRole('link', { name: title })).toBeVisible();
  await visitor.getByRole('link', { name: title }).click();
  await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible();

  const db = new Database(path.join(server.dataDir, 'commons.db'), { readonly: true });
  try {
    const click = db
      .prepare("select data from events where type = 'search_click' order by id desc limit 1")
      .get() as { data: string };
    expect(JSON.parse(click.data)).toMatchObject({
      position: 1,
      query: 'reconcilation stirpe payuot',
      source: 'search',
    });
    const search = db
      .prepare("select data from events where type = 'search' order by id desc limit 1")
      .get() as { data: string };
    expect(JSON.parse(search.data)).toMatchObject({
      filters: { category: categorySlug },
      results: 1,
      engine: 'meilisearch',
    });
  } finally {
    db.close();
  }
});

test('header suggestions work with the keyboard', async ({ page, browser, baseURL }) => {
  const asker = await newPerson(browser, baseURL, 'suggester');
  const title = 'Payroll journal entries post to the wrong expense account';
  await asker.page.goto('/questions/ask');
  await asker.page.getByLabel('Title').fill(title);
  await asker.page
    .getByLabel('Details')
    .fill('Wages land in Office expenses instead of Wages and salaries since the last update.');
  await asker.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();

  // The home page has its hero search instead (home.spec.ts); every other page has this one.
  await page.goto('/questions');
  const box = page.getByRole('combobox', { name: 'Search the help center' });
  await expect(async () => {
    await box.fill('');
    await box.fill('payroll journal');
    // Other specs' threads also mention payroll; wait until the new one is indexed and ranks first.
    await expect(page.getByRole('option').first()).toContainText(title, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText(/\d+ suggestions?/)).toBeAttached();
  // The server answers suggestions before Remix: the same JSON, never cached, for any input.
  const suggested = await page.request.get('/search/suggest?q=payroll+journal');
  expect(suggested.headers()['cache-control']).toBe('no-store');
  const body = (await suggested.json()) as { query: string; hits: { title: string }[] };
  expect(body.query).toBe('payroll journal');
  // Titles carry the matched words between the highlight markers.
  const plain = (text: string) => text.split(highlightStart).join('').split(highlightEnd).join('');
  expect(body.hits.map((hit) => plain(hit.title))).toContain(title);
  for (const q of ['p', '<script>alert(1)</script>', '\u0000%', 'x'.repeat(500)]) {
    const response = await page.request.get(`/search/suggest?${new URLSearchParams({ q })}`);
    expect(response.status()).toBe(200);
    expect((await response.json()).hits).toBeInstanceOf(Array);
  }
  await box.press('ArrowDown');
  await expect(page.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await box.press('Escape');
  await expect(page.getByRole('listbox')).toBeHidden();
  await box.press('ArrowDown');
  await box.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
});

test('without JavaScript the header search is a plain form', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/questions');
  // NOTE: only made-up words: Meilisearch drops words from the end of a query until something
  // matches, so "nothing matches zzzqqq" found other tests' posts that say "nothing".
  await page
    .getByRole('combobox', { name: 'Search the help center' })
    .fill(`zzzqqq xqvjkw ${Date.now().toString(36)}`);
  await page.getByRole('combobox', { name: 'Search the help center' }).press('Enter');
  await expect(page.getByRole('heading', { name: /No results for/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ask the community' })).toBeVisible();
  await context.close();
});
