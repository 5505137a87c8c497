import { expect, test, type Browser, type Page } from '@playwright/test';
import { accountMenu, openAccountMenu, signIn } from './support/fixtures';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider';
import { startTestServer, type TestServer } from './support/server';

/**
 * Sign-in with OpenID Connect against a real provider started here (oidc-provider on a free
 * port), configured the way an automated install does it: OIDC_ISSUER and friends.
 */

let idp: TestIdentityProvider;
let app: TestServer;
const admin = {
  email: 'admin@commons.example',
  username: 'site_admin',
  password: 'admin passphrase 2026',
};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  idp = await startIdentityProvider();
  try {
    app = await startTestServer({
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_LABEL: 'Sign in with Test SSO',
      },
    });
    idp.registerClient([`${app.url}/auth/sso/callback`, `${app.url}/auth/partners/callback`]);
    const api = await playwright.request.newContext({ baseURL: app.url });
    const response = await api.post('/signup', { form: admin, maxRedirects: 0 });
    expect(response.status(), 'admin account created').toBe(302);
    await api.dispose();
  } catch (error) {
    await idp.stop();
    throw error;
  }
});

test.afterAll(async () => {
  await app?.stop();
  await idp?.stop();
});

/** A browser of its own (no session at the provider yet), on the app's sign-in page. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.url });
  const page = await context.newPage();
  await page.goto('/login');
  return page;
}

/** Signs in at the provider's own pages (any password: its development login) and consents. */
async function signInAtProvider(page: Page, login: string) {
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('whatever the provider wants');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('the first sign-in creates the account with the provider’s name and email', async ({
  browser,
}) => {
  idp.accounts.set('grace', { email: 'grace@example.com', name: 'Grace Hopper' });
  const page = await freshPage(browser);
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await signInAtProvider(page, 'grace');
  await expect(page).toHaveURL(`${app.url}/`);
  await openAccountMenu(page);
  await expect(page.getByText('Signed in as grace')).toContainText('member');
  await page.goto('/settings/account');
  await expect(page.getByText('grace@example.com').first()).toBeVisible();
  await page.goto('/users/grace');
  await expect(page.getByRole('heading', { name: 'Grace Hopper' })).toBeVisible();
  await page.context().close();
});

test('the next sign-in reuses the account, and both are in the audit log', async ({ browser }) => {
  const again = await freshPage(browser);
  await again.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await signInAtProvider(again, 'grace');
  await expect(again).toHaveURL(`${app.url}/`);
  await openAccountMenu(again);
  await expect(again.getByText('Signed in as grace')).toBeVisible();
  await again.context().close();

  // Both sign-ins are in the audit log, with the provider that vouched.
  const adminPage = await freshPage(browser);
  await signIn(adminPage, admin);
  await adminPage.goto('/mod/log?action=sign_in&actor=grace');
  await expect(adminPage.getByRole('row').filter({ hasText: 'signed in with sso' })).toHaveCount(2);
  await adminPage.context().close();
});

/**
 * Walks a sign-in through the provider at the HTTP level, in the page's own cookie jar, and
 * returns the address the provider sends the browser back to, unvisited: so a test can change it
 * (or let it age) before the browser opens it. `changeRequest` alters the request to the provider.
 */
async function answerFromProvider(
  page: Page,
  login: string,
  changeRequest: (url: URL) => void = () => {},
): Promise<URL> {
  const http = page.context().request;
  let response = await http.post(`${app.url}/auth/sso`, {
    form: { redirectTo: '/' },
    maxRedirects: 0,
  });
  const authorization = new URL(response.headers().location ?? '');
  changeRequest(authorization);
  response = await http.get(authorization.toString(), { maxRedirects: 0 });
  for (let step = 0; step < 12; step += 1) {
    const location = response.headers().location;
    if (location) {
      const next = new URL(location, response.url());
      if (next.toString().startsWith(`${app.url}/auth/sso/callback`)) return next;
      response = await http.get(next.toString(), { maxRedirects: 0 });
      continue;
    }
    // The provider's development pages: a login form, then a consent form.
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    expect(action, `a form at the provider: ${html.slice(0, 300)}`).toBeTruthy();
    const form: Record<string, string> = { prompt: prompt ?? '' };
    if (prompt === 'login') Object.assign(form, { login, password: 'any password' });
    response = await http.post(new URL(action!, response.url()).toString(), {
      form,
      maxRedirects: 0,
    });
  }
  throw new Error('The provider never sent the browser back.');
}

test('a tampered state ends on a clear page, not a 500', async ({ browser }) => {
  idp.accounts.set('ada', { email: 'ada@example.com', name: 'Ada Lovelace' });
  const page = await freshPage(browser);
  const callback = await answerFromProvider(page, 'ada');
  callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
  const response = await page.goto(callback.toString());
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Sign-in could not be verified' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText(
    'does not belong to the sign-in this browser started',
  );
  await expect(accountMenu(page)).toHaveCount(0);
  await page.context().close();
});

test('a tampered nonce ends on a clear page', async ({ browser }) => {
  const page = await freshPage(browser);
  const callback = await answerFromProvider(page, 'ada', (authorization) =>
    authorization.searchParams.set('nonce', 'a-nonce-this-browser-never-sent'),
  );
  const response = await page.goto(callback.toString());
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Sign-in could not be verified' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('nonce');
  await expect(accountMenu(page)).toHaveCount(0);
  await page.context().close();
});

test('an expired code ends on a clear page, and so does the same answer used twice', async ({
  browser,
}) => {
  const page = await freshPage(browser);
  idp.expireNextCode();
  const callback = await answerFromProvider(page, 'ada');
  await new Promise((resolve) => setTimeout(resolve, 2_100)); // the code lived one second
  const response = await page.goto(callback.toString());
  expect(response?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'This sign-in expired' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('expired or was already used');
  // Opening the same answer again: this browser's sign-in is spent.
  await page.goto(callback.toString());
  await expect(page.getByRole('heading', { name: 'Sign-in expired' })).toBeVisible();
  await expect(accountMenu(page)).toHaveCount(0);
  await page.context().close();
});

test('an existing account is linked only after its owner proves it with the password', async ({
  browser,
}) => {
  const owner = {
    email: 'linus@example.com',
    username: 'linus',
    password: 'a long passphrase here',
  };
  const setup = await browser.newContext({ baseURL: app.url });
  expect((await setup.request.post('/signup', { form: owner, maxRedirects: 0 })).status()).toBe(
    302,
  );
  await setup.close();
  idp.accounts.set('linus-at-idp', { email: owner.email, name: 'Linus T.' });

  const page = await freshPage(browser);
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await signInAtProvider(page, 'linus-at-idp');
  await expect(page).toHaveURL(/\/login\?link=sso/);
  await expect(page.getByRole('status')).toContainText('matches an account here');
  // Not signed in, and no account was made for the provider's person.
  await expect(accountMenu(page)).toHaveCount(0);
  await page.getByLabel('Email or username').fill(owner.username);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await openAccountMenu(page);
  await expect(page.getByText('Signed in as linus')).toBeVisible();
  await page.context().close();

  // From now on the provider signs the owner straight in.
  const later = await freshPage(browser);
  await later.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await signInAtProvider(later, 'linus-at-idp');
  await expect(later).toHaveURL(`${app.url}/`);
  await openAccountMenu(later);
  await expect(later.getByText('Signed in as linus')).toBeVisible();
  await later.context().close();
});

test('an admin adds a provider: a wrong issuer is refused, and a domain not allowed cannot sign in', async ({
  browser,
}) => {
  const page = await freshPage(browser);
  await signIn(page, admin);
  await page.goto('/admin/sign-in');
  await expect(page.getByRole('cell', { name: /Sign in with Test SSO/ })).toBeVisible();
  const form = page.locator('form').filter({ has: page.getByLabel('Issuer URL') });
  await form.getByLabel('Button label').fill('Partners');
  await form.getByLabel('Short name').fill('partners');
  // The provider calls itself 127.0.0.1; "localhost" is another issuer to OpenID.
  await form.getByLabel('Issuer URL').fill(idp.issuer.replace('127.0.0.1', 'localhost'));
  await form.getByLabel('Client id').fill(idp.clientId);
  await form.getByLabel('Client secret').fill(idp.clientSecret);
  await form.getByLabel('Allowed email domains (optional)').fill('example.org');
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByText('names a different issuer')).toBeVisible();
  // What was typed is kept; the issuer is corrected and the provider saved.
  await expect(form.getByLabel('Button label')).toHaveValue('Partners');
  await form.getByLabel('Issuer URL').fill(idp.issuer);
  await form.getByLabel('Client secret').fill(idp.clientSecret);
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByRole('cell', { name: /^Partners http/ })).toBeVisible();
  await expect(page.getByText(`${app.url}/auth/partners/callback`)).toBeVisible();
  await page.context().close();

  idp.accounts.set('outsider', { email: 'outsider@example.com', name: 'Out Sider' });
  const outsider = await freshPage(browser);
  await outsider.getByRole('button', { name: 'Partners' }).click();
  await signInAtProvider(outsider, 'outsider');
  await expect(
    outsider.getByRole('heading', { name: 'This address is not allowed' }),
  ).toBeVisible();
  await expect(outsider.getByRole('alert')).toContainText('only addresses at example.org');
  await outsider.context().close();
});
