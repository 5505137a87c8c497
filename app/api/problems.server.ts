import type { z } from 'zod';
import type { Database } from '#db/client';
import { affectedPeople, problemById } from '~/models/problems/problems.server';
import type { ApiCaller } from './access.server';
import type { problemResponse } from './problems';

/** A known issue as API v1 gives it; null when the caller may not see it. */
export async function problemJson(
  db: Database,
  caller: ApiCaller,
  id: number,
): Promise<z.infer<typeof problemResponse> | null> {
  const problem = await problemById(db, id);
  // A customer's token (it sees only its owner's tickets) sees public known issues only.
  const team = caller.ticketsOf === null;
  if (!problem || (!team && problem.public !== 1)) return null;
  const [people, links] = await Promise.all([
    affectedPeople(db, id),
    db
      .selectFrom('problem_links')
      .select(['target_type', 'target_id'])
      .where('problem_id', '=', id)
      .orderBy('id')
      .execute(),
  ]);
  const idsOf = (type: string) =>
    links.filter((link) => link.target_type === type).map((link) => link.target_id);
  return {
    id: problem.id,
    title: problem.title,
    state: problem.state,
    public: problem.public === 1,
    summary: problem.public_summary_md,
    category_id: problem.category_id,
    workaround_article_id: problem.workaround_article_id,
    affected_people: people.length,
    created_at: problem.created_at,
    updated_at: problem.updated_at,
    fixed_at: problem.fixed_at,
    team: team
      ? {
          description: problem.description_md,
          tracker_id: problem.tracker_id,
          tracker_url: problem.tracker_url,
          ticket_ids: idsOf('ticket'),
          thread_ids: idsOf('thread'),
          post_ids: idsOf('post'),
        }
      : null,
  };
}
