import { type Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { problemStates, type ProblemLinkTarget, type ProblemsTable } from '#db/schema';
import { categoryIdField } from '~/models/form-fields';
import { termsOf } from '~/models/topics';
import { isStaff, type Actor } from '~/models/permissions';
import { findLinkTarget, parseLinkReference } from '~/models/ticket-links.server';
import type { FieldErrors } from '~/utils/forms.server';
import type { Failure } from '~/utils/result';
import { emitWebhook } from '~/models/webhooks.server';

/**
 * Known issues (docs/decisions/030): one defect behind many tickets, threads and answers. This
 * file keeps the issue itself, what is linked to it and who follows it; its updates (and the
 * mail when it is fixed) are in problem-updates.server.ts.
 */

export type Problem = Selectable<ProblemsTable>;
type Staff = NonNullable<Actor>;

const optionalText = (max: number, message: string) =>
  z.string().trim().max(max, message).optional().default('');

export const problemSchema = z.object({
  title: z
    .string('Say in a few words what is broken.')
    .trim()
    .min(5, 'Say in a few words what is broken (at least 5 characters).')
    .max(150, 'Use at most 150 characters.'),
  description: optionalText(20_000, 'Use at most 20,000 characters.'),
  publicSummary: optionalText(5_000, 'Use at most 5,000 characters.'),
  categoryId: categoryIdField,
  state: z.enum(problemStates, 'Choose a state from the list.').default('investigating'),
  public: z
    .union([z.literal('on'), z.literal('')])
    .optional()
    .transform((value): 0 | 1 => (value ? 1 : 0)),
  workaround: optionalText(2_000, 'Use at most 2,000 characters.'),
  trackerUrl: z
    .string()
    .trim()
    .max(2_000, 'Use at most 2,000 characters.')
    .refine(
      (value) => value === '' || isWebAddress(value),
      'Use an address starting with https://.',
    )
    .optional()
    .default(''),
  trackerId: optionalText(100, 'Use at most 100 characters.'),
});
/** What the form sends (parsed here, so a caller passes it as it came). */
export type ProblemInput = Record<string, unknown>;

function isWebAddress(value: string) {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The workaround article a form names (its address or `article-<id>`), if it is one. */
async function workaroundOf(db: Database, reference: string) {
  if (!reference) return { ok: true as const, id: null };
  const target = await parseLinkReference(db, reference);
  const article =
    target?.type === 'article'
      ? await findLinkTarget(db, { type: 'article', id: target.id })
      : null;
  return article
    ? { ok: true as const, id: article.id }
    : { ok: false as const, error: 'Paste the address of an article in the knowledge base.' };
}

/**
 * Creates a known issue (id null), in the state the form gives, or changes its details; a known
 * issue's state changes only through postUpdate (closing one tells the people it affects).
 */
export async function saveProblem(
  db: Database,
  actor: Staff,
  id: number | null,
  raw: ProblemInput,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors } | Failure> {
  if (!isStaff(actor))
    return { ok: false, status: 403, error: 'Only our team tracks known issues.' };
  // A form always sends the category; a caller that leaves it out means none.
  const parsed = problemSchema.safeParse({ categoryId: '', ...raw });
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return { ok: false, fieldErrors };
  }
  const input = parsed.data;
  const workaround = await workaroundOf(db, input.workaround);
  if (!workaround.ok) return { ok: false, fieldErrors: { workaround: workaround.error } };
  const existing = id === null ? null : await problemById(db, id);
  if (id !== null && !existing) return { ok: false, status: 404, error: 'No such known issue.' };
  const at = now.toISOString();
  const row = {
    title: input.title,
    description_md: input.description,
    public_summary_md: input.publicSummary,
    category_id: input.categoryId,
    public: input.public,
    workaround_article_id: workaround.id,
    tracker_url: input.trackerUrl || null,
    tracker_id: input.trackerId || null,
    updated_at: at,
  };
  const savedId = await db.transaction().execute(async (trx) => {
    const problemId = existing
      ? existing.id
      : (
          await trx
            .insertInto('problems')
            .values({
              ...row,
              state: input.state,
              created_by: actor.id,
              created_at: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
    if (existing) await trx.updateTable('problems').set(row).where('id', '=', problemId).execute();
    // Its first state is its first update; later states come through postUpdate.
    if (!existing)
      await trx
        .insertInto('problem_updates')
        .values({ problem_id: problemId, state: input.state, created_by: actor.id, created_at: at })
        .execute();
    await emitProblemUpdated(trx, problemId, now);
    return problemId;
  });
  return { ok: true, id: savedId };
}

export async function problemById(db: Database, id: number): Promise<Problem | undefined> {
  return db.selectFrom('problems').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A known issue as someone may see it: staff see every one, anyone else only public ones. */
export async function visibleProblem(db: Database, actor: Actor, id: number) {
  const problem = await problemById(db, id);
  if (!problem) return null;
  return isStaff(actor) || problem.public === 1 ? problem : null;
}

/** The known issues, open ones first, newest change first; for customers only public ones. */
export async function listProblems(
  db: Database,
  options: { publicOnly?: boolean; state?: 'open' | 'finished' } = {},
) {
  let query = db
    .selectFrom('problems')
    .leftJoin('categories', 'categories.id', 'problems.category_id')
    .select((eb) => [
      'problems.id',
      'problems.title',
      'problems.state',
      'problems.public',
      'problems.updated_at',
      'problems.created_at',
      'problems.fixed_at',
      'problems.public_summary_md',
      'problems.tracker_id',
      'categories.name as category_name',
      eb
        .selectFrom('problem_links')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('problem_links.problem_id', '=', 'problems.id')
        .where('problem_links.target_type', '=', 'ticket')
        .as('tickets'),
      eb
        .selectFrom('problem_links')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('problem_links.problem_id', '=', 'problems.id')
        .where('problem_links.target_type', '!=', 'ticket')
        .as('threads'),
      eb
        .selectFrom('problem_followers')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('problem_followers.problem_id', '=', 'problems.id')
        .as('followers'),
    ]);
  if (options.publicOnly) query = query.where('problems.public', '=', 1);
  if (options.state === 'open')
    query = query.where('problems.state', 'not in', ['fixed', 'wont_fix']);
  if (options.state === 'finished')
    query = query.where('problems.state', 'in', ['fixed', 'wont_fix']);
  const rows = await query.orderBy('problems.updated_at', 'desc').limit(200).execute();
  return rows.map((row) => ({
    ...row,
    tickets: Number(row.tickets),
    threads: Number(row.threads),
    followers: Number(row.followers),
  }));
}

/**
 * Open known issues, for the pickers on the ticket, thread and gap pages; with a text (the
 * ticket's subject, the question's title), those that share its meaningful words come first,
 * marked similar.
 */
export async function openProblems(db: Database, text = '') {
  const open = await db
    .selectFrom('problems')
    .select(['id', 'title', 'state', 'public_summary_md'])
    .where('state', 'not in', ['fixed', 'wont_fix'])
    .orderBy('updated_at', 'desc')
    .limit(100)
    .execute();
  const wanted = termsOf(text);
  return open
    .map(({ public_summary_md, ...problem }) => {
      const terms = new Set(termsOf(`${problem.title} ${public_summary_md}`));
      return { ...problem, shared: wanted.filter((term) => terms.has(term)).length };
    })
    .sort((a, b) => b.shared - a.shared)
    .map(({ shared, ...problem }) => ({ ...problem, similar: shared > 0 }));
}

export type ProblemTarget = { type: ProblemLinkTarget; id: number };

/** Whether a ticket, thread or answer exists (deleted posts and threads still count). */
async function targetExists(db: Database, target: ProblemTarget) {
  const table =
    target.type === 'ticket' ? 'tickets' : target.type === 'thread' ? 'threads' : 'posts';
  return Boolean(
    await db.selectFrom(table).select('id').where('id', '=', target.id).executeTakeFirst(),
  );
}

/** Links a ticket, thread or answer to a known issue; one linked elsewhere moves here. */
export async function linkToProblem(
  db: Database,
  actor: Staff,
  problemId: number,
  target: ProblemTarget,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!isStaff(actor))
    return { ok: false, status: 403, error: 'Only our team links known issues.' };
  if (!(await problemById(db, problemId)))
    return { ok: false, status: 404, error: 'No such known issue.' };
  if (!(await targetExists(db, target)))
    return {
      ok: false,
      status: 404,
      error: `That ${target.type === 'post' ? 'answer' : target.type} does not exist.`,
    };
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('problem_links')
      .values({
        problem_id: problemId,
        target_type: target.type,
        target_id: target.id,
        created_by: actor.id,
        created_at: at,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['target_type', 'target_id'])
          .doUpdateSet({ problem_id: problemId, created_by: actor.id, created_at: at }),
      )
      .execute();
    await trx.updateTable('problems').set({ updated_at: at }).where('id', '=', problemId).execute();
    await emitProblemUpdated(trx, problemId, now);
  });
  return { ok: true };
}

export async function unlinkFromProblem(
  db: Database,
  actor: Staff,
  target: ProblemTarget,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!isStaff(actor))
    return { ok: false, status: 403, error: 'Only our team links known issues.' };
  const link = await db
    .deleteFrom('problem_links')
    .where('target_type', '=', target.type)
    .where('target_id', '=', target.id)
    .returning('problem_id')
    .executeTakeFirst();
  if (link) await emitProblemUpdated(db, link.problem_id, now);
  return { ok: true };
}

/** The known issue a ticket, thread or answer is linked to, if any. */
export async function problemOf(db: Database, target: ProblemTarget) {
  return db
    .selectFrom('problem_links')
    .innerJoin('problems', 'problems.id', 'problem_links.problem_id')
    .selectAll('problems')
    .where('problem_links.target_type', '=', target.type)
    .where('problem_links.target_id', '=', target.id)
    .executeTakeFirst();
}

/** "This affects me too" (or not any more), on a public known issue. */
export async function followProblem(
  db: Database,
  actor: Actor,
  problemId: number,
  follow: boolean,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!actor) return { ok: false, status: 403, error: 'Sign in to follow a known issue.' };
  const problem = await visibleProblem(db, actor, problemId);
  if (!problem) return { ok: false, status: 404, error: 'No such known issue.' };
  if (follow)
    await db
      .insertInto('problem_followers')
      .values({ problem_id: problemId, user_id: actor.id, created_at: now.toISOString() })
      .onConflict((conflict) => conflict.columns(['problem_id', 'user_id']).doNothing())
      .execute();
  else
    await db
      .deleteFrom('problem_followers')
      .where('problem_id', '=', problemId)
      .where('user_id', '=', actor.id)
      .execute();
  return { ok: true };
}

export async function isFollowing(db: Database, problemId: number, userId: number) {
  return Boolean(
    await db
      .selectFrom('problem_followers')
      .select('user_id')
      .where('problem_id', '=', problemId)
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  );
}

/**
 * Everyone a known issue affects: requesters of its tickets, authors of its threads and
 * answers, and its followers; each once, with how they are affected and their organisation.
 */
export async function affectedPeople(db: Database, problemId: number) {
  const links = (type: ProblemLinkTarget) =>
    db
      .selectFrom('problem_links')
      .select('target_id')
      .where('problem_id', '=', problemId)
      .where('target_type', '=', type);
  const [requesters, threadAuthors, postAuthors, followers] = await Promise.all([
    db
      .selectFrom('tickets')
      .select(['tickets.requester_id as user_id', 'tickets.created_at as since'])
      .where('tickets.id', 'in', links('ticket'))
      .execute(),
    db
      .selectFrom('threads')
      .select(['threads.author_id as user_id', 'threads.created_at as since'])
      .where('threads.id', 'in', links('thread'))
      .execute(),
    db
      .selectFrom('posts')
      .select(['posts.author_id as user_id', 'posts.created_at as since'])
      .where('posts.id', 'in', links('post'))
      .execute(),
    db
      .selectFrom('problem_followers')
      .select(['user_id', 'created_at as since'])
      .where('problem_id', '=', problemId)
      .execute(),
  ]);
  const reasons = new Map<number, { since: string; reasons: Set<string> }>();
  const add = (rows: { user_id: number; since: string }[], reason: string) => {
    for (const row of rows) {
      const entry = reasons.get(row.user_id) ?? { since: row.since, reasons: new Set<string>() };
      entry.reasons.add(reason);
      if (row.since < entry.since) entry.since = row.since;
      reasons.set(row.user_id, entry);
    }
  };
  add(requesters, 'requester');
  add(threadAuthors, 'asked');
  add(postAuthors, 'answered');
  add(followers, 'follows');
  if (reasons.size === 0) return [];
  const users = await db
    .selectFrom('users')
    .leftJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'users.id',
      'users.display_name',
      'users.username',
      'users.role',
      'users.organization_id',
      'organizations.name as organization_name',
    ])
    .where('users.id', 'in', [...reasons.keys()])
    .execute();
  return users
    .filter((user) => user.role === 'member' || reasons.get(user.id)!.reasons.has('requester'))
    .map((user) => ({
      ...user,
      since: reasons.get(user.id)!.since,
      reasons: [...reasons.get(user.id)!.reasons],
    }))
    .sort((a, b) => a.since.localeCompare(b.since));
}

/** Tells the engineering tracker (webhook problem.updated) what the known issue is now. */
export async function emitProblemUpdated(db: Database, problemId: number, now: Date) {
  const problem = await problemById(db, problemId);
  if (!problem) return;
  const links = await db
    .selectFrom('problem_links')
    .select(['target_type', 'target_id'])
    .where('problem_id', '=', problemId)
    .orderBy('id')
    .execute();
  await emitWebhook(
    db,
    'problem.updated',
    {
      problem: {
        id: problem.id,
        title: problem.title,
        state: problem.state,
        public: problem.public === 1,
        tracker_id: problem.tracker_id,
        tracker_url: problem.tracker_url,
        ticket_ids: links
          .filter((link) => link.target_type === 'ticket')
          .map((link) => link.target_id),
        thread_ids: links
          .filter((link) => link.target_type === 'thread')
          .map((link) => link.target_id),
        post_ids: links.filter((link) => link.target_type === 'post').map((link) => link.target_id),
        fixed_at: problem.fixed_at,
        updated_at: problem.updated_at,
      },
    },
    now,
  );
}

/**
 * Public known issues still open whose title and summary share the meaningful words of what a
 * customer is typing (at least two, or all of a shorter text): the contact form suggests them.
 */
export async function matchingPublicProblems(db: Database, text: string, limit = 3) {
  const wanted = termsOf(text);
  if (wanted.length === 0) return [];
  const open = await db
    .selectFrom('problems')
    .select(['id', 'title', 'state', 'public_summary_md'])
    .where('public', '=', 1)
    .where('state', 'not in', ['fixed', 'wont_fix'])
    .orderBy('updated_at', 'desc')
    .limit(200)
    .execute();
  const needed = Math.min(2, wanted.length);
  return open
    .map((problem) => {
      const terms = new Set(termsOf(`${problem.title} ${problem.public_summary_md}`));
      return { problem, shared: wanted.filter((term) => terms.has(term)).length };
    })
    .filter((match) => match.shared >= needed)
    .sort((a, b) => b.shared - a.shared)
    .slice(0, limit)
    .map(({ problem }) => ({ id: problem.id, title: problem.title, state: problem.state }));
}
