import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createApiToken } from '~/models/api-tokens.server';
import { createSessionCookie } from '~/auth/session.server';
import { getDb } from '~/utils/db.server';
import { action as linksAction } from '~/routes/api.v1.tickets.$id.links';
import { action as createAction } from '~/routes/api.v1.tickets._index';
import { openDatabase } from '#db/client';
import { meilisearchBinary, startLocalMeilisearch } from '#search/local-server';
import { searchContent, searchHealth, stopSearch } from '#search/engine';
import { makeQuestion, makeUser } from '../support/community';
import { settle, testContext } from '../support/requests';
import { startTestSearch, within } from '../support/search';
import { meilisearchesOn } from '../support/processes';

// Each test is named after the finding of the outside probe it covers (issue "Hardening").

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** True once every thread of the process is stopped (state T in /proc). */
function everyThreadStopped(pid: number): boolean {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .every((task) =>
      /^\d+ \(.*\) T /.test(fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8')),
    );
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function apiPost(pathname: string, token: string, body: unknown) {
  return new Request(`http://localhost/api/v1${pathname}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function jsonOf(result: unknown) {
  if (!(result instanceof Response)) throw new Error('API handlers answer with a Response');
  return { status: result.status, body: (await result.json()) as Record<string, unknown> };
}

describe('finding 4: a Meilisearch outlives the server that started it', () => {
  test('kill -9 of its server stops the Meilisearch it started', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-orphan-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/meilisearch-child.ts', dataDir],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const match = /"meilisearchPid":(\d+)/.exec(chunk.toString());
          if (match) resolve(Number(match[1]));
        });
        child.once('exit', () => reject(new Error('the child exited before Meilisearch started')));
      });
      expect(meilisearchesOn(dataDir)).toEqual([pid]);
      // The master key travels in the environment, not on the command line `ps` shows.
      const key = fs.readFileSync(path.join(dataDir, 'meilisearch', 'master-key'), 'utf8');
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(key.trim());
      child.kill('SIGKILL');
      await within(5_000, async () => meilisearchesOn(dataDir).length === 0);
    } finally {
      child.kill('SIGKILL');
      for (const pid of meilisearchesOn(dataDir)) process.kill(pid, 'SIGKILL');
    }
  });

  test('a Meilisearch left running on the data folder is stopped by its pid file before a new one starts', async () => {
    const binary = meilisearchBinary();
    if (!binary) throw new Error('no Meilisearch binary');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-leftover-'));
    const dir = path.join(dataDir, 'meilisearch');
    fs.mkdirSync(dir, { recursive: true });
    // As a server killed with its whole supervisor would leave it: running, detached, owned by
    // nobody, with its pid in the pid file.
    const port = await freePort();
    const leftover = spawn(
      binary,
      [
        '--db-path',
        path.join(dir, 'data.ms'),
        '--http-addr',
        `127.0.0.1:${port}`,
        '--no-analytics',
      ],
      {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, MEILI_MASTER_KEY: 'leftover-key-123456' },
      },
    );
    leftover.unref();
    // An unrelated process whose pid a stale pid file might name must be left alone.
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    let started: Awaited<ReturnType<typeof startLocalMeilisearch>> = null;
    try {
      await within(10_000, async () =>
        fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.ok,
          () => false,
        ),
      );
      expect(meilisearchesOn(dataDir)).toEqual([leftover.pid]);
      fs.writeFileSync(path.join(dir, 'meilisearch.pid'), String(leftover.pid));
      started = await startLocalMeilisearch(dataDir, (...args) =>
        console.log(JSON.stringify(args)),
      );
      expect(started).not.toBeNull();
      expect(meilisearchesOn(dataDir)).toEqual([started?.pid()]);
      expect(started?.pid()).not.toBe(leftover.pid);

      fs.writeFileSync(path.join(dir, 'meilisearch.pid'), String(stranger.pid));
      await started?.stop();
      started = await startLocalMeilisearch(dataDir);
      expect(stranger.exitCode).toBeNull();
      expect(() => process.kill(stranger.pid ?? -1, 0)).not.toThrow();
      expect(meilisearchesOn(dataDir)).toHaveLength(1);
    } finally {
      await started?.stop();
      stranger.kill('SIGKILL');
      for (const pid of meilisearchesOn(dataDir)) process.kill(pid, 'SIGKILL');
    }
  });
  test('a Meilisearch of another data folder on the port is never taken for ours', async () => {
    const theirs = await startLocalMeilisearch(
      fs.mkdtempSync(path.join(os.tmpdir(), 'commons-theirs-')),
    );
    if (!theirs) throw new Error('no Meilisearch binary');
    const port = Number(new URL(theirs.url).port);
    const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-ours-'));
    const messages: string[] = [];
    let ours: Awaited<ReturnType<typeof startLocalMeilisearch>> = null;
    try {
      // Before: /health answered, so the server used the other data folder's Meilisearch,
      // whose key then refused every search.
      ours = await startLocalMeilisearch(ownDir, (_level, message) => messages.push(message), {
        port,
      });
      expect(ours).toBeNull();
      expect(messages).toContain('Meilisearch could not start; search uses SQLite FTS5');
      expect(meilisearchesOn(ownDir)).toEqual([]);
    } finally {
      await ours?.stop();
      await theirs.stop();
    }
  });
});

describe('finding 5: a tickets:write token could read any ticket through a write', () => {
  test('linking with a token that cannot read tickets answers only the id', async () => {
    const admin = await makeUser('admin');
    const both = await createApiToken(getDb(), admin.id, {
      name: 'helpdesk',
      scopes: ['tickets:write', 'read'],
    });
    const writeOnly = await createApiToken(getDb(), admin.id, {
      name: 'linker',
      scopes: ['tickets:write'],
    });
    const requesterEmail = `private${Date.now()}@example.com`;
    const created = await jsonOf(
      await settle(() =>
        createAction({
          request: apiPost('/tickets', both.token, {
            subject: 'Payroll export misses a column',
            body: 'The holiday column is empty since the update.',
            requester: { email: requesterEmail, name: 'Private Person' },
          }),
          params: {},
          context: testContext,
        }),
      ),
    );
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).toContain(requesterEmail);
    const ticketId = Number(created.body.id);
    const thread = await makeQuestion(
      await makeUser(),
      'Holiday column missing from payroll export',
    );

    const linked = await jsonOf(
      await settle(() =>
        linksAction({
          request: apiPost(`/tickets/${ticketId}/links`, writeOnly.token, {
            type: 'thread',
            id: thread,
          }),
          params: { id: String(ticketId) },
          context: testContext,
        }),
      ),
    );
    expect(linked.status).toBe(201);
    expect(linked.body).toEqual({ id: ticketId });
    expect(JSON.stringify(linked.body)).not.toContain(requesterEmail);
  });
});

describe('finding 8: a frozen Meilisearch held up /healthz and searches for 5 s each', () => {
  test('health and search give up on a frozen engine within their timeouts and search answers from FTS5', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-frozen-'));
    const local = await startLocalMeilisearch(dataDir);
    if (!local) throw new Error('no Meilisearch binary');
    const pid = local.pid();
    if (!pid) throw new Error('no Meilisearch pid');
    await startTestSearch(local.url, local.masterKey);
    const thread = await makeQuestion(await makeUser(), 'Frozen search engine fallback check');
    try {
      expect((await searchHealth()).status).toBe('ok');
      process.kill(pid, 'SIGSTOP');
      // NOTE: a signal stops a busy multi-threaded process only when each thread next leaves the
      // kernel; until then a worker thread can still answer. Wait until every thread is stopped.
      await within(5_000, async () => everyThreadStopped(pid));
      const healthStarted = Date.now();
      expect((await searchHealth()).status).toBe('unavailable');
      // The health timeout is 500 ms; before, the client waited 5 s.
      expect(Date.now() - healthStarted).toBeLessThan(2_500);

      const searchStarted = Date.now();
      const results = await searchContent(getDb(), {
        q: 'frozen engine fallback',
        audience: ['public'],
        limit: 10,
        offset: 0,
      });
      expect(Date.now() - searchStarted).toBeLessThan(3_000);
      expect(results.engine).toBe('fts');
      expect(results.hits.map((hit) => hit.key)).toContain(`thread-${thread}`);
    } finally {
      process.kill(pid, 'SIGCONT');
      await stopSearch();
      await local.stop();
    }
  });
});

describe('finding 10: a copy of the database was a set of live sessions, and it was world-readable', () => {
  test('session ids are stored as SHA-256 of the cookie token', async () => {
    const user = await makeUser();
    const cookie = await createSessionCookie(user.id);
    const token = /commons_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(token).not.toBe('');
    const stored = await getDb()
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    const sha256 = (await import('node:crypto')).createHash('sha256').update(token).digest('hex');
    expect(stored.map((row) => row.id)).toEqual([sha256]);
  });

  test('the database and its WAL files are created readable by their owner only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-mode-'));
    const file = path.join(dir, 'commons.db');
    const db = openDatabase(file);
    try {
      await db.schema.createTable('probe').addColumn('id', 'integer').execute();
      for (const suffix of ['', '-wal', '-shm']) {
        expect((fs.statSync(`${file}${suffix}`).mode & 0o777).toString(8), suffix).toBe('600');
      }
    } finally {
      await db.destroy();
    }
  });
});
