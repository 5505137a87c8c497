import type { Database } from '#db/client';
import { parseLinkReference } from '~/models/ticket-links.server';
import { renderMarkdown } from '~/utils/markdown.server';
import { affectedPeople, problemById, type ProblemTarget } from './problems.server';

const threadPath = (id: number, slug: string) => `/questions/${id}/${slug}`;

/** What the team's page of one known issue shows, and what its public page shows customers. */

/** Everything linked to a known issue: its tickets, and its threads and answers. */
export async function problemLinks(db: Database, problemId: number) {
  const links = await db
    .selectFrom('problem_links')
    .select(['target_type', 'target_id', 'created_at'])
    .where('problem_id', '=', problemId)
    .orderBy('id')
    .execute();
  const ids = (type: ProblemTarget['type']) =>
    links.filter((link) => link.target_type === type).map((link) => link.target_id);
  const [tickets, threads, posts] = await Promise.all([
    ids('ticket').length
      ? db
          .selectFrom('tickets')
          .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
          .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
          .select([
            'tickets.id',
            'tickets.subject',
            'tickets.status',
            'tickets.created_at',
            'requester.display_name as requester_name',
            'organizations.id as organization_id',
            'organizations.name as organization_name',
          ])
          .where('tickets.id', 'in', ids('ticket'))
          .orderBy('tickets.created_at')
          .execute()
      : [],
    ids('thread').length
      ? db
          .selectFrom('threads')
          .select(['id', 'title', 'slug', 'status', 'created_at', 'deleted_at'])
          .where('id', 'in', ids('thread'))
          .orderBy('created_at')
          .execute()
      : [],
    ids('post').length
      ? db
          .selectFrom('posts')
          .innerJoin('threads', 'threads.id', 'posts.thread_id')
          .innerJoin('users', 'users.id', 'posts.author_id')
          .select([
            'posts.id',
            'posts.created_at',
            'threads.id as thread_id',
            'threads.title',
            'threads.slug',
            'users.display_name as author_name',
          ])
          .where('posts.id', 'in', ids('post'))
          .orderBy('posts.created_at')
          .execute()
      : [],
  ]);
  return {
    tickets,
    threads: [
      ...threads.map((thread) => ({
        type: 'thread' as const,
        id: thread.id,
        title: thread.title,
        url: threadPath(thread.id, thread.slug),
        created_at: thread.created_at,
      })),
      ...posts.map((post) => ({
        type: 'post' as const,
        id: post.id,
        title: `Answer by ${post.author_name} on “${post.title}”`,
        url: `${threadPath(post.thread_id, post.slug)}#answer-${post.id}`,
        created_at: post.created_at,
      })),
    ],
  };
}

/** The updates of a known issue, newest first; for customers only the public ones. */
export async function problemTimeline(
  db: Database,
  problemId: number,
  options: { publicOnly?: boolean } = {},
) {
  let query = db
    .selectFrom('problem_updates')
    .leftJoin('users', 'users.id', 'problem_updates.created_by')
    .select([
      'problem_updates.id',
      'problem_updates.state',
      'problem_updates.note_md',
      'problem_updates.public',
      'problem_updates.created_at',
      'users.display_name as author_name',
    ])
    .where('problem_updates.problem_id', '=', problemId);
  if (options.publicOnly) query = query.where('problem_updates.public', '=', 1);
  const rows = await query
    .orderBy('problem_updates.created_at', 'desc')
    .orderBy('problem_updates.id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, note_html: renderMarkdown(row.note_md).html }));
}

/** The team's page: the issue, its links, the people and organisations it affects, its updates. */
export async function agentProblemPage(db: Database, problemId: number) {
  const problem = await problemById(db, problemId);
  if (!problem) return null;
  const [links, people, timeline, workaround] = await Promise.all([
    problemLinks(db, problemId),
    affectedPeople(db, problemId),
    problemTimeline(db, problemId),
    problem.workaround_article_id
      ? db
          .selectFrom('articles')
          .select(['id', 'title', 'slug', 'published_at'])
          .where('id', '=', problem.workaround_article_id)
          .executeTakeFirst()
      : undefined,
  ]);
  const organizations = new Map<number, { id: number; name: string; people: number }>();
  for (const person of people)
    if (person.organization_id !== null && person.organization_name) {
      const entry = organizations.get(person.organization_id) ?? {
        id: person.organization_id,
        name: person.organization_name,
        people: 0,
      };
      entry.people += 1;
      organizations.set(person.organization_id, entry);
    }
  return {
    problem,
    workaround: workaround ?? null,
    ...links,
    people,
    organizations: [...organizations.values()].sort((a, b) => b.people - a.people),
    timeline,
    trend: problemTrend(people, links.tickets, workaround?.published_at ?? null),
  };
}

/**
 * What an agent typed to link: a ticket number (`#12`, `12`), or the address of a thread or
 * answer. Articles are not reports of a problem: a workaround article is set on the issue.
 */
export async function parseProblemTarget(
  db: Database,
  text: string,
): Promise<ProblemTarget | null> {
  const value = text.trim();
  const ticket = /^#?(\d{1,12})$/.exec(value) ?? /\/tickets\/(\d{1,12})\b/.exec(value);
  if (ticket) return { type: 'ticket', id: Number(ticket[1]) };
  const reference = await parseLinkReference(db, value);
  if (reference?.type === 'thread' || reference?.type === 'post')
    return { type: reference.type, id: reference.id };
  return null;
}

/**
 * The known issue one of these tickets, threads or answers reports, as its banner shows it: to
 * staff any, to everyone else only a public one. Null when there is none to show.
 */
export async function problemBanner(
  db: Database,
  targets: { type: ProblemTarget['type']; ids: number[] }[],
  staff: boolean,
) {
  const wanted = targets.filter((target) => target.ids.length > 0);
  if (wanted.length === 0) return null;
  let query = db
    .selectFrom('problem_links')
    .innerJoin('problems', 'problems.id', 'problem_links.problem_id')
    .leftJoin('articles', (join) =>
      join
        .onRef('articles.id', '=', 'problems.workaround_article_id')
        .on('articles.status', '=', 'published'),
    )
    .select([
      'problems.id',
      'problems.title',
      'problems.state',
      'problems.public',
      'problems.public_summary_md',
      'articles.title as workaround_title',
      'articles.slug as workaround_slug',
    ])
    .where((eb) =>
      eb.or(
        wanted.map((target) =>
          eb.and([
            eb('problem_links.target_type', '=', target.type),
            eb('problem_links.target_id', 'in', target.ids),
          ]),
        ),
      ),
    );
  if (!staff) query = query.where('problems.public', '=', 1);
  const row = await query.orderBy('problem_links.id').executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    public: row.public === 1,
    summary_html: renderMarkdown(row.public_summary_md).html,
    workaround:
      row.workaround_title && row.workaround_slug
        ? { title: row.workaround_title, url: `/kb/${row.workaround_slug}` }
        : null,
  };
}

/** The known issues that touch one organisation, with its people they affect, newest first. */
export async function knownIssuesOfOrganization(db: Database, organizationId: number) {
  const ofTickets = db
    .selectFrom('problem_links')
    .innerJoin('tickets', 'tickets.id', 'problem_links.target_id')
    .select(['problem_links.problem_id', 'tickets.requester_id as user_id'])
    .where('problem_links.target_type', '=', 'ticket')
    .where('tickets.organization_id', '=', organizationId);
  const ofThreads = db
    .selectFrom('problem_links')
    .innerJoin('threads', 'threads.id', 'problem_links.target_id')
    .innerJoin('users', 'users.id', 'threads.author_id')
    .select(['problem_links.problem_id', 'users.id as user_id'])
    .where('problem_links.target_type', '=', 'thread')
    .where('users.organization_id', '=', organizationId);
  const ofPosts = db
    .selectFrom('problem_links')
    .innerJoin('posts', 'posts.id', 'problem_links.target_id')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select(['problem_links.problem_id', 'users.id as user_id'])
    .where('problem_links.target_type', '=', 'post')
    .where('users.organization_id', '=', organizationId);
  const ofFollowers = db
    .selectFrom('problem_followers')
    .innerJoin('users', 'users.id', 'problem_followers.user_id')
    .select(['problem_followers.problem_id', 'users.id as user_id'])
    .where('users.organization_id', '=', organizationId);
  const pairs = await ofTickets.union(ofThreads).union(ofPosts).union(ofFollowers).execute();
  if (pairs.length === 0) return [];
  const [problems, users] = await Promise.all([
    db
      .selectFrom('problems')
      .select(['id', 'title', 'state', 'updated_at'])
      .where('id', 'in', [...new Set(pairs.map((pair) => pair.problem_id))])
      .orderBy('updated_at', 'desc')
      .execute(),
    db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [...new Set(pairs.map((pair) => pair.user_id))])
      .execute(),
  ]);
  const nameOf = new Map(users.map((user) => [user.id, user.display_name]));
  return problems.map((problem) => ({
    ...problem,
    people: pairs
      .filter((pair) => pair.problem_id === problem.id)
      .map((pair) => nameOf.get(pair.user_id) ?? '')
      .sort(),
  }));
}

const weekMs = 7 * 86_400_000;

/** The Monday (UTC) of a moment's week, as a day. */
function weekOf(at: string) {
  const date = new Date(at);
  const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
}

/**
 * A known issue over time: people newly affected each week (by a ticket, or by a question, an
 * answer or a follow), and, once a workaround article is published, the tickets it avoided:
 * the weekly rate of linked tickets before it, times the weeks since, less the tickets since.
 */
export function problemTrend(
  people: { since: string; reasons: string[]; organization_id: number | null }[],
  tickets: { created_at: string }[],
  workaroundPublishedAt: string | null,
  now = new Date(),
) {
  const firsts = people.map((person) => person.since).sort();
  const start = firsts[0] ? weekOf(firsts[0]) : weekOf(now.toISOString());
  const weeks: { week: string; tickets: number; community: number; organizations: number }[] = [];
  const seenOrganizations = new Set<number>();
  for (
    let at = Date.parse(`${start}T00:00:00Z`);
    at <= now.getTime() && weeks.length < 26;
    at += weekMs
  ) {
    const week = new Date(at).toISOString().slice(0, 10);
    const joined = people.filter((person) => weekOf(person.since) === week);
    for (const person of joined)
      if (person.organization_id !== null) seenOrganizations.add(person.organization_id);
    weeks.push({
      week,
      tickets: joined.filter((person) => person.reasons.includes('requester')).length,
      community: joined.filter((person) => !person.reasons.includes('requester')).length,
      organizations: seenOrganizations.size,
    });
  }
  let avoided: { since: string; before: number; after: number; estimate: number } | null = null;
  const created = tickets.map((ticket) => Date.parse(ticket.created_at));
  const published = workaroundPublishedAt ? Date.parse(workaroundPublishedAt) : null;
  // Only a workaround published after the first ticket has a "before" to compare with.
  if (workaroundPublishedAt && published !== null && published > Math.min(...created)) {
    const first = Math.min(...created);
    const weeksBefore = Math.max(1, (published - first) / weekMs);
    const weeksAfter = Math.max(0, (now.getTime() - published) / weekMs);
    const before = created.filter((at) => at < published).length;
    const after = created.length - before;
    const expected = (before / weeksBefore) * weeksAfter;
    avoided = {
      since: workaroundPublishedAt,
      before: Math.round((before / weeksBefore) * 10) / 10,
      after,
      estimate: Math.max(0, Math.round(expected - after)),
    };
  }
  return {
    weeks,
    avoided,
    /** A workaround there was before the first ticket: nothing to compare it with. */
    workaroundFirst: workaroundPublishedAt !== null && avoided === null,
  };
}
