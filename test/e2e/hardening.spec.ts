import fs from 'node:fs';
import http from 'node:http';
import { adminAccount, expect, newAccount, signUp, test } from './support/fixtures';
import { startTestServer } from './support/server';
import { meilisearchesOn } from '../support/processes';

// Each test is named after the finding of the outside probe it covers (issue "Hardening").

type RawReply = { status: number; headers: http.IncomingHttpHeaders; bytes: number; text: string };

/** A request as a probe sends it: any method, any Host, any body, without a browser's rules. */
function raw(
  base: string,
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawReply> {
  const url = new URL(pathname, base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            bytes: body.length,
            text: body.toString('utf8'),
          });
        });
      },
    );
    // The server may answer and close before the whole body is sent: that is the point.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (options.body !== undefined) request.end(options.body);
    else request.end();
  });
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString();
}

const formHeaders = (origin: string, extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/x-www-form-urlencoded',
  Origin: origin,
  ...extra,
});

test('finding 1: an oversized form post gets a short 413, and a failed form never echoes more than its fields take', async ({
  baseURL,
}) => {
  const base = baseURL ?? '';
  const huge = `${form({ password: 'x' })}&login=${'a'.repeat(20 * 1024 * 1024)}`;
  const tooLarge = await raw(base, '/login', {
    method: 'POST',
    headers: formHeaders(base),
    body: huge,
  });
  expect(tooLarge.status).toBe(413);
  expect(tooLarge.text).toContain('too large');
  // Before: a 42 MB reply to this 20 MB post.
  expect(tooLarge.bytes).toBeLessThan(4_096);
  expect((await raw(base, '/healthz')).status).toBe(200);

  // Under the body limit, the login field (254 characters) comes back cut to 1,000.
  const underLimit = await raw(base, '/login', {
    method: 'POST',
    headers: formHeaders(base),
    body: form({ login: 'b'.repeat(900_000), password: 'x', stranger: 'c'.repeat(90_000) }),
  });
  expect(underLimit.status).toBe(400);
  expect(underLimit.text).toContain('That is too long.');
  expect(underLimit.bytes).toBeLessThan(60_000);
  expect(underLimit.text).not.toContain('b'.repeat(1_001));
  expect(underLimit.text).not.toContain('ccc');
});

test('finding 2: sign-in never redirects to another host, however the target is disguised', async ({
  page,
  baseURL,
}) => {
  const own = new URL(baseURL ?? '').host;
  for (const disguised of ['/\t/evil.example', '/%09%5Cevil.example', '/.//evil.example']) {
    await page.context().clearCookies();
    await page.goto(`/login?${new URLSearchParams({ redirectTo: disguised })}`);
    await page.getByLabel('Email or username').fill(adminAccount.username);
    await page.getByLabel('Password').fill(adminAccount.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // NOTE: sign-in navigates inside the page; wait until it has left /login, or the next
    // round's clearCookies() can run before the session cookie arrives.
    await expect(page).not.toHaveURL(/\/login/);
    expect(new URL(page.url()).host, disguised).toBe(own);
  }
});

test('finding 4: after kill -9 of the server and a restart, exactly one Meilisearch runs on its data folder', async () => {
  const first = await startTestServer();
  let second: Awaited<ReturnType<typeof startTestServer>> | undefined;
  try {
    expect(meilisearchesOn(first.dataDir)).toHaveLength(1);
    process.kill(first.pid, 'SIGKILL');
    await first.stop({ keepData: true });
    second = await startTestServer({ dataDir: first.dataDir });
    expect(meilisearchesOn(first.dataDir)).toHaveLength(1);
    expect((await raw(second.url, '/healthz')).text).toContain('"ok"');
  } finally {
    await second?.stop();
    await first.stop();
    for (const pid of meilisearchesOn(first.dataDir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(first.dataDir, { recursive: true, force: true });
  }
});

test('finding 6: behind a proxy, forms work when the Host differs from PUBLIC_URL or comes in X-Forwarded-Host', async () => {
  const publicUrl = 'https://help.example.test';
  const server = await startTestServer({ env: { PUBLIC_URL: publicUrl, TRUST_PROXY: 'true' } });
  try {
    const account = newAccount('proxied');
    const signUpReply = await raw(server.url, '/signup', {
      method: 'POST',
      headers: formHeaders(publicUrl, { Host: 'app-1.internal:3000' }),
      body: form({ ...account }),
    });
    expect(signUpReply.status).toBe(302);

    const signInReply = await raw(server.url, '/login', {
      method: 'POST',
      headers: formHeaders('http://help-forwarded.example', {
        Host: 'app-1.internal:3000',
        'X-Forwarded-Host': 'help-forwarded.example',
      }),
      body: form({ login: account.username, password: account.password }),
    });
    expect(signInReply.status).toBe(302);
    expect(signInReply.headers['set-cookie']?.join(';')).toMatch(/commons_session=/);

    const foreign = await raw(server.url, '/login', {
      method: 'POST',
      headers: formHeaders('https://evil.example', { Host: 'app-1.internal:3000' }),
      body: form({ login: account.username, password: account.password }),
    });
    expect(foreign.status).toBe(403);
  } finally {
    await server.stop();
  }
});

test('finding 7: odd but harmless input gets 4xx or a safe redirect, never a 500', async ({
  page,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const trace = await raw(base, '/', { method: 'TRACE' });
  expect(trace.status).toBe(405);
  expect(trace.headers.allow).toContain('GET');

  for (const [redirectTo, location] of [
    ['/\n', '/'],
    ['/ü/日本', '/%C3%BC/%E6%97%A5%E6%9C%AC'],
  ] as const) {
    const reply = await raw(base, '/login', {
      method: 'POST',
      headers: formHeaders(base),
      body: form({ login: adminAccount.username, password: adminAccount.password, redirectTo }),
    });
    expect(reply.status, JSON.stringify(redirectTo)).toBe(302);
    expect(reply.headers.location).toBe(location);
  }

  const account = newAccount('warned');
  await signUp(page, account);
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'commons_session');
  const warnings = await raw(base, '/warnings', {
    method: 'POST',
    headers: formHeaders(base, {
      Referer: 'not a url',
      Cookie: `commons_session=${session?.value ?? ''}`,
    }),
    body: '',
  });
  expect(warnings.status).toBe(302);
  expect(warnings.headers.location).toBe('/');
});

test('finding 9: past the bound on requests in flight the server sheds load with 503 and Retry-After, and /healthz still answers', async () => {
  const server = await startTestServer({ env: { MAX_REQUESTS_IN_FLIGHT: '2' } });
  try {
    const replies = await Promise.all([
      ...Array.from({ length: 40 }, () => raw(server.url, '/questions')),
      raw(server.url, '/healthz'),
    ]);
    const health = replies.pop();
    expect(health?.status).toBe(200);
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    const shed = replies.filter((reply) => reply.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed[0]?.headers['retry-after']).toBe('1');
    expect(shed[0]?.text).toContain('busy');
    // Assets are exempt: the page's own stylesheet loads under the same load.
    const page = (await raw(server.url, '/questions')).text;
    const stylesheet = /href="(\/assets\/[^"]+\.css)"/.exec(page)?.[1];
    expect(stylesheet).toBeTruthy();
    const assets = await Promise.all(
      Array.from({ length: 20 }, () => raw(server.url, stylesheet ?? '/')),
    );
    expect(assets.every((reply) => reply.status === 200)).toBe(true);
  } finally {
    await server.stop();
  }
});
