import type { Database } from '#db/client';
import { resolutionKinds, type ResolutionKind } from '#db/schema';
import { rangeBounds, type DateRange } from './date-range';
import { shareOf } from './report-stats';

/**
 * Satisfaction (CSAT) in a range: the answers requesters gave in it, each with who solved the
 * ticket, its category and what resolved it as they were at the solve. A merged ticket's answer
 * counts under the ticket it was merged into, not twice.
 */

export type RatingFacts = {
  ticket_id: number;
  rating: 'good' | 'bad';
  agent_id: number | null;
  category_id: number | null;
  resolution_kind: ResolutionKind | null;
  organization_id: number | null;
};

export async function ratingsIn(db: Database, range: DateRange): Promise<RatingFacts[]> {
  const { start, end } = rangeBounds(range);
  const rows = await db
    .selectFrom('satisfaction_ratings')
    .innerJoin('tickets', 'tickets.id', 'satisfaction_ratings.ticket_id')
    .select([
      'satisfaction_ratings.ticket_id',
      'satisfaction_ratings.rating',
      'satisfaction_ratings.agent_id',
      'satisfaction_ratings.category_id',
      'satisfaction_ratings.resolution_kind',
      'tickets.organization_id',
    ])
    .where('tickets.merged_into_id', 'is', null)
    .where('satisfaction_ratings.rated_at', '>=', start)
    .where('satisfaction_ratings.rated_at', '<', end)
    .execute();
  return rows.flatMap(({ rating, ...row }) => (rating ? [{ ...row, rating }] : []));
}

export type Satisfaction = {
  ratings: number;
  good: number;
  bad: number;
  /** good ÷ ratings, 0–1; null without ratings. */
  good_share: number | null;
};

export function satisfactionOf(ratings: Pick<RatingFacts, 'rating'>[]): Satisfaction {
  const good = ratings.filter((row) => row.rating === 'good').length;
  return {
    ratings: ratings.length,
    good,
    bad: ratings.length - good,
    good_share: shareOf(good, ratings.length),
  };
}

/** Ratings grouped by a key, each group's satisfaction; most ratings first. */
export function satisfactionBy<K>(ratings: RatingFacts[], keyOf: (row: RatingFacts) => K) {
  const groups = new Map<K, RatingFacts[]>();
  for (const row of ratings) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.entries()]
    .map(([key, rows]) => ({ key, ...satisfactionOf(rows) }))
    .sort((a, b) => b.ratings - a.ratings);
}

/** Every resolution kind in its usual order, with no ratings where none came in. */
export function satisfactionByResolution(ratings: RatingFacts[]) {
  return resolutionKinds.map((kind) => ({
    kind,
    ...satisfactionOf(ratings.filter((row) => row.resolution_kind === kind)),
  }));
}

async function namesOf(db: Database, table: 'users' | 'categories', ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows =
    table === 'users'
      ? await db
          .selectFrom('users')
          .select(['id', 'display_name as name'])
          .where('id', 'in', ids)
          .execute()
      : await db.selectFrom('categories').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Satisfaction overall and by agent (who solved), category and what resolved the ticket. */
export async function satisfactionFigures(db: Database, range: DateRange, ratings?: RatingFacts[]) {
  const rows = ratings ?? (await ratingsIn(db, range));
  const byAgent = satisfactionBy(rows, (row) => row.agent_id);
  const byCategory = satisfactionBy(rows, (row) => row.category_id);
  const ids = (keys: (number | null)[]) => keys.filter((key): key is number => key !== null);
  const [agents, categories] = await Promise.all([
    namesOf(db, 'users', ids(byAgent.map((row) => row.key))),
    namesOf(db, 'categories', ids(byCategory.map((row) => row.key))),
  ]);
  return {
    ...satisfactionOf(rows),
    by_agent: byAgent.map(({ key, ...figures }) => ({
      agent_id: key,
      agent: key === null ? 'Former team member' : (agents.get(key) ?? 'Former team member'),
      ...figures,
    })),
    by_category: byCategory.map(({ key, ...figures }) => ({
      category_id: key,
      category: key === null ? 'No category' : (categories.get(key) ?? 'Deleted category'),
      ...figures,
    })),
    by_resolution: satisfactionByResolution(rows),
  };
}

export type SatisfactionFigures = Awaited<ReturnType<typeof satisfactionFigures>>;
