import { adminAccount, expect, newAccount, signIn, signUp, test } from './support/fixtures';

test('an admin adds an organization and people with its email domain join it', async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, adminAccount);
  await page.goto('/admin/organizations');
  await page.getByLabel('Name').fill('Brightside Bakery');
  await page.getByLabel('Email domains').fill('brightside.example, BRIGHTSIDE.example bad domain!');
  await page.getByRole('button', { name: 'Add organization' }).click();
  await expect(page.getByText('"bad" is not a domain like example.com.')).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue('Brightside Bakery');

  await page.getByLabel('Email domains').fill('brightside.example, brightside-cakes.example');
  await page.getByRole('button', { name: 'Add organization' }).click();
  await expect(page.getByRole('status')).toHaveText('Organization added.');
  await expect(page.getByLabel('Email domains')).toHaveValue(
    'brightside-cakes.example, brightside.example',
  );

  const baker = { ...newAccount('baker'), email: `baker${Date.now()}@brightside-cakes.example` };
  const bakerContext = await browser.newContext({ baseURL });
  await signUp(await bakerContext.newPage(), baker);
  await bakerContext.close();

  await page.goto(`/admin/users?q=${baker.username}`);
  await expect(page.getByRole('row', { name: new RegExp(baker.username) })).toContainText(
    'Brightside Bakery',
  );
  await page.goto('/admin/organizations');
  await expect(page.getByRole('row', { name: /Brightside Bakery/ })).toContainText('1');
});

test('an admin creates, edits and orders categories that customers see on the home page', async ({
  page,
}) => {
  await signIn(page, adminAccount);
  await page.goto('/admin/categories');
  await page.getByLabel('Name').fill('Bank connections');
  await page.getByLabel('Description').fill('Connect bank feeds and match transactions.');
  await page.getByLabel('Position').fill('20');
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByRole('cell', { name: 'bank-connections' })).toBeVisible();

  await page.getByLabel('Name').fill('Getting started');
  await page.getByLabel('Slug').fill('Bank-Connections');
  await page.getByLabel('Position').fill('10');
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByText('Another category uses this slug.')).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue('Getting started');
  await page.getByLabel('Slug').fill('');
  await page.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByRole('cell', { name: 'getting-started' })).toBeVisible();

  await page.getByRole('link', { name: 'Bank connections' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bank connections' })).toBeVisible();
  await page.getByLabel('Name').fill('Bank feeds');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Changes saved.');

  await page.goto('/');
  // NOTE: other specs share this server and add topics of their own (the accessibility audit's
  // help center): only these two, and their order, are this test's.
  const topics = page
    .getByRole('region', { name: 'Browse by topic' })
    .getByRole('heading', { level: 3 })
    .filter({ hasText: /^(Getting started|Bank feeds)$/ });
  await expect(topics).toHaveText(['Getting started', 'Bank feeds']);
});

test('unknown pages answer 404 in plain words', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
  await signIn(page, adminAccount);
  expect((await page.goto('/admin/categories/999999'))?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'We could not find that page' })).toBeVisible();
});

test('the shell works at 360 px and from the keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Commons' }).first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge base' }),
  ).toBeFocused();

  await signUp(page, newAccount('keyboard'));
  await page.getByRole('banner').locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeHidden();
});
