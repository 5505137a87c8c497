import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { feedbackReasons, type ArticleStatus } from '#db/schema';
import { recordEvent, recordSelfResolution, selfResolutionsOf } from './events.server';
import { articleVisibleSql, type Viewer } from './visibility.server';

export const feedbackSchema = z
  .object({
    helpful: z.enum(['yes', 'no'], 'Choose Yes or No.'),
    reason: z
      .enum(['', ...feedbackReasons], 'Choose one of the reasons.')
      .optional()
      .transform((value) => value || null),
    comment: z
      .string()
      .trim()
      .max(1000, 'Keep it under 1,000 characters.')
      .optional()
      .transform((value) => value || null),
  })
  .superRefine((input, ctx) => {
    if (input.reason === 'other' && !input.comment) {
      ctx.addIssue({
        code: 'custom',
        path: ['comment'],
        message: 'Tell us what was wrong, in a few words.',
      });
    }
  });

export type FeedbackInput = z.infer<typeof feedbackSchema>;

type Reader = { key: string; userId: number | null };

/** A published article this viewer may see (its own rule and its category's), or undefined. */
async function publishedArticle(db: Database, articleId: number, viewer: Viewer) {
  return db
    .selectFrom('articles')
    .select('id')
    .where('id', '=', articleId)
    .where('status', '=', 'published')
    .where(articleVisibleSql(viewer))
    .executeTakeFirst();
}

/** One vote per reader per article: voting again replaces the earlier answer. */
export async function setArticleFeedback(
  db: Database,
  articleId: number,
  viewer: Viewer,
  reader: Reader,
  input: FeedbackInput,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; status: 404 }> {
  if (!(await publishedArticle(db, articleId, viewer))) return { ok: false, status: 404 };
  const helpful = input.helpful === 'yes' ? 1 : 0;
  const values = {
    helpful,
    reason: helpful ? null : input.reason,
    comment: helpful ? null : input.comment,
    updated_at: now.toISOString(),
  } as const;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('article_feedback')
      .values({
        article_id: articleId,
        reader: reader.key,
        user_id: reader.userId,
        created_at: now.toISOString(),
        ...values,
      })
      .onConflict((oc) => oc.columns(['article_id', 'reader']).doUpdateSet(values))
      .execute();
    await recordEvent(trx, 'article_helpful', {
      user_id: reader.userId,
      visitor_id: reader.key,
      article_id: articleId,
      data: { helpful: Boolean(helpful), reason: values.reason },
      at: now,
    });
  });
  return { ok: true };
}

export async function feedbackOf(db: Database, articleId: number, readerKey: string) {
  return db
    .selectFrom('article_feedback')
    .select(['helpful', 'reason', 'comment'])
    .where('article_id', '=', articleId)
    .where('reader', '=', readerKey)
    .executeTakeFirst();
}

/** "This solved my problem" on an article, once per reader. */
export async function markArticleSelfResolved(
  db: Database,
  articleId: number,
  viewer: Viewer,
  reader: Reader,
  now = new Date(),
) {
  if (!(await publishedArticle(db, articleId, viewer)))
    return { ok: false as const, status: 404 as const };
  const recorded = await recordSelfResolution(db, { article_id: articleId }, reader, now);
  return { ok: true as const, recorded };
}

export async function articleSelfResolvedBy(db: Database, articleId: number, readerKey: string) {
  return (await selfResolutionsOf(db, { article_id: articleId }, readerKey)).mine;
}

export type ArticleStats = {
  id: number;
  slug: string;
  title: string;
  status: ArticleStatus;
  views: number;
  votes: number;
  helpful_votes: number;
  /** Share of votes that said Yes, 0-100, or null without votes. */
  helpful_percent: number | null;
  self_resolutions: number;
  review_due_at: string | null;
  updated_at: string;
  owner_name: string;
};

/** Views, votes, helpful % and self-resolutions per article, for the team. */
export async function articleStats(
  db: Database,
  filter: { articleId?: number; status?: ArticleStatus; overdueAt?: Date } = {},
): Promise<ArticleStats[]> {
  let query = db
    .selectFrom('articles')
    .innerJoin('users as owner', 'owner.id', 'articles.owner_id')
    .select((eb) => [
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.status',
      'articles.views',
      'articles.review_due_at',
      'articles.updated_at',
      'owner.display_name as owner_name',
      eb
        .selectFrom('article_feedback')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('article_feedback.article_id', '=', 'articles.id')
        .as('votes'),
      eb
        .selectFrom('article_feedback')
        .select(sql<number>`coalesce(sum(helpful), 0)`.as('n'))
        .whereRef('article_feedback.article_id', '=', 'articles.id')
        .as('helpful_votes'),
      eb
        .selectFrom('events')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('events.article_id', '=', 'articles.id')
        .where('events.type', '=', 'self_resolved')
        .as('self_resolutions'),
    ]);
  if (filter.articleId) query = query.where('articles.id', '=', filter.articleId);
  if (filter.status) query = query.where('articles.status', '=', filter.status);
  if (filter.overdueAt) {
    query = query
      .where('articles.status', '=', 'published')
      .where('articles.review_due_at', '<', filter.overdueAt.toISOString());
  }
  const rows = await query.orderBy('articles.updated_at', 'desc').execute();
  return rows.map((row) => {
    const votes = Number(row.votes ?? 0);
    const helpfulVotes = Number(row.helpful_votes ?? 0);
    return {
      ...row,
      votes,
      helpful_votes: helpfulVotes,
      helpful_percent: votes ? Math.round((helpfulVotes / votes) * 100) : null,
      self_resolutions: Number(row.self_resolutions ?? 0),
    };
  });
}
