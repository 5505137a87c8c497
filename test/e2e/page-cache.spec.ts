import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import { adminAccount, expect, newAccount, test, type Account } from './support/fixtures';

type Playwright = PlaywrightWorkerArgs['playwright'];

// The page cache serves a stored page while its versions hold. Each test warms the cache (a
// second read is a hit), changes something, and reads again as the same reader: the change must
// be there on that very request.

async function signedIn(playwright: Playwright, baseURL: string, account: Account, signUp = false) {
  const api = await playwright.request.newContext({ baseURL });
  const response = signUp
    ? await api.post('/signup', { form: { ...account }, maxRedirects: 0 })
    : await api.post('/login', {
        form: { login: account.username, password: account.password },
        maxRedirects: 0,
      });
  expect(response.status(), `${account.username} signed in`).toBe(302);
  return api;
}

async function ask(api: APIRequestContext, title: string, body: string): Promise<string> {
  const response = await api.post('/questions/ask', {
    multipart: { title, body, tags: 'cache', categoryId: '', journeyStage: '' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  return new URL(response.headers()['location'] ?? '', 'http://x').pathname;
}

async function post(api: APIRequestContext, path: string, form: Record<string, string>) {
  const response = await api.post(path, { multipart: form, maxRedirects: 0 });
  expect(response.status(), `${form.intent ?? 'post'} to ${path}`).toBeLessThan(400);
  return response;
}

/** Reads the page twice as one reader; the second read must come from the cache. */
async function warm(reader: APIRequestContext, path: string) {
  await reader.get(path);
  const second = await reader.get(path);
  expect(second.headers()['x-page-cache'], `${path} is served from the cache`).toBe('hit');
  return second;
}

async function readAgain(reader: APIRequestContext, path: string): Promise<APIResponse> {
  const response = await reader.get(path);
  expect(response.headers()['x-page-cache'], 'the change made a new rendering').toBe('miss');
  return response;
}

test.describe('the page cache', () => {
  test('an edit, a new answer, a vote, an accept, a moderation hide and a deletion each reach the next anonymous read', async ({
    playwright,
    baseURL,
  }) => {
    const admin = await signedIn(playwright, baseURL!, adminAccount);
    const member = await signedIn(playwright, baseURL!, newAccount('cachereader'), true);
    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      const path = await ask(
        admin,
        'How do I reconcile a bank feed twice a day?',
        'The feed imports in the morning and again at night; the totals drift apart.',
      );

      await warm(anonymous, path);
      await post(admin, `${path.replace(/\/[^/]*$/, '')}/edit`, {
        title: 'How do I reconcile a bank feed twice a day?',
        body: 'EDITED: the feed imports in the morning and again at night; totals drift.',
        tags: 'cache',
        categoryId: '',
        journeyStage: '',
        reason: 'clearer',
      });
      expect(await (await readAgain(anonymous, path)).text()).toContain('EDITED: the feed');

      await warm(anonymous, path);
      await post(member, path, {
        intent: 'answer',
        body: 'Turn off the morning import and reconcile once at night instead.',
      });
      const answered = await (await readAgain(anonymous, path)).text();
      expect(answered).toContain('Turn off the morning import');
      const answerId = /id="answer-(\d+)"/.exec(answered)?.[1];
      expect(answerId, 'the answer is on the page').toBeTruthy();

      await warm(anonymous, path);
      await post(admin, path, {
        intent: 'vote',
        target: 'post',
        targetId: answerId!,
        direction: 'up',
      });
      expect(await (await readAgain(anonymous, path)).text()).toContain('aria-label="Score 1"');

      await warm(anonymous, path);
      await post(admin, path, { intent: 'accept', postId: answerId! });
      expect(await (await readAgain(anonymous, path)).text()).toContain('Accepted answer');

      await warm(anonymous, path);
      await post(admin, '/mod/queue', {
        intent: 'hide',
        targetType: 'post',
        targetId: answerId!,
        reason: 'testing the cache',
      });
      expect(await (await readAgain(anonymous, path)).text()).not.toContain(
        'Turn off the morning import',
      );

      await warm(anonymous, path);
      await post(admin, path, { intent: 'delete-thread' });
      const deleted = await anonymous.get(path);
      expect(deleted.status()).toBe(404);
    } finally {
      await Promise.all([admin.dispose(), member.dispose(), anonymous.dispose()]);
    }
  });

  test("a member gets a stored copy of their own, never another person's, and staff pages are never stored", async ({
    playwright,
    baseURL,
  }) => {
    const admin = await signedIn(playwright, baseURL!, adminAccount);
    const first = newAccount('cachefirst');
    const second = newAccount('cachesecond');
    const firstApi = await signedIn(playwright, baseURL!, first, true);
    const secondApi = await signedIn(playwright, baseURL!, second, true);
    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      const path = await ask(
        firstApi,
        'Why does the invoice number skip ahead by ten?',
        'After a void, the next invoice number jumps by ten instead of one.',
      );
      // Staff pages show the team's numbers: never stored, and never shown to anyone else.
      for (let read = 0; read < 2; read++) {
        const staff = await admin.get(path);
        expect(staff.headers()['x-page-cache']).toBeUndefined();
        expect(await staff.text()).toContain('For the team');
      }
      const stored = await (await warm(anonymous, path)).text();
      expect(stored).not.toContain('For the team');
      expect(stored).not.toContain('Signed in as');

      for (const [api, account, other] of [
        [firstApi, first, second],
        [secondApi, second, first],
      ] as const) {
        const own = await warm(api, path);
        const html = await own.text();
        expect(own.headers()['cache-control']).toBe('private, no-cache');
        expect(html).toContain(`Signed in as <strong>${account.username}</strong>`);
        expect(html).not.toContain(`Signed in as <strong>${other.username}`);
        expect(html).not.toContain('For the team');
      }
      const anonymousHtml = await (await anonymous.get(path)).text();
      expect(anonymousHtml).not.toContain('Signed in as');

      // An answer notifies the asker: their next read shows it, while the other member's copy
      // changes only by the new answer.
      await post(admin, path, {
        intent: 'answer',
        body: 'Voided invoices keep their numbers; the next one skips them on purpose.',
      });
      const asker = await readAgain(firstApi, path);
      const askerHtml = await asker.text();
      expect(askerHtml).toContain('Notifications, 1 unread');
      expect(askerHtml).toContain('keep their numbers');
      const otherHtml = await (await readAgain(secondApi, path)).text();
      expect(otherHtml).toContain('keep their numbers');
      expect(otherHtml).not.toContain('Notifications, 1 unread');
    } finally {
      await Promise.all([
        admin.dispose(),
        firstApi.dispose(),
        secondApi.dispose(),
        anonymous.dispose(),
      ]);
    }
  });

  test('a repeat visit with the ETag gets 304, and a changed page a new ETag', async ({
    playwright,
    baseURL,
  }) => {
    const admin = await signedIn(playwright, baseURL!, adminAccount);
    const anonymous = await playwright.request.newContext({ baseURL });
    try {
      const path = await ask(
        admin,
        'Can two people approve the same bill at once?',
        'Two approvers clicked approve at the same moment and the bill shows twice.',
      );
      const etag = (await warm(anonymous, path)).headers()['etag'] ?? '';
      expect(etag).toMatch(/^".+"$/);
      const repeat = await anonymous.get(path, { headers: { 'If-None-Match': etag } });
      expect(repeat.status()).toBe(304);
      await post(admin, path, { intent: 'comment', body: 'Which version of the app was it?' });
      const changed = await anonymous.get(path, { headers: { 'If-None-Match': etag } });
      expect(changed.status()).toBe(200);
      expect(changed.headers()['etag']).not.toBe(etag);
    } finally {
      await Promise.all([admin.dispose(), anonymous.dispose()]);
    }
  });
});
