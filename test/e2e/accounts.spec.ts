import {
  adminAccount,
  expect,
  newAccount,
  openAccountMenu,
  signIn,
  signOut,
  signUp,
  test,
} from './support/fixtures';
import { startTestServer } from './support/server';

test('the first account of a new instance becomes its admin', async ({ page }) => {
  const fresh = await startTestServer();
  try {
    await page.goto(`${fresh.url}/signup`);
    await page.getByLabel('Email').fill('founder@example.com');
    await page.getByLabel('Username').fill('founder');
    await page.getByLabel('Password').fill('a sturdy first passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await openAccountMenu(page);
    await expect(page.getByText('Signed in as founder')).toContainText('admin');
    await page.getByRole('menuitem', { name: 'Administration' }).click();
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  } finally {
    await fresh.stop();
  }
});

test('a visitor signs up, signs out and signs in again', async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await openAccountMenu(page);
  await expect(page.getByText(`Signed in as ${account.username}`)).toContainText('member');
  await expect(page.getByRole('menuitem', { name: 'Administration' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await signOut(page);
  await signIn(page, account);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
});

test('a wrong password says so and keeps the login typed', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(adminAccount.username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/do not match an account/);
  await expect(page.getByLabel('Email or username')).toHaveValue(adminAccount.username);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('sign-up errors name the field and keep what was typed', async ({ page }) => {
  await page.goto('/signup');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Username').fill('x!');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 3 characters.')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('not-an-email');
  await expect(page.getByLabel('Username')).toHaveValue('x!');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('sign-up works without JavaScript and keeps what was typed on errors', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto('/signup');
  await page.getByLabel('Email').fill(adminAccount.email.toUpperCase());
  await page.getByLabel('Username').fill('someone_new');
  await page.getByLabel('Password').fill('long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(
    page.getByText('An account with this email already exists. Sign in instead.'),
  ).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue('someone_new');
  await context.close();
});

test('an admin promotes a member to agent', async ({ page, browser, baseURL }) => {
  const member = newAccount('promoted');
  const memberContext = await browser.newContext({ baseURL });
  const memberPage = await memberContext.newPage();
  await signUp(memberPage, member);

  await signIn(page, adminAccount);
  await page.goto('/admin/users');
  await page.getByRole('searchbox', { name: 'Search users' }).fill(member.username);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel(`Role of ${member.username}`, { exact: true }).selectOption('agent');
  await page.getByRole('button', { name: `Save role of ${member.username}` }).click();
  await expect(page.getByRole('status')).toHaveText('Role updated to agent.');

  await memberPage.reload();
  await openAccountMenu(memberPage);
  await expect(memberPage.getByText(`Signed in as ${member.username}`)).toContainText('agent');
  await memberContext.close();
});

test('a member opening /admin gets the 403 page', async ({ page }) => {
  await signUp(page, newAccount());
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(403);
  await expect(
    page.getByRole('heading', { name: 'You do not have access to this page' }),
  ).toBeVisible();
});

test('a signed-out visitor opening /admin is asked to sign in and comes back', async ({ page }) => {
  await page.goto('/admin/categories');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fcategories/);
  await page.getByLabel('Email or username').fill(adminAccount.email);
  await page.getByLabel('Password').fill(adminAccount.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Categories' })).toBeVisible();
});

test('a person sees where they are signed in, signs out of the other browser, and that browser is signed out on its next page', async ({
  page,
  browser,
  baseURL,
}) => {
  const account = newAccount();
  await signUp(page, account);
  // The same person on a phone: another browser context with its own cookie and User-Agent.
  const phone = await browser.newContext({
    baseURL,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  });
  try {
    const phonePage = await phone.newPage();
    await signIn(phonePage, account);
    await phonePage.goto('/settings/account');
    await expect(phonePage.getByRole('heading', { name: 'Your account' })).toBeVisible();

    await openAccountMenu(page);
    await page.getByRole('menuitem', { name: 'Where you are signed in' }).click();
    await expect(page.getByRole('heading', { name: 'Where you are signed in' })).toBeVisible();
    const rows = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('This browser');
    await expect(rows.nth(1)).toContainText('Safari on iOS');
    await page.screenshot({
      path: 'test-results/screenshots/settings-security.png',
      fullPage: true,
    });

    await rows.nth(1).getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('status')).toHaveText('Signed out of Safari on iOS.');
    await expect(rows).toHaveCount(1);
    await expect(page.getByText('You are signed in only here.')).toBeVisible();

    await phonePage.goto('/settings/account');
    await expect(phonePage).toHaveURL(/\/login\?redirectTo=%2Fsettings%2Faccount$/);
  } finally {
    await phone.close();
  }
});
