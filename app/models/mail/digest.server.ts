import { articlePath, questionPath } from '#lib/content-urls';
import type { Database } from '#db/client';
import { articleVisibleTo, threadVisibleTo } from '../thread-access.server';
import {
  articleVisibleSql,
  threadVisibleSql,
  viewerOfUser,
  type Viewer,
} from '../visibility.server';
import { queueMail } from './outbox.server';
import { absoluteUrl, renderMail } from './templates.server';
import { unsubscribeUrl } from './unsubscribe.server';

/**
 * The daily or weekly digest, for people who chose it instead of instant mail: what they put "in
 * the digest", new unanswered questions in the categories they follow, and the newest articles.
 * One mail per person per period, queued through the same outbox.
 */

/** The saved items whose question or article this person may still see. */
async function stillVisible<Item extends { url: string }>(
  db: Database,
  viewer: Viewer,
  items: Item[],
): Promise<Item[]> {
  const kept: Item[] = [];
  for (const item of items) {
    const question = /^\/questions\/(\d+)(?:[/?#]|$)/.exec(item.url);
    const article = /^\/kb\/([^/?#]+)/.exec(item.url);
    if (question && !(await threadVisibleTo(db, viewer, Number(question[1])))) continue;
    if (article) {
      const row = await db
        .selectFrom('articles')
        .select('id')
        .where('slug', '=', article[1] ?? '')
        .executeTakeFirst();
      if (row && !(await articleVisibleTo(db, viewer, row.id))) continue;
    }
    kept.push(item);
  }
  return kept;
}

const periodMs = { daily: 86_400_000, weekly: 7 * 86_400_000 };

export async function queueDueDigests(db: Database, now = new Date()): Promise<number> {
  const due = await db
    .selectFrom('mail_digests')
    .innerJoin('users', 'users.id', 'mail_digests.user_id')
    .select([
      'mail_digests.user_id',
      'mail_digests.frequency',
      'mail_digests.last_sent_at',
      'users.email',
      'users.display_name',
    ])
    .where((eb) =>
      eb.or([
        eb('mail_digests.last_sent_at', 'is', null),
        eb.and([
          eb('mail_digests.frequency', '=', 'daily'),
          eb(
            'mail_digests.last_sent_at',
            '<=',
            new Date(now.getTime() - periodMs.daily).toISOString(),
          ),
        ]),
        eb(
          'mail_digests.last_sent_at',
          '<=',
          new Date(now.getTime() - periodMs.weekly).toISOString(),
        ),
      ]),
    )
    .limit(100)
    .execute();
  let queued = 0;
  for (const person of due) {
    const since =
      person.last_sent_at ?? new Date(now.getTime() - periodMs[person.frequency]).toISOString();
    await db.transaction().execute(async (trx) => {
      // Checked now, at sending: a category may have closed to them since an item was saved.
      const viewer = await viewerOfUser(trx, person.user_id);
      const saved = await trx
        .selectFrom('mail_digest_items')
        .select(['id', 'title', 'url'])
        .where('user_id', '=', person.user_id)
        .orderBy('id')
        .limit(50)
        .execute();
      const items = await stillVisible(trx, viewer, saved);
      const questions = await trx
        .selectFrom('threads')
        .innerJoin('category_follows as follow', 'follow.category_id', 'threads.category_id')
        .select(['threads.id', 'threads.title', 'threads.slug'])
        .where('follow.user_id', '=', person.user_id)
        .where('threads.answer_count', '=', 0)
        .where('threads.deleted_at', 'is', null)
        .where('threads.created_at', '>', since)
        .where(threadVisibleSql(viewer))
        .orderBy('threads.created_at', 'desc')
        .limit(10)
        .execute();
      const articles = await trx
        .selectFrom('articles')
        .select(['slug', 'title'])
        .where('status', '=', 'published')
        .where('published_at', '>', since)
        .where(articleVisibleSql(viewer))
        .orderBy('published_at', 'desc')
        .limit(5)
        .execute();
      await trx
        .updateTable('mail_digests')
        .set({ last_sent_at: now.toISOString() })
        .where('user_id', '=', person.user_id)
        .execute();
      if (saved.length > 0)
        await trx
          .deleteFrom('mail_digest_items')
          .where('user_id', '=', person.user_id)
          .where('id', '<=', saved.at(-1)?.id ?? 0)
          .execute();
      if (items.length + questions.length + articles.length === 0) return;
      const lines = [
        // Absolute links: a digest is read in a mail program, not on the site.
        ...items.map((item) => `${item.title}: ${absoluteUrl(item.url)}`),
        ...questions.map(
          (thread) => `Unanswered: ${thread.title}: ${absoluteUrl(questionPath(thread))}`,
        ),
        ...articles.map(
          (article) => `New article: ${article.title}: ${absoluteUrl(articlePath(article.slug))}`,
        ),
      ];
      const { text, html } = renderMail({
        title: `Your ${person.frequency} digest`,
        paragraphs: lines,
        action: { label: 'Open the help center', url: '/' },
        footer: 'You get this because you chose a digest.',
        unsubscribeUrl: await unsubscribeUrl(trx, person.user_id, 'digest'),
      });
      await queueMail(
        trx,
        {
          kind: 'digest',
          to: person.email,
          toName: person.display_name,
          userId: person.user_id,
          subject: `Your ${person.frequency} digest: ${lines.length} new`,
          text,
          html,
          unsubscribe: { userId: person.user_id, kind: 'digest' },
        },
        now,
      );
      queued += 1;
    });
  }
  return queued;
}
