import type { GapKind, JourneyStage } from '#db/schema';
import { journeyStages } from '#db/schema';
import { termsOf, type TopicItem } from '../topics';
import type { ArticleFigure, PromotionCandidate, UnansweredThread } from './content-figures.server';
import { isLowClick, type QueryRow } from './figures.server';
import type { GapState } from './gap-labels';
import type { NoContentTicket } from './ticket-figures.server';

/**
 * How a content gap is scored, with no database: each gap's score is a sum of counts times
 * weights, and the page shows that sum. Three kinds: a problem with no content (failed searches,
 * tickets answered without content and unanswered threads about the same thing), an answer that
 * keeps solving problems but is no article yet, and an article that does not work.
 */

export const gapWeights = {
  zeroResultSearch: 1,
  unclickedSearch: 1,
  noContentTicket: 5,
  /** One point per this many views of an unanswered thread. */
  viewsPerPoint: 25,
  selfResolution: 1,
  threadTicket: 3,
  ticketAfterReading: 5,
  notHelpfulVote: 1,
  overdueReview: 3,
} as const;

/**
 * "Not helpful" votes count against an article when they are most of its votes: every article
 * gets some, and four of twenty says little.
 */
export function notHelpfulCounted(votes: number, helpful: number) {
  return helpful * 2 < votes ? votes - helpful : 0;
}

/** Below this score a signal is noise, and a done gap that scores this much again comes back. */
export const minimumScore = 3;

export type ScorePart = { label: string; count: number; weight: string; points: number };

export type GapEvidence = {
  queries: { query: string; searches: number; zero_results: number; unclicked: number }[];
  tickets: { id: number; subject: string; at: string; why: string }[];
  threads: { id: number; title: string; slug: string; views: number }[];
  feedback: { reason: string | null; comment: string | null; at: string }[];
  article: { id: number; title: string; slug: string; review_due_at: string | null } | null;
  answer: { thread_id: number; post_id: number; title: string; slug: string } | null;
};

export type Gap = {
  key: string;
  kind: GapKind;
  title: string;
  score: number;
  parts: ScorePart[];
  evidence: GapEvidence;
  state: GapState;
  /** A done gap whose problem came back after it was done. */
  came_back: boolean;
  id: number | null;
  draft: { id: number; title: string; status: string } | null;
  done_at: string | null;
  reason: string | null;
  terms: string[];
  category_id: number | null;
  journey_stage: JourneyStage | null;
  tags: string[];
};

export function emptyEvidence(): GapEvidence {
  return { queries: [], tickets: [], threads: [], feedback: [], article: null, answer: null };
}

/** The evidence of an article under review before its tickets and votes are read. */
export function articleEvidence(article: ArticleFigure): GapEvidence {
  return {
    ...emptyEvidence(),
    article: {
      id: article.id,
      title: article.title,
      slug: article.slug,
      review_due_at: article.review_due_at,
    },
  };
}

/** A gap as computed from its evidence; what was done about it is added from content_gaps. */
export function newGap(
  fields: Pick<Gap, 'key' | 'kind' | 'title' | 'parts' | 'evidence'> & Partial<Gap>,
): Gap {
  return {
    score: sumPoints(fields.parts),
    state: 'open',
    came_back: false,
    id: null,
    draft: null,
    done_at: null,
    reason: null,
    terms: [],
    category_id: null,
    journey_stage: null,
    tags: [],
    ...fields,
  };
}

const singular: Record<string, string> = {
  'searches found nothing': 'search found nothing',
  'searches with results nobody opened': 'search with results nobody opened',
  'tickets answered without content': 'ticket answered without content',
  'views of unanswered questions': 'view of an unanswered question',
  'readers said it solved their problem': 'reader said it solved their problem',
  'tickets it resolved': 'ticket it resolved',
  'tickets filed within 24 h after reading it': 'ticket filed within 24 h after reading it',
  'readers said it was not helpful': 'reader said it was not helpful',
};

/** One line of a score: how many of what, times its weight. */
function part(label: string, count: number, weight: number | string, points: number) {
  return {
    label: count === 1 ? (singular[label] ?? label) : label,
    count,
    weight: String(weight),
    points,
  };
}

/** Adds "count × weight" to a score when there is anything to count. */
export function addWeighted(parts: ScorePart[], label: string, count: number, weight: number) {
  if (count) parts.push(part(label, count, weight, count * weight));
}

export function sumPoints(parts: ScorePart[]) {
  return parts.reduce((sum, item) => sum + item.points, 0);
}

function mostCommon<T>(values: (T | null)[]): T | null {
  const counts = new Map<T, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

const asStage = (stage: string | null): JourneyStage | null =>
  journeyStages.find((candidate) => candidate === stage) ?? null;

// ---------------------------------------------------------------------------------------------
// Problems with no content

/** Searches with results in which nothing was opened, for queries that are rarely clicked. */
export function unclickedSearches(row: QueryRow) {
  return isLowClick(row) ? row.searches - row.zero_results - row.clicked : 0;
}

export type MissingItem =
  | { type: 'query'; row: QueryRow; unclicked: number }
  | { type: 'ticket'; ticket: NoContentTicket }
  | { type: 'thread'; thread: UnansweredThread; points: number };

/** Failed searches, tickets answered without content and unanswered threads, to group by topic. */
export function missingContentItems(
  queries: QueryRow[],
  noContent: NoContentTicket[],
  unanswered: UnansweredThread[],
): TopicItem<MissingItem>[] {
  const items: TopicItem<MissingItem>[] = [];
  const queryItems = queries
    .map((row) => ({ row, unclicked: unclickedSearches(row) }))
    .filter((item) => item.row.zero_results + item.unclicked > 0)
    .sort(
      (a, b) =>
        b.row.zero_results + b.unclicked - (a.row.zero_results + a.unclicked) ||
        a.row.query.localeCompare(b.row.query),
    )
    .slice(0, 300);
  for (const { row, unclicked } of queryItems)
    items.push({
      terms: termsOf(row.query),
      weight: row.zero_results + unclicked,
      text: row.query,
      value: { type: 'query', row, unclicked },
    });
  for (const ticket of noContent)
    items.push({
      terms: termsOf(ticket.subject),
      weight: gapWeights.noContentTicket,
      text: ticket.subject,
      value: { type: 'ticket', ticket },
    });
  for (const thread of unanswered) {
    const points = Math.floor(thread.views / gapWeights.viewsPerPoint);
    items.push({
      terms: termsOf(thread.title),
      weight: points,
      text: thread.title,
      value: { type: 'thread', thread, points },
    });
  }
  return items;
}

export function missingContentParts(items: MissingItem[]) {
  let zero = 0;
  let unclicked = 0;
  let tickets = 0;
  let views = 0;
  let viewPoints = 0;
  for (const item of items) {
    if (item.type === 'query') {
      zero += item.row.zero_results;
      unclicked += item.unclicked;
    } else if (item.type === 'ticket') tickets += 1;
    else {
      views += item.thread.views;
      viewPoints += item.points;
    }
  }
  const parts: ScorePart[] = [];
  addWeighted(parts, 'searches found nothing', zero, gapWeights.zeroResultSearch);
  addWeighted(parts, 'searches with results nobody opened', unclicked, gapWeights.unclickedSearch);
  addWeighted(parts, 'tickets answered without content', tickets, gapWeights.noContentTicket);
  if (views)
    parts.push(
      part('views of unanswered questions', views, `1 per ${gapWeights.viewsPerPoint}`, viewPoints),
    );
  return parts;
}

export function missingContentGap(
  key: string,
  title: string,
  terms: string[],
  items: MissingItem[],
): Gap {
  const evidence = emptyEvidence();
  const tickets: NoContentTicket[] = [];
  const threadStages: (string | null)[] = [];
  const categories: (number | null)[] = [];
  for (const item of items) {
    if (item.type === 'query')
      evidence.queries.push({
        query: item.row.query,
        searches: item.row.searches,
        zero_results: item.row.zero_results,
        unclicked: item.unclicked,
      });
    else if (item.type === 'ticket') {
      tickets.push(item.ticket);
      categories.push(item.ticket.category_id);
      evidence.tickets.push({
        id: item.ticket.id,
        subject: item.ticket.subject,
        at: item.ticket.resolved_at,
        why: 'answered without content',
      });
    } else {
      threadStages.push(item.thread.journey_stage);
      categories.push(item.thread.category_id);
      evidence.threads.push({
        id: item.thread.id,
        title: item.thread.title,
        slug: item.thread.slug,
        views: item.thread.views,
      });
    }
  }
  evidence.tickets.sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  evidence.queries.sort(
    (a, b) =>
      b.zero_results + b.unclicked - (a.zero_results + a.unclicked) ||
      a.query.localeCompare(b.query),
  );
  const tagCounts = new Map<string, number>();
  for (const ticket of tickets)
    for (const tag of ticket.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  return newGap({
    key,
    kind: 'missing_content',
    title,
    parts: missingContentParts(items),
    evidence,
    terms,
    category_id: mostCommon(categories),
    journey_stage: asStage(mostCommon(threadStages)),
    tags: [...tagCounts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([tag]) => tag),
  });
}

/** The name a topic goes by: its heaviest ticket or question, else its heaviest query. */
export function topicTitle(items: TopicItem<MissingItem>[]) {
  const named = items.find((item) => item.value.type !== 'query');
  return (named ?? items[0])?.text ?? '';
}

// ---------------------------------------------------------------------------------------------
// Answers worth an article

export function promotionParts(candidate: { self_resolutions: number; tickets_resolved: number }) {
  const parts: ScorePart[] = [];
  addWeighted(
    parts,
    'readers said it solved their problem',
    candidate.self_resolutions,
    gapWeights.selfResolution,
  );
  addWeighted(parts, 'tickets it resolved', candidate.tickets_resolved, gapWeights.threadTicket);
  return parts;
}

export function promotionGap(candidate: PromotionCandidate, subjects: Map<number, string>): Gap {
  const evidence = emptyEvidence();
  evidence.tickets = candidate.ticket_ids.map((id) => ({
    id,
    subject: subjects.get(id) ?? `Ticket #${id}`,
    at: '',
    why: 'resolved by this thread',
  }));
  evidence.threads = [{ id: candidate.id, title: candidate.title, slug: candidate.slug, views: 0 }];
  evidence.answer = candidate.answer_id
    ? {
        thread_id: candidate.id,
        post_id: candidate.answer_id,
        title: candidate.title,
        slug: candidate.slug,
      }
    : null;
  return newGap({
    key: `promote.thread-${candidate.id}`,
    kind: 'promote_answer',
    title: candidate.title,
    parts: promotionParts(candidate),
    evidence,
    state: candidate.draft_article_id ? 'in_progress' : 'open',
    category_id: candidate.category_id,
    journey_stage: asStage(candidate.journey_stage),
  });
}

// ---------------------------------------------------------------------------------------------
// Articles that do not work

export function reviewParts(article: {
  afterReading: number;
  notHelpful: number;
  overdue: boolean;
}) {
  const parts: ScorePart[] = [];
  addWeighted(
    parts,
    'tickets filed within 24 h after reading it',
    article.afterReading,
    gapWeights.ticketAfterReading,
  );
  addWeighted(
    parts,
    'readers said it was not helpful',
    article.notHelpful,
    gapWeights.notHelpfulVote,
  );
  if (article.overdue)
    parts.push(part('review overdue', 1, gapWeights.overdueReview, gapWeights.overdueReview));
  return parts;
}

export function articleReviewParts(article: ArticleFigure) {
  return reviewParts({
    afterReading: article.tickets_after_reading,
    notHelpful: notHelpfulCounted(article.votes, article.helpful_votes),
    overdue: article.review_overdue,
  });
}

export function needsReview(article: ArticleFigure) {
  return articleReviewParts(article).length > 0;
}

export function reviewGap(article: ArticleFigure, evidence: GapEvidence): Gap {
  return newGap({
    key: `review.article-${article.id}`,
    kind: 'review_article',
    title: article.title,
    parts: articleReviewParts(article),
    evidence,
    category_id: article.category_id,
    journey_stage: asStage(article.journey_stage),
  });
}
