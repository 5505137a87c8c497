import { articlePath, questionPath } from '#lib/content-urls';
import type { Database } from '#db/client';
import { queueMail } from './outbox.server';
import { absoluteUrl, renderMail } from './templates.server';
import { unsubscribeUrl } from './unsubscribe.server';

/**
 * The daily or weekly digest, for people who chose it instead of instant mail: what they put "in
 * the digest", new unanswered questions in the categories they follow, and the newest articles.
 * One mail per person per period, queued through the same outbox.
 */

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
      const items = await trx
        .selectFrom('mail_digest_items')
        .select(['id', 'title', 'url'])
        .where('user_id', '=', person.user_id)
        .orderBy('id')
        .limit(50)
        .execute();
      const questions = await trx
        .selectFrom('threads')
        .innerJoin('category_follows as follow', 'follow.category_id', 'threads.category_id')
        .select(['threads.id', 'threads.title', 'threads.slug'])
        .where('follow.user_id', '=', person.user_id)
        .where('threads.answer_count', '=', 0)
        .where('threads.deleted_at', 'is', null)
        .where('threads.created_at', '>', since)
        .orderBy('threads.created_at', 'desc')
        .limit(10)
        .execute();
      const articles = await trx
        .selectFrom('articles')
        .select(['slug', 'title'])
        .where('status', '=', 'published')
        .where('published_at', '>', since)
        .orderBy('published_at', 'desc')
        .limit(5)
        .execute();
      await trx
        .updateTable('mail_digests')
        .set({ last_sent_at: now.toISOString() })
        .where('user_id', '=', person.user_id)
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
      if (items.length > 0)
        await trx
          .deleteFrom('mail_digest_items')
          .where('user_id', '=', person.user_id)
          .where('id', '<=', items.at(-1)?.id ?? 0)
          .execute();
      queued += 1;
    });
  }
  return queued;
}
