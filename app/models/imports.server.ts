import type { Database } from '#db/client';
import { threadSlug } from './threads.server';
import { setThreadTags } from './tags.server';
import { touchSearch } from '#search/outbox';
import { renderMarkdown } from '~/utils/markdown.server';

export type ImportedThread = {
  title: string;
  bodyMd: string;
  authorId: number;
  tags?: string[];
  createdAt?: Date;
  answers: { bodyMd: string; authorId: number; accepted?: boolean; score?: number }[];
};

/**
 * Brings in a thread that was written elsewhere (an import, a benchmark corpus): stored and
 * indexed like any other, without the checks, notifications and events of a live question.
 */
export async function importThread(db: Database, thread: ImportedThread): Promise<number> {
  const at = (thread.createdAt ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('threads')
      .values({
        title: thread.title,
        slug: threadSlug(thread.title),
        body_md: thread.bodyMd,
        body_html: renderMarkdown(thread.bodyMd).html,
        author_id: thread.authorId,
        category_id: null,
        journey_stage: null,
        answer_count: thread.answers.length,
        created_at: at,
        updated_at: at,
        last_activity_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let accepted: number | null = null;
    for (const answer of thread.answers) {
      const post = await trx
        .insertInto('posts')
        .values({
          thread_id: created.id,
          author_id: answer.authorId,
          body_md: answer.bodyMd,
          body_html: renderMarkdown(answer.bodyMd).html,
          score: answer.score ?? 0,
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (answer.accepted) accepted = post.id;
    }
    if (accepted)
      await trx
        .updateTable('threads')
        .set({ accepted_post_id: accepted, status: 'answered' })
        .where('id', '=', created.id)
        .execute();
    await setThreadTags(trx, created.id, thread.tags ?? [], new Date(at));
    await touchSearch(trx, 'thread', created.id);
    return created.id;
  });
}

export type ContentOrigin = {
  url: string;
  site: string;
  authorName: string | null;
  license: string | null;
};

export type LinkedThread = { id: number; slug: string; title: string };

export type ThreadOrigin = {
  /** Where the question was first asked, for the attribution its licence requires. */
  thread: ContentOrigin | null;
  answers: Record<string, ContentOrigin>;
  /** Imported comments, by comment id. */
  comments: Record<string, ContentOrigin>;
  /** Questions this one duplicates. */
  duplicateOf: LinkedThread[];
  /** Questions closed as duplicates of this one. */
  duplicates: LinkedThread[];
  /** Questions linked from or to this one. */
  linked: LinkedThread[];
};

/** "cardano.stackexchange.com" as "Cardano Stack Exchange"; other hosts as themselves. */
export function siteNameOf(url: string): string {
  const host = new URL(url).host;
  const match = /^(.+?)(\.meta)?\.stackexchange\.com$/.exec(host);
  if (!match) return host;
  const words = (match[1] ?? '')
    .split(/[.-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${words.join(' ')}${match[2] ? ' Meta' : ''} Stack Exchange`;
}

function originOf(record: {
  url: string | null;
  author_name: string | null;
  license: string | null;
}): ContentOrigin | null {
  if (!record.url) return null;
  return {
    url: record.url,
    site: siteNameOf(record.url),
    authorName: record.author_name,
    license: record.license,
  };
}

/** Threads linked with this one, both ways, leaving out deleted ones. */
async function linksOfThread(db: Database, threadId: number) {
  const [outgoing, incoming] = await Promise.all([
    db
      .selectFrom('thread_links')
      .innerJoin('threads', 'threads.id', 'thread_links.linked_thread_id')
      .select(['threads.id', 'threads.slug', 'threads.title', 'thread_links.relation'])
      .where('thread_links.thread_id', '=', threadId)
      .where('threads.deleted_at', 'is', null)
      .orderBy('threads.score', 'desc')
      .limit(30)
      .execute(),
    db
      .selectFrom('thread_links')
      .innerJoin('threads', 'threads.id', 'thread_links.thread_id')
      .select(['threads.id', 'threads.slug', 'threads.title', 'thread_links.relation'])
      .where('thread_links.linked_thread_id', '=', threadId)
      .where('threads.deleted_at', 'is', null)
      .orderBy('threads.score', 'desc')
      .limit(30)
      .execute(),
  ]);
  const plain = ({ id, slug, title }: LinkedThread) => ({ id, slug, title });
  const duplicateOf = outgoing.filter((link) => link.relation === 'duplicate').map(plain);
  const duplicates = incoming.filter((link) => link.relation === 'duplicate').map(plain);
  const shown = new Set([...duplicateOf, ...duplicates].map((thread) => thread.id));
  const linked: LinkedThread[] = [];
  for (const link of [...outgoing, ...incoming]) {
    if (link.relation !== 'related' || shown.has(link.id)) continue;
    shown.add(link.id);
    linked.push(plain(link));
  }
  return { duplicateOf, duplicates, linked };
}

/** Where a thread and its answers came from, and the threads it is linked with. */
export async function originOfThread(
  db: Database,
  threadId: number,
  answerIds: number[],
): Promise<ThreadOrigin> {
  const [threadRecord, answerRecords, commentRecords, links, duplicateColumn] = await Promise.all([
    db
      .selectFrom('import_records')
      .select(['url', 'author_name', 'license'])
      .where('kind', '=', 'thread')
      .where('local_id', '=', threadId)
      .executeTakeFirst(),
    answerIds.length
      ? db
          .selectFrom('import_records')
          .select(['local_id', 'url', 'author_name', 'license'])
          .where('kind', '=', 'post')
          .where('local_id', 'in', answerIds)
          .execute()
      : [],
    db
      .selectFrom('import_records')
      .innerJoin('comments', 'comments.id', 'import_records.local_id')
      .select([
        'import_records.local_id',
        'import_records.url',
        'import_records.author_name',
        'import_records.license',
      ])
      .where('import_records.kind', '=', 'comment')
      .where('comments.thread_id', '=', threadId)
      .execute(),
    linksOfThread(db, threadId),
    db
      .selectFrom('threads as t')
      .innerJoin('threads as original', 'original.id', 't.duplicate_of')
      .select(['original.id', 'original.slug', 'original.title'])
      .where('t.id', '=', threadId)
      .where('original.deleted_at', 'is', null)
      .executeTakeFirst(),
  ]);
  const answers: Record<string, ContentOrigin> = {};
  for (const record of answerRecords) {
    const origin = originOf(record);
    if (origin) answers[String(record.local_id)] = origin;
  }
  const comments: Record<string, ContentOrigin> = {};
  for (const record of commentRecords) {
    const origin = originOf(record);
    if (origin) comments[String(record.local_id)] = origin;
  }
  const duplicateOf = links.duplicateOf;
  if (duplicateColumn && !duplicateOf.some((thread) => thread.id === duplicateColumn.id))
    duplicateOf.unshift(duplicateColumn);
  return {
    thread: threadRecord ? originOf(threadRecord) : null,
    answers,
    comments,
    duplicateOf,
    duplicates: links.duplicates,
    linked: links.linked,
  };
}

/** The score an imported question or answer brought with it: local votes add to it. */
export async function importedScore(
  db: Database,
  target: 'thread' | 'post',
  id: number,
): Promise<number> {
  const record = await db
    .selectFrom('import_records')
    .select('base_score')
    .where('kind', '=', target)
    .where('local_id', '=', id)
    .executeTakeFirst();
  return record?.base_score ?? 0;
}
