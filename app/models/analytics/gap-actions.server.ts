import { z } from 'zod';
import type { Database } from '#db/client';
import { promoteAnswer } from '../article-promotion.server';
import { canWriteArticles, type Actor } from '../permissions';
import type { Gap } from './gap-scoring';
import type { Failure } from '~/utils/result';

/**
 * Acting on a gap (writing, promoting, reviewing, done, dismissed) stores it in content_gaps
 * under its key, so what was done about it survives the next refresh of the queue.
 */

type Staff = NonNullable<Actor>;

export const dismissSchema = z.object({
  reason: z
    .string('Say why this is not a gap.')
    .trim()
    .min(3, 'Say why this is not a gap, in a few words.')
    .max(300, 'Keep the reason under 300 characters.'),
});

/** Stores a gap under its key (once), so what is done about it survives the next refresh. */
async function storeGap(db: Database, actor: Staff, gap: Gap, now: Date) {
  const at = now.toISOString();
  const row = await db
    .insertInto('content_gaps')
    .values({
      key: gap.key,
      kind: gap.kind,
      title: gap.title.slice(0, 300),
      terms: gap.terms.join(' '),
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('key').doUpdateSet({ updated_at: at }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function forbidden(actor: Actor): Failure | null {
  return canWriteArticles(actor)
    ? null
    : { ok: false, status: 403, error: 'Only the team works the gap queue.' };
}

export async function markGapDone(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({
      status: 'done',
      done_at: now.toISOString(),
      done_by: actor.id,
      reason: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

export async function dismissGap(
  db: Database,
  actor: Staff,
  gap: Gap,
  reason: string,
  now = new Date(),
) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({
      status: 'dismissed',
      reason,
      dismissed_at: now.toISOString(),
      dismissed_by: actor.id,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

export async function reopenGap(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({
      status: 'open',
      reason: null,
      done_at: null,
      done_by: null,
      dismissed_at: null,
      dismissed_by: null,
      // A reopened gap needs new work: a draft published earlier no longer settles it.
      article_id: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

const commentSafe = (text: string) => text.replace(/--+/g, '—').replace(/[<>]/g, '');

export type ArticlePrefill = {
  title: string;
  body: string;
  categoryId: string;
  journeyStage: string;
  tags: string;
};

/** A draft that starts from the evidence: a checklist of what customers needed, as a comment. */
export function draftFromGap(gap: Gap): ArticlePrefill {
  // A gap is named by its heaviest ticket or question when it has one: a good first title.
  let title = gap.title.trim().slice(0, 150);
  title = title.charAt(0).toUpperCase() + title.slice(1);
  if (title.length < 5) title = `${title}: how it works`;
  const explained = gap.parts.map((item) => `${item.count} ${item.label}`).join(', ');
  const checklist = [
    ...gap.evidence.queries
      .slice(0, 8)
      .map(
        (query) =>
          `- [ ] Searched for “${commentSafe(query.query)}” (${query.searches} ${query.searches === 1 ? 'time' : 'times'}, ${query.zero_results} with no results)`,
      ),
    ...gap.evidence.tickets
      .slice(0, 8)
      .map(
        (ticket) => `- [ ] Ticket #${ticket.id}: ${commentSafe(ticket.subject)} (${ticket.why})`,
      ),
    ...gap.evidence.threads
      .slice(0, 5)
      .map(
        (thread) =>
          `- [ ] Unanswered question: ${commentSafe(thread.title)} (/questions/${thread.id}/${thread.slug}, ${thread.views} views)`,
      ),
  ];
  const body = [
    `<!-- Drafted from the content gap “${commentSafe(gap.title)}” (score ${gap.score}: ${explained}).`,
    'Make sure the article answers each of these, then delete this comment:',
    ...checklist,
    '-->',
    '',
    '## The problem',
    '',
    'Describe what customers are trying to do and what goes wrong.',
    '',
    '## Steps',
    '',
    '1. ',
  ].join('\n');
  return {
    title,
    body,
    categoryId: gap.category_id ? String(gap.category_id) : '',
    journeyStage: gap.journey_stage ?? '',
    tags: gap.tags.join(' '),
  };
}

/** "Write an article": stores the gap with the draft's starting point for the editor to open. */
export async function startArticleFromGap(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  if (gap.kind !== 'missing_content')
    return { ok: false as const, status: 400 as const, error: 'This gap is fixed another way.' };
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({ prefill: JSON.stringify(draftFromGap(gap)), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

const prefillSchema = z.object({
  title: z.string(),
  body: z.string(),
  categoryId: z.string(),
  journeyStage: z.string(),
  tags: z.string(),
});

/** What /agent/articles/new?gap= starts with, or null when there is no such gap. */
export async function gapDraft(db: Database, gapId: number) {
  const row = await db
    .selectFrom('content_gaps')
    .select(['id', 'title', 'prefill'])
    .where('id', '=', gapId)
    .executeTakeFirst();
  if (!row?.prefill) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.prefill);
  } catch {
    return null;
  }
  const prefill = prefillSchema.safeParse(parsed);
  return prefill.success ? { id: row.id, title: row.title, values: prefill.data } : null;
}

/** The draft written from a gap: publishing it settles the gap. */
export async function attachDraftToGap(
  db: Database,
  gapId: number,
  articleId: number,
  now = new Date(),
) {
  await db
    .updateTable('content_gaps')
    .set({ article_id: articleId, status: 'open', done_at: null, updated_at: now.toISOString() })
    .where('id', '=', gapId)
    .execute();
}

/** "Promote the answer": a draft from the thread's best answer, remembered by the gap. */
export async function promoteFromGap(
  db: Database,
  actor: Staff,
  gap: Gap,
  now = new Date(),
): Promise<{ ok: true; articleId: number } | Failure> {
  const denied = forbidden(actor);
  if (denied) return denied;
  const answer = gap.evidence.answer;
  if (gap.kind !== 'promote_answer' || !answer)
    return { ok: false, status: 400, error: 'This gap has no answer to promote.' };
  const promoted = await promoteAnswer(db, actor, answer.post_id, now);
  if (!promoted.ok) return promoted;
  const id = await storeGap(db, actor, gap, now);
  await attachDraftToGap(db, id, promoted.id, now);
  return { ok: true, articleId: promoted.id };
}

/** "Review the article": remembered, so the queue shows someone is on it. */
export async function reviewFromGap(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const article = gap.evidence.article;
  if (gap.kind !== 'review_article' || !article)
    return {
      ok: false as const,
      status: 400 as const,
      error: 'This gap has no article to review.',
    };
  await storeGap(db, actor, gap, now);
  return { ok: true as const, articleId: article.id };
}
