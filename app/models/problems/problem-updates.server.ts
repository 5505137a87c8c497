import { z } from 'zod';
import type { Database } from '#db/client';
import { problemStates } from '#db/schema';
import { addComment } from '~/models/comments.server';
import { mailPerson } from '~/models/mail/notifications.server';
import { isStaff, type Actor } from '~/models/permissions';
import { resolveTicket } from '~/models/resolutions.server';
import type { Failure } from '~/utils/result';
import { isFinished, problemStateLabels } from './labels';
import { affectedPeople, emitProblemUpdated, problemById, type Problem } from './problems.server';

/**
 * A known issue's updates: a new state with a note. Closing it (fixed, won't fix) tells
 * everyone it affects, once: one mail per person, a comment on each linked thread, and, with
 * "solve linked tickets", each open linked ticket solved with the resolution "known issue".
 */

type Staff = NonNullable<Actor>;

export const updateSchema = z.object({
  state: z.enum(problemStates, 'Choose a state from the list.'),
  note: z.string().trim().max(5_000, 'Use at most 5,000 characters.').optional().default(''),
  public: z
    .union([z.literal('on'), z.literal('')])
    .optional()
    .transform((value): 0 | 1 => (value ? 1 : 0)),
  solveLinked: z
    .literal('on')
    .optional()
    .transform((value) => value === 'on'),
});
export type UpdateInput = z.infer<typeof updateSchema>;

export type UpdateOutcome = { ok: true; mailed: number; solved: number; unsolved: number[] };

/** Posts an update; the first time a known issue closes, everyone it affects hears of it. */
export async function postUpdate(
  db: Database,
  actor: Staff,
  problemId: number,
  input: UpdateInput,
  now = new Date(),
): Promise<UpdateOutcome | Failure> {
  if (!isStaff(actor))
    return { ok: false, status: 403, error: 'Only our team updates known issues.' };
  const before = await problemById(db, problemId);
  if (!before) return { ok: false, status: 404, error: 'No such known issue.' };
  const at = now.toISOString();
  // Only the first close tells people: reopened and closed again, it mails no one twice.
  const closedBefore = await db
    .selectFrom('problem_updates')
    .select('id')
    .where('problem_id', '=', problemId)
    .where('state', 'in', ['fixed', 'wont_fix'])
    .executeTakeFirst();
  const closing = isFinished(input.state) && !isFinished(before.state) && !closedBefore;
  // Only the update that closes it (of two at once, the one that changes the row) tells people.
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('problems')
      .set({
        state: input.state,
        updated_at: at,
        fixed_at: input.state === 'fixed' ? (before.fixed_at ?? at) : before.fixed_at,
      })
      .where('id', '=', problemId)
      .where('state', '=', before.state)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await trx
      .insertInto('problem_updates')
      .values({
        problem_id: problemId,
        state: input.state,
        note_md: input.note,
        public: input.public,
        created_by: actor.id,
        created_at: at,
      })
      .execute();
    await emitProblemUpdated(trx, problemId, now);
    return true;
  });
  if (!changed)
    return { ok: false, status: 400, error: 'Someone updated it just now: look again.' };
  if (!closing) return { ok: true, mailed: 0, solved: 0, unsolved: [] };
  const problem = (await problemById(db, problemId))!;
  const { solved, unsolved } =
    input.solveLinked && input.state === 'fixed'
      ? await solveLinkedTickets(db, actor, problem, now)
      : { solved: 0, unsolved: [] };
  await commentOnThreads(db, actor, problem, input.note, now);
  const mailed = await mailAffected(db, problem, input.note, now);
  return { ok: true, mailed, solved, unsolved };
}

async function linkedIds(db: Database, problemId: number, type: 'ticket' | 'thread' | 'post') {
  const rows = await db
    .selectFrom('problem_links')
    .select('target_id')
    .where('problem_id', '=', problemId)
    .where('target_type', '=', type)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.target_id);
}

/** Solves each open linked ticket with the fix (quietly: the fix's mail is the one they get). */
async function solveLinkedTickets(db: Database, actor: Staff, problem: Problem, now: Date) {
  const ids = await linkedIds(db, problem.id, 'ticket');
  const open = ids.length
    ? await db
        .selectFrom('tickets')
        .select('id')
        .where('id', 'in', ids)
        .where('status', 'in', ['new', 'open', 'pending'])
        .execute()
    : [];
  let solved = 0;
  const unsolved: number[] = [];
  for (const ticket of open) {
    const result = await resolveTicket(
      db,
      actor,
      ticket.id,
      { kind: 'known_issue', problemId: problem.id, note: `Fixed: ${problem.title}` },
      now,
      { quiet: true },
    );
    if (result.ok) solved += 1;
    else unsolved.push(ticket.id); // a field required to solve is still empty
  }
  return { solved, unsolved };
}

const publicPath = (problem: Problem) => `/known-issues/${problem.id}`;

/** A comment on the question of each linked thread (and of each linked answer's thread). */
async function commentOnThreads(
  db: Database,
  actor: Staff,
  problem: Problem,
  note: string,
  now: Date,
) {
  const threadIds = new Set(await linkedIds(db, problem.id, 'thread'));
  const postIds = await linkedIds(db, problem.id, 'post');
  if (postIds.length > 0)
    for (const post of await db
      .selectFrom('posts')
      .select('thread_id')
      .where('id', 'in', postIds)
      .execute())
      threadIds.add(post.thread_id);
  const state = problemStateLabels[problem.state].toLowerCase();
  // A known issue customers cannot see is not named in public.
  const what =
    problem.public === 1 ? `[${problem.title}](${publicPath(problem)})` : 'The problem behind this';
  const body = [`**Update from the support team:** ${what} is ${state}.`, note]
    .filter(Boolean)
    .join('\n\n');
  for (const threadId of threadIds) await addComment(db, actor, threadId, null, body, now);
}

/** One mail to each person the known issue affects (as their notification settings allow). */
async function mailAffected(db: Database, problem: Problem, note: string, now: Date) {
  const people = await affectedPeople(db, problem.id);
  const ticketIds = await linkedIds(db, problem.id, 'ticket');
  const tickets = ticketIds.length
    ? await db
        .selectFrom('tickets')
        .select(['id', 'subject', 'requester_id'])
        .where('id', 'in', ticketIds)
        .execute()
    : [];
  const fixed = problem.state === 'fixed';
  const shown = problem.public === 1;
  for (const person of people) {
    const own = tickets.filter((ticket) => ticket.requester_id === person.id);
    const url = shown ? publicPath(problem) : own[0] ? `/requests/${own[0].id}` : '/requests';
    await mailPerson(
      db,
      person.id,
      {
        kind: 'known_issue',
        subject: `${fixed ? 'Fixed' : 'Update'}: ${shown ? problem.title : (own[0]?.subject ?? 'a problem you reported')}`,
        url,
        threadKey: `problem-${problem.id}`,
        content: {
          title: fixed
            ? 'A problem that affected you is fixed'
            : 'A problem you reported will not be fixed',
          paragraphs: [
            shown
              ? `“${problem.title}” is ${problemStateLabels[problem.state].toLowerCase()}.`
              : 'The problem behind your request has an answer from our team.',
            ...own.map((ticket) => `Your request “${ticket.subject}” (#${ticket.id}).`),
          ],
          markdown: note || (shown ? problem.public_summary_md : '') || null,
          action: { label: shown ? 'See the known issue' : 'See your request', url },
        },
      },
      now,
    );
  }
  return people.length;
}
