import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '#db/client';
import { copySqliteToPostgres, type CopyResult } from '#db/copy';
import { databaseUrl, onServer } from '#db/dialect';
import { ftsSearch } from '#search/fts';
import { rebuildFallbackIndex } from '#search/reindex';
import { askQuestion } from '~/models/threads.server';
import { seedDemo } from '../../seed/demo';

// The server global-setup.ts started (with a migrated template database), where there is one.
const server = process.env.COMMONS_TEST_POSTGRES_URL;
const dir = String(process.env.COMMONS_TEST_DIR);
const template = String(process.env.COMMONS_TEMPLATE_DB);

const unique = () => crypto.randomUUID().replace(/-/g, '');

/** A migrated, empty SQLite database of this file's own. */
function sqliteFile(name: string): string {
  const file = path.join(dir, `${name}_${unique()}.db`);
  fs.copyFileSync(template, file);
  return file;
}

/** The tables a copy must carry: the source's, without SQLite's, Kysely's and FTS5's own. */
function copiedTables(source: SQLite.Database): { name: string; key: string }[] {
  const names = source
    .prepare<[], { name: string }>(
      `select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'
       and name not like 'kysely\\_%' escape '\\' and name not like 'search\\_fts%' escape '\\'
       order by name`,
    )
    .all()
    .map((row) => row.name);
  return names.map((name) => {
    const key = source
      .prepare<[string], { name: string }>(
        'select name from pragma_table_info(?) where pk > 0 order by pk',
      )
      .all(name)
      .map((column) => `"${column.name}"`)
      .join(', ');
    return { name, key };
  });
}

describe.skipIf(!server)('copying a SQLite installation into PostgreSQL', () => {
  const databases: string[] = [];
  const roles: string[] = [];
  const files: string[] = [];
  let sourceFile: string;
  let target: Database;
  let targetUrl: string;
  let copied: CopyResult;
  const mail = crypto.randomBytes(64 * 1024);
  mail.set([0, 0, 13, 10, 255, 254], 0);

  async function postgresDatabase(fromTemplate: boolean): Promise<string> {
    const name = `copy_${unique()}`;
    databases.push(name);
    await onServer(String(server), [
      `create database ${name}${fromTemplate ? ' template commons_template' : ''}`,
    ]);
    return databaseUrl(String(server), name);
  }

  beforeAll(async () => {
    // The demo community, plus what the demo lacks: received mail (a blob), a thread merged
    // into a later one, and a deleted newest event (SQLite never hands its id out again).
    sourceFile = sqliteFile('demo');
    files.push(sourceFile);
    const db = openDatabase(sourceFile);
    await seedDemo(db);
    await db
      .insertInto('inbound_mail')
      .values({
        received_via: 'smtp',
        envelope_from: 'lena@brightsidebakery.example',
        recipients: '["support@ledgerly.example"]',
        from_address: 'lena@brightsidebakery.example',
        size: mail.length,
        raw: mail,
        outcome: 'held',
        reason: 'bytes that are not text',
        spf: null,
        dkim: null,
        dmarc: null,
        received_at: new Date().toISOString(),
        client_ip: '192.0.2.1',
        client_helo: 'mx.example.com',
      })
      .execute();
    const threads = await db
      .selectFrom('threads')
      .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
      .executeTakeFirstOrThrow();
    await db
      .updateTable('threads')
      .set({ merged_into: threads.last, duplicate_of: threads.last })
      .where('id', '=', threads.first)
      .execute();
    const newestEvent = await db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    await db.deleteFrom('events').where('id', '=', newestEvent.id).execute();
    await db.destroy();

    // A database that is not even migrated yet: the copy migrates it.
    targetUrl = await postgresDatabase(false);
    target = openDatabase(targetUrl, { poolSize: 2 });
    copied = await copySqliteToPostgres({ from: sourceFile, to: target });
    await rebuildFallbackIndex(target);
  }, 120_000);

  afterAll(async () => {
    await target?.destroy();
    if (server)
      await onServer(server, [
        ...databases.map((name) => `drop database if exists ${name} with (force)`),
        ...roles.map((role) => `drop role if exists ${role}`),
      ]);
    for (const file of files)
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  });

  test('every table arrives with as many rows as SQLite holds', async () => {
    const source = new SQLite(sourceFile, { readonly: true });
    try {
      const tables = copiedTables(source);
      expect(tables.length).toBeGreaterThan(50);
      expect(copied.tables.map((count) => count.table).sort()).toEqual(
        tables.map((table) => table.name),
      );
      let total = 0;
      for (const { name } of tables) {
        const inSqlite = source
          .prepare<[], { n: number }>(`select count(*) as n from "${name}"`)
          .get()?.n;
        const counted = await sql<{ n: number }>`select count(*) as n from ${sql.id(name)}`.execute(
          target,
        );
        expect(counted.rows[0]?.n, name).toBe(inSqlite);
        expect(
          copied.tables.find((count) => count.table === name),
          name,
        ).toEqual({
          table: name,
          source: inSqlite,
          target: inSqlite,
        });
        total += inSqlite ?? 0;
      }
      expect(total).toBeGreaterThan(10_000);
      expect(copied.rows).toBe(total);
    } finally {
      source.close();
    }
  });

  test('every row arrives field by field: ids, text, references, page versions, blobs', async () => {
    const source = new SQLite(sourceFile, { readonly: true });
    try {
      for (const { name, key } of copiedTables(source)) {
        const inSqlite = source.prepare(`select * from "${name}" order by ${key}`).all();
        const inPostgres =
          await sql`select * from ${sql.id(name)} order by ${sql.raw(key)}`.execute(target);
        expect(inPostgres.rows, name).toEqual(inSqlite);
      }
    } finally {
      source.close();
    }
    const stored = await target.selectFrom('inbound_mail').select('raw').executeTakeFirstOrThrow();
    expect(Buffer.compare(stored.raw, mail)).toBe(0);
  });

  test('a thread is found by the PostgreSQL search fallback', async () => {
    // A public one: the demo's newest threads are in its private beta category.
    const thread = await target
      .selectFrom('threads')
      .leftJoin('categories', 'categories.id', 'threads.category_id')
      .select(['threads.id', 'threads.title'])
      .where('threads.deleted_at', 'is', null)
      .where('threads.merged_into', 'is', null)
      .where((eb) =>
        eb.or([eb('categories.id', 'is', null), eb('categories.visibility', '=', 'public')]),
      )
      .orderBy('threads.id', 'desc')
      .executeTakeFirstOrThrow();
    const found = await ftsSearch(target, {
      q: thread.title,
      audience: ['public'],
      limit: 10,
      offset: 0,
    });
    expect(found.hits.map((hit) => hit.key)).toContain(`thread-${thread.id}`);
  });

  test('new rows get ids after the copied ones, and after ids SQLite gave to deleted rows', async () => {
    const source = new SQLite(sourceFile, { readonly: true });
    const handedOut = (table: string) =>
      source
        .prepare<[string], { seq: number }>('select seq from sqlite_sequence where name = ?')
        .get(table)?.seq ?? 0;
    const lastThread = handedOut('threads');
    const lastEvent = handedOut('events');
    source.close();
    const ada = await target
      .selectFrom('users')
      .select(['id', 'role'])
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    const asked = await askQuestion(target, ada, {
      title: 'Does the copied help center take new questions?',
      body: 'Asked right after moving to PostgreSQL.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    expect(asked).toMatchObject({ ok: true, id: lastThread + 1 });
    // The triggers paused for the copy are back on.
    const version = await target
      .selectFrom('page_versions')
      .select('version')
      .where('page', '=', `thread:${lastThread + 1}`)
      .executeTakeFirst();
    expect(version).toEqual({ version: 1 });
    const event = await target
      .selectFrom('events')
      .select('id')
      .where('type', '=', 'question_asked')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.id).toBe(lastEvent + 1);
  });

  test('a target that holds data is refused with a clear message; --replace copies over it', () => {
    const copy = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/db-copy.ts',
          '--from',
          sourceFile,
          '--to',
          targetUrl,
          ...extra,
        ],
        { encoding: 'utf8' },
      );
    const refused = copy();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('The target database already holds data (rows in');
    expect(refused.stderr).toContain('pass --replace');

    const replaced = copy('--replace');
    expect(replaced.stderr).toBe('');
    expect(replaced.status).toBe(0);
    expect(replaced.stdout).toMatch(/^threads +(\d+) +\1$/m);
    expect(replaced.stdout).toMatch(/^inbound_mail +1 +1$/m);
    expect(replaced.stdout).toContain('every count matches');
    expect(replaced.stdout).toContain('npm run search:reindex');
  }, 60_000);

  test('a user who does not own the tables copies with the triggers on, and page versions still end as in SQLite', async () => {
    const role = `copier_${unique()}`;
    roles.push(role);
    const url = await postgresDatabase(true);
    await onServer(url, [
      `create role ${role} login`,
      `grant all on all tables in schema public to ${role}`,
      `grant all on all sequences in schema public to ${role}`,
    ]);
    const asCopier = new URL(url);
    asCopier.username = role;
    const into = openDatabase(asCopier.toString(), { poolSize: 1 });
    const logged: string[] = [];
    try {
      const result = await copySqliteToPostgres({
        from: sourceFile,
        to: into,
        log: (message) => logged.push(message),
      });
      expect(logged.join('\n')).toContain('the triggers stay on during the copy');
      expect(result.tables.filter((count) => count.source !== count.target)).toEqual([]);
      const source = new SQLite(sourceFile, { readonly: true });
      const inSqlite = source
        .prepare('select page, version from page_versions order by page')
        .all();
      source.close();
      const inPostgres = await into
        .selectFrom('page_versions')
        .select(['page', 'version'])
        .orderBy('page')
        .execute();
      expect(inPostgres).toEqual(inSqlite);
    } finally {
      await into.destroy();
    }
  }, 60_000);

  test('values PostgreSQL cannot store are named by table, row and column, and nothing is copied', async () => {
    const file = sqliteFile('unstorable');
    files.push(file);
    const db = new SQLite(file);
    const now = new Date().toISOString();
    db.prepare(
      `insert into users (email, username, display_name, reputation, created_at)
       values ('kim@example.com', 'kim', ?, 'plenty', ?)`,
    ).run('Kim\u0000Park', now);
    db.close();
    const into = openDatabase(await postgresDatabase(true), { poolSize: 1 });
    try {
      const copy = copySqliteToPostgres({ from: file, to: into });
      await expect(copy).rejects.toThrow(
        'users row id=1, column display_name: holds a NUL character (at position 3)',
      );
      await expect(copy).rejects.toThrow(
        `users row id=1, column reputation: holds the text "plenty", which PostgreSQL's integer column cannot take`,
      );
      const users = await into.selectFrom('users').select('id').execute();
      expect(users).toEqual([]);
    } finally {
      await into.destroy();
    }
  });

  test('a source with rows that point nowhere, or not fully migrated, is refused', async () => {
    const broken = sqliteFile('broken');
    const behind = sqliteFile('behind');
    files.push(broken, behind);
    const db = new SQLite(broken);
    const now = new Date().toISOString();
    db.pragma('foreign_keys = OFF');
    db.prepare(
      `insert into users (id, email, username, display_name, created_at)
       values (1, 'kim@example.com', 'kim', 'Kim', ?)`,
    ).run(now);
    db.prepare(
      `insert into posts (id, thread_id, author_id, body_md, body_html, created_at, updated_at)
       values (7, 999, 1, 'An answer', '<p>An answer</p>', ?, ?)`,
    ).run(now, now);
    db.close();
    await expect(copySqliteToPostgres({ from: broken, to: target })).rejects.toThrow(
      'posts row 7: thread_id = 999, but threads has no such row',
    );

    const old = new SQLite(behind);
    old.prepare(`delete from kysely_migration where name = '2026_12_14_0900_mail_replies'`).run();
    old.close();
    await expect(copySqliteToPostgres({ from: behind, to: target })).rejects.toThrow(
      /is not fully migrated \(1 pending: 2026_12_14_0900_mail_replies\)/,
    );
  });
});
