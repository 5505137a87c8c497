import type { Database } from '../../db/client';
import { threadSlug } from './threads.server';
import { setThreadTags } from './tags.server';
import { touchSearch } from '../../search/outbox';
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
