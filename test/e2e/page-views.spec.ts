import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type PlaywrightWorkerArgs } from '@playwright/test';
import { adminAccount } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

type Playwright = PlaywrightWorkerArgs['playwright'];

// Views are counted in memory and written in batches. These tests run their own server, so they
// can stop it and read its database afterwards.

function viewsOf(server: TestServer, threadId: number): number {
  const db = new Database(path.join(server.dataDir, 'commons.db'), { readonly: true });
  try {
    const row = db.prepare('select views from threads where id = ?').get(threadId) as
      { views: number } | undefined;
    return row?.views ?? -1;
  } finally {
    db.close();
  }
}

async function askAsAdmin(server: TestServer, playwright: Playwright) {
  const api = await playwright.request.newContext({ baseURL: server.url });
  try {
    const signup = await api.post('/signup', { form: { ...adminAccount }, maxRedirects: 0 });
    expect(signup.status()).toBe(302);
    const asked = await api.post('/questions/ask', {
      multipart: {
        title: 'Where do I see how often a question was read?',
        body: 'Every question shows a view count; how is it counted for readers?',
        tags: 'views',
        categoryId: '',
        journeyStage: '',
      },
      maxRedirects: 0,
    });
    expect(asked.status()).toBe(302);
    const location = new URL(asked.headers()['location'] ?? '', server.url).pathname;
    return { path: location, id: Number(/\/questions\/(\d+)/.exec(location)?.[1]) };
  } finally {
    await api.dispose();
  }
}

/** `count` anonymous readers (told apart by their browser) each read the page once. */
async function readAs(
  playwright: Playwright,
  server: TestServer,
  pagePath: string,
  readers: string[],
) {
  const api = await playwright.request.newContext({ baseURL: server.url });
  try {
    for (const reader of readers) {
      const response = await api.get(pagePath, {
        headers: { 'User-Agent': `Mozilla/5.0 (X11; Linux x86_64) Reader/${reader}` },
      });
      expect(response.status()).toBe(200);
      expect(response.headers()['set-cookie'], 'a plain read sets no cookie').toBeUndefined();
    }
  } finally {
    await api.dispose();
  }
}

test('views counted in memory reach the database within the interval', async ({ playwright }) => {
  const server = await startTestServer({ env: { VIEW_COUNT_SECONDS: '0.5' } });
  try {
    const thread = await askAsAdmin(server, playwright);
    await readAs(playwright, server, thread.path, ['a', 'b', 'c', 'a']);
    // Three readers: the second read by "a" within the hour does not count again.
    await expect.poll(() => viewsOf(server, thread.id), { timeout: 5_000 }).toBe(3);
  } finally {
    await server.stop();
  }
});

test('a clean SIGTERM writes every view still held in memory', async ({ playwright }) => {
  // An interval far longer than the test: only the shutdown can write these views.
  const server = await startTestServer({ env: { VIEW_COUNT_SECONDS: '3600' } });
  try {
    const thread = await askAsAdmin(server, playwright);
    await readAs(playwright, server, thread.path, ['d', 'e', 'f', 'g', 'h']);
    expect(viewsOf(server, thread.id), 'nothing written before the shutdown').toBe(0);
    await server.stop({ keepData: true });
    expect(server.exitCode()).toBe(0);
    expect(viewsOf(server, thread.id)).toBe(5);
  } finally {
    // Already stopped above unless a step failed; this removes its data directory.
    await server.stop();
  }
});
