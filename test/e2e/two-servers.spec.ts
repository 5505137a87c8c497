import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, test, type PlaywrightWorkerArgs } from '@playwright/test';
import { databaseUrl, onServer } from '../../db/dialect';
import { startLocalMeilisearch, type LocalMeilisearch } from '../../search/local-server';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { adminAccount, newAccount, type Account } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

// Two app servers on one PostgreSQL and one Meilisearch, as behind a load balancer: 20 clients
// write through both for 30 s, each request to the next server in turn. Afterwards every thread
// is in the search index once, every webhook message arrived once, and no outbox holds a row.

type Playwright = PlaywrightWorkerArgs['playwright'];

const clients = 20;
const writeForMs = 30_000;

type Shared = {
  servers: TestServer[];
  token: string;
  threads: { id: number; path: string; author: number }[];
  outcomes: Map<string, number>;
};

/** A webhook endpoint that counts the messages it receives by their id. */
async function startReceiver() {
  const received = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const id = String(request.headers['webhook-id']);
    request.resume();
    request.on('end', () => {
      received.set(id, (received.get(id) ?? 0) + 1);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A word of letters only that no other thread's title has (search splits digits off). */
function codeWord(index: number, step: number): string {
  const letters = (n: number) => [...n.toString(10)].map((digit) => 'bcdfghjklm'[Number(digit)]);
  return `zq${letters(index).join('')}x${letters(step).join('')}`;
}

function tally(outcomes: Map<string, number>, what: string, status: number) {
  const key = `${what} ${status}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

/** One client's 30 seconds: ask, answer, vote and file tickets, each request to the next server. */
async function writeAs(playwright: Playwright, shared: Shared, index: number, account: Account) {
  const api = await playwright.request.newContext();
  let turn = index;
  const next = () => shared.servers[turn++ % shared.servers.length]!.url;
  try {
    const signedUp = await api.post(`${next()}/signup`, { form: account, maxRedirects: 0 });
    expect(signedUp.status(), 'signed up').toBe(302);
    const userId = await makeAgent(account.username);
    const until = Date.now() + writeForMs;
    for (let step = 0; Date.now() < until; step += 1) {
      const others = shared.threads.filter((thread) => thread.author !== userId);
      const other = others[(index * 7 + step) % Math.max(1, others.length)];
      if (step % 4 === 0 || !other) {
        const asked = await api.post(`${next()}/questions/ask`, {
          multipart: {
            title: `Why does the ledger total drift after import ${codeWord(index, step)}?`,
            body: `Client ${index} asks, at step ${step}, why the totals drift after an import.`,
            tags: 'ledger',
            categoryId: '',
            journeyStage: '',
          },
          maxRedirects: 0,
        });
        tally(shared.outcomes, 'ask', asked.status());
        const location = asked.headers()['location'] ?? '';
        const id = Number(/\/questions\/(\d+)/.exec(location)?.[1]);
        if (id)
          shared.threads.push({ id, path: new URL(location, next()).pathname, author: userId });
      } else if (step % 4 === 1) {
        const answered = await api.post(`${next()}${other.path}`, {
          multipart: { intent: 'answer', body: `Client ${index} answers at step ${step}.` },
          maxRedirects: 0,
        });
        tally(shared.outcomes, 'answer', answered.status());
      } else if (step % 4 === 2) {
        const voted = await api.post(`${next()}${other.path}`, {
          form: { intent: 'vote', target: 'thread', targetId: String(other.id), direction: 'up' },
          maxRedirects: 0,
        });
        tally(shared.outcomes, 'vote', voted.status());
      } else {
        const filed = await api.post(`${next()}/api/v1/tickets`, {
          headers: { Authorization: `Bearer ${shared.token}` },
          data: {
            subject: `Client ${index} ticket ${step}`,
            body: 'The invoice run stopped halfway; please look.',
            requester: { email: `customer${index}@example.com` },
          },
        });
        tally(shared.outcomes, 'ticket', filed.status());
      }
    }
  } finally {
    await api.dispose();
  }
}

let database: pg.Pool;

async function count(query: string): Promise<number> {
  const { rows } = await database.query<{ n: string }>(query);
  return Number(rows[0]?.n);
}

async function makeAgent(username: string): Promise<number> {
  const { rows } = await database.query<{ id: number }>(
    `update users set role = 'agent' where username = $1 returning id`,
    [username],
  );
  return rows[0]!.id;
}

/** Waits until `done` holds, polling. */
async function eventually(what: string, done: () => Promise<boolean>, withinMs = 60_000) {
  const deadline = Date.now() + withinMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still not settled after ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('two app servers on one PostgreSQL and one Meilisearch: 20 clients for 30 s, each write indexed, delivered and sent once', async ({
  playwright,
  browser,
}) => {
  test.setTimeout(240_000);
  const cleanups: (() => Promise<unknown>)[] = [];
  const servers: TestServer[] = [];
  let postgres: TestPostgres | null = null;
  try {
    postgres = await startTestPostgres();
    if (!postgres && process.env.COMMONS_TEST_REQUIRE_POSTGRES)
      throw new Error('COMMONS_TEST_REQUIRE_POSTGRES is set but this machine has no PostgreSQL');
    test.skip(!postgres, 'no PostgreSQL on this machine');
    if (!postgres) return;
    const server = postgres;
    cleanups.push(() => server.stop());
    await onServer(server.url, ['create database two_servers']);
    const url = databaseUrl(server.url, 'two_servers');
    database = new pg.Pool({ connectionString: url, max: 4 });
    cleanups.push(() => database.end());

    const meiliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-meili-'));
    const meili: LocalMeilisearch | null = await startLocalMeilisearch(meiliDir);
    cleanups.push(async () => {
      await meili?.stop();
      fs.rmSync(meiliDir, { recursive: true, force: true });
    });
    if (!meili) throw new Error('the bundled Meilisearch did not start');
    const receiver = await startReceiver();
    cleanups.push(receiver.stop);

    const env = {
      DATABASE_URL: url,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      LOG_REQUESTS: 'false',
      // Twenty clients may all reach one server at a moment; a proxy would spread them.
      MAX_REQUESTS_IN_FLIGHT: '40',
    };
    for (let i = 0; i < 2; i += 1) {
      const started = await startTestServer({ env });
      cleanups.push(() => started.stop());
      servers.push(started);
    }

    // The admin (the first account, signed in by signing up) makes the webhook and an API
    // token on the first server.
    const context = await browser.newContext({ baseURL: servers[0]!.url });
    cleanups.push(() => context.close());
    const admin = await context.newPage();
    const signup = await admin.request.post('/signup', { form: adminAccount, maxRedirects: 0 });
    expect(signup.status()).toBe(302);
    await admin.goto('/admin/webhooks');
    await admin.getByLabel('URL').fill(receiver.url);
    for (const event of ['ticket.created', 'thread.answered'])
      await admin.locator(`input[name="events"][value="${event}"]`).check();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(admin.getByText(receiver.url).first()).toBeVisible();
    await admin.goto('/admin/api-tokens');
    await admin.getByLabel('Name').fill('Load test');
    await admin.getByRole('checkbox', { name: /^tickets:write/ }).check();
    await admin.getByRole('button', { name: 'Create token' }).click();
    const token = (await admin.getByTestId('new-token').innerText()).trim();
    const shared: Shared = { servers, token, threads: [], outcomes: new Map() };
    await Promise.all(
      Array.from({ length: clients }, (_, index) =>
        writeAs(playwright, shared, index, newAccount(`load${index}x`)),
      ),
    );
    const outcomes = Object.fromEntries(shared.outcomes);
    console.log('writes through two servers:', JSON.stringify(outcomes));
    const statuses = [...shared.outcomes.keys()].map((key) => key.split(' ')[1]);
    expect(
      statuses.every((status) => ['200', '201', '302'].includes(status!)),
      JSON.stringify(outcomes),
    ).toBe(true);
    expect(shared.threads.length).toBeGreaterThan(40);
    // Nothing is left in any outbox, and nothing is stuck mid-claim.
    await eventually(
      'search outbox',
      async () => (await count('select count(*) as n from search_outbox')) === 0,
    );
    await eventually(
      'webhook deliveries',
      async () =>
        (await count(
          `select count(*) as n from webhook_deliveries where status <> 'delivered'`,
        )) === 0,
    );
    await eventually(
      'mail outbox',
      async () =>
        (await count(
          `select count(*) as n from mail_outbox where status in ('queued', 'sending')`,
        )) === 0,
    );
    // Every webhook message arrived exactly once.
    const { rows: deliveries } = await database.query<{ message_id: string; event_type: string }>(
      'select message_id, event_type from webhook_deliveries',
    );
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.filter((row) => row.event_type === 'ticket.created').length).toBe(
      shared.outcomes.get('ticket 201'),
    );
    expect(receiver.received.size).toBe(deliveries.length);
    for (const row of deliveries)
      expect(receiver.received.get(row.message_id), row.message_id).toBe(1);

    // Every mail was sent once: one file per sent mail across both servers' mail folders.
    const sent = await count(`select count(*) as n from mail_outbox where status = 'sent'`);
    const files = servers
      .map((one) => path.join(one.dataDir, 'mail'))
      .filter((folder) => fs.existsSync(folder))
      .flatMap((folder) => fs.readdirSync(folder).filter((name) => name.endsWith('.eml')));
    expect(files.length).toBe(sent);

    // No vote was lost between the servers: each score is the sum of its votes.
    expect(
      await count(`select count(*) as n from threads t where t.score <>
        (select coalesce(sum(value), 0) from votes v where v.target_type = 'thread' and v.target_id = t.id)`),
    ).toBe(0);
    // Every thread is in Meilisearch once, and the search finds each of a sample by its title.
    const headers = { Authorization: `Bearer ${meili.masterKey}` };
    await eventually('Meilisearch tasks', async () => {
      const response = await fetch(`${meili.url}/tasks?statuses=enqueued,processing&limit=1`, {
        headers,
      });
      return ((await response.json()) as { total: number }).total === 0;
    });
    const documents = (await (
      await fetch(`${meili.url}/indexes/threads/documents?fields=id&limit=100000`, { headers })
    ).json()) as { results: { id: number }[] };
    const indexed = documents.results.map((document) => Number(document.id)).sort((a, b) => a - b);
    const { rows: threads } = await database.query<{ id: number; title: string }>(
      'select id, title from threads where deleted_at is null order by id',
    );
    expect(indexed).toEqual(threads.map((thread) => thread.id));
    const reader = await playwright.request.newContext();
    cleanups.push(() => reader.dispose());
    for (const thread of threads.filter((_, index) => index % 10 === 0)) {
      const code = /zq\w+/.exec(thread.title)?.[0] ?? thread.title;
      const response = await reader.get(`${servers[1]!.url}/api/v1/search?q=${code}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status()).toBe(200);
      const { engine, hits } = (await response.json()) as {
        engine: string;
        hits: { type: string; id: number }[];
      };
      expect(engine).toBe('meilisearch');
      expect(
        hits.filter((hit) => hit.type === 'thread' && hit.id === thread.id),
        code,
      ).toHaveLength(1);
    }
  } catch (error) {
    // What the servers warned about is what explains a failure here (a deadlock, a lost claim).
    for (const [index, one] of servers.entries()) {
      const lines = one
        .logs()
        .split('\n')
        .filter((line) => /"level":"(warn|error)"|error:|detail:/.test(line));
      await test.info().attach(`server ${index + 1} warnings and errors`, {
        body: lines.join('\n') || '(none)',
        contentType: 'text/plain',
      });
    }
    throw error;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
});
