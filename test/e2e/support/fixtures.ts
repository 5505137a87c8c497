import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from './server';

export type Account = { email: string; username: string; password: string };

export const adminAccount: Account = {
  email: 'admin@commons.example',
  username: 'site_admin',
  password: 'admin passphrase 2026',
};

let counter = 0;
/** A new account's details, unique within this run. */
export function newAccount(prefix = 'member'): Account {
  counter += 1;
  const id = `${prefix}${Date.now().toString(36)}${counter}`;
  return { email: `${id}@example.com`, username: id, password: `staple battery horse ${counter}` };
}

/**
 * Each worker gets its own server on an empty database; its first account (the admin) is made
 * before any test runs, so tests never depend on the order they run in.
 */
export const test = base.extend<{ serverLogOnFailure: void }, { server: TestServer }>({
  server: [
    async ({ playwright }, use) => {
      const server = await startTestServer();
      try {
        const api = await playwright.request.newContext({ baseURL: server.url });
        const response = await api.post('/signup', { form: { ...adminAccount }, maxRedirects: 0 });
        expect(response.status(), 'admin account created').toBe(302);
        await api.dispose();
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  // A failed test carries the warnings and errors of the server it ran on (since it started), so a CI failure can be read afterwards.
  serverLogOnFailure: [
    async ({ server }, use, testInfo) => {
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      const lines = server
        .logs()
        .split('\n')
        .filter((line) => /"level":"(warn|error)"|[Mm]eilisearch/.test(line));
      await testInfo.attach('server warnings and errors', {
        body: lines.join('\n') || '(none)',
        contentType: 'text/plain',
      });
    },
    { auto: true },
  ],
});

export { expect };

export async function signUp(page: Page, account: Account) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(accountMenu(page)).toBeVisible();
}

/**
 * Signs up with the form's post alone, then opens the home page: for tests about something else.
 * The page's own form (signUp, and accounts.spec) costs several seconds a person on a loaded
 * machine, and scenario tests with three people ran out of their time in setup.
 */
export async function signUpByPost(page: Page, account: Account) {
  const response = await page
    .context()
    .request.post('/signup', { form: { ...account }, maxRedirects: 0 });
  expect(response.status(), 'signed up').toBe(302);
  await page.goto('/');
  await expect(accountMenu(page)).toBeVisible();
}

export async function signIn(page: Page, account: Pick<Account, 'username' | 'password'>) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(accountMenu(page)).toBeVisible();
}

export async function signOut(page: Page) {
  await openAccountMenu(page);
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

/** The account menu in the header: present only when someone is signed in. */
export function accountMenu(page: Page) {
  return page.getByRole('banner').locator('summary[aria-haspopup="menu"]');
}

export async function openAccountMenu(page: Page) {
  await accountMenu(page).click();
  await expect(page.getByRole('menu', { name: 'Account' })).toBeVisible();
}

/** Signs up a new person in their own browser context, optionally given a role by the admin. */
export async function newPerson(
  browser: Browser,
  baseURL: string | undefined,
  prefix: string,
  role?: 'agent' | 'moderator',
): Promise<{ page: Page; account: Account }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const account = newAccount(prefix);
  await signUpByPost(page, account);
  if (role) {
    const adminContext = await browser.newContext({ baseURL });
    const admin = await adminContext.newPage();
    await signIn(admin, adminAccount);
    await admin.goto(`/admin/users?q=${account.username}`);
    await admin.getByLabel(`Role of ${account.username}`, { exact: true }).selectOption(role);
    await admin.getByRole('button', { name: `Save role of ${account.username}` }).click();
    await expect(admin.getByRole('status')).toHaveText(`Role updated to ${role}.`);
    await adminContext.close();
  }
  return { page, account };
}
