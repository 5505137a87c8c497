import { adminAccount, expect, newAccount, signUp, test } from './support/fixtures';
import { startTestServer } from './support/server';

test('a POST from another origin is refused with 403', async ({ request }) => {
  const foreign = await request.post('/login', {
    form: { login: adminAccount.username, password: adminAccount.password },
    headers: { Origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(foreign.status()).toBe(403);
  expect(await foreign.text()).toContain('came from another website');
  expect(foreign.headers()['set-cookie']).toBeUndefined();

  const crossSite = await request.post('/logout', {
    headers: { 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  });
  expect(crossSite.status()).toBe(403);
});

test('a POST from our own pages is accepted', async ({ request, baseURL }) => {
  const sameOrigin = await request.post('/login', {
    form: { login: adminAccount.username, password: adminAccount.password },
    headers: { Origin: baseURL ?? '' },
    maxRedirects: 0,
  });
  expect(sameOrigin.status()).toBe(302);
  expect(sameOrigin.headers()['set-cookie']).toMatch(/commons_session=.+; .*HttpOnly/i);
  expect(sameOrigin.headers()['set-cookie']).toMatch(/SameSite=Lax/i);
});

test('/healthz answers 200 with JSON naming the database status', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  const health = await response.json();
  expect(health, JSON.stringify(health)).toMatchObject({
    status: 'ok',
    database: { status: 'ok' },
    search: { status: 'ok' },
  });
});

test('pages carry security headers and a script policy with a nonce', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // The app still hydrates under the policy: client-side navigation works.
  await page.getByRole('link', { name: 'Sign up' }).click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
});

test('hashed assets are cached for a year and compressed', async ({ page, request }) => {
  await page.goto('/');
  const stylesheet = await page.locator('link[rel="stylesheet"]').first().getAttribute('href');
  expect(stylesheet).toMatch(/^\/assets\/.+-[\w-]{8}\.css$/);
  const response = await request.get(stylesheet ?? '', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(response.headers()['content-encoding']).toBe('gzip');
});

test('the 11th wrong password within 15 minutes is refused, also after a restart', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const first = await startTestServer();
  let second: Awaited<ReturnType<typeof startTestServer>> | undefined;
  try {
    const account = newAccount('lockout');
    await page.goto(first.url);
    await signUp(page, { ...account });
    const visitor = await (await browser.newContext()).newPage();
    const tryPassword = async (baseUrl: string, password: string) => {
      await visitor.goto(`${baseUrl}/login`);
      await visitor.getByLabel('Email or username').fill(account.username);
      await visitor.getByLabel('Password').fill(password);
      await visitor.getByRole('button', { name: 'Sign in' }).click();
      return (await visitor.getByRole('alert').textContent()) ?? '';
    };
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(await tryPassword(first.url, `wrong guess ${attempt}`)).toMatch(
        /do not match an account/,
      );
    }
    // Same data directory, new process: the failures are remembered.
    await first.stop({ keepData: true });
    second = await startTestServer({ dataDir: first.dataDir });
    expect(await tryPassword(second.url, 'wrong guess 11')).toMatch(
      /Too many failed sign-in attempts.*try again in 1[45] minutes/,
    );
    expect(await tryPassword(second.url, account.password)).toMatch(
      /Too many failed sign-in attempts/,
    );
  } finally {
    await second?.stop();
    await first.stop();
  }
});

test('request logs are JSON lines without passwords or session tokens, and SIGTERM stops cleanly', async ({
  request,
}) => {
  const server = await startTestServer();
  try {
    const account = newAccount('logged');
    const signUpResponse = await request.post(`${server.url}/signup?token=secret-in-query`, {
      form: { ...account },
      maxRedirects: 0,
    });
    expect(signUpResponse.status()).toBe(302);
    const sessionToken = /commons_session=([^;]+)/.exec(
      signUpResponse.headers()['set-cookie'] ?? '',
    )?.[1];
    expect(sessionToken).toBeTruthy();
    await request.get(`${server.url}/`, { headers: { Cookie: `commons_session=${sessionToken}` } });

    await server.stop({ keepData: true });
    expect(server.exitCode()).toBe(0);
    const lines = server
      .logs()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    const entries = lines.map((line) => JSON.parse(line) as { message: string; path?: string });
    expect(
      entries.filter((entry) => entry.message === 'request').map((entry) => entry.path),
    ).toEqual(['/signup', '/']);
    expect(entries.at(-1)?.message).toBe('stopped');
    const everything = server.logs();
    expect(everything).not.toContain(account.password);
    expect(everything).not.toContain(sessionToken);
    expect(everything).not.toContain('secret-in-query');
  } finally {
    await server.stop();
  }
});
