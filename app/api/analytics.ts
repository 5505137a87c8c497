import { z } from 'zod';
import { gapKinds, journeyStages } from '#db/schema';

/**
 * GET /api/v1/analytics/*: the gap dashboard's figures as JSON. The routes answer with these
 * shapes (a test checks every response against them) and the OpenAPI document is built from them.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().min(0);
const share = z.number().min(0).max(1).nullable();
const id = z.number().int().positive();

export const analyticsQuery = z
  .object({
    range: z
      .enum(['7', '30', '90', 'custom'])
      .default('30')
      .describe('The last 7, 30 or 90 days (UTC, today included), or custom with from and to.'),
    from: day.optional().describe('First day of a custom range (YYYY-MM-DD).'),
    to: day
      .optional()
      .describe('Last day of a custom range (YYYY-MM-DD); at most a year after from.'),
  })
  .strict();

export const range = z.object({
  key: z.enum(['7', '30', '90', 'custom']),
  from: day,
  to: day,
  days: count,
});

const week = z.object({
  week: day.describe('The Monday the week starts on.'),
  visitors: count.describe('Distinct readers with a search, click, view, vote or self-resolution.'),
  requesters: count.describe('Distinct members who filed a ticket.'),
  score: z.number().nullable().describe('visitors ÷ requesters; null without tickets.'),
  partial: z.boolean().describe('The week is still running.'),
});

export const selfServiceResponse = z.object({
  range,
  weeks: z.array(week),
  latest: week.nullable().describe('The last complete week with tickets.'),
  trend: z.number().nullable().describe('Least-squares change of the score per week.'),
});

const queryRow = z.object({
  query: z.string(),
  searches: count,
  zero_results: count,
  clicked: count,
  last_day: day,
});

export const searchResponse = z.object({
  range,
  searches: count,
  zero_results: count,
  clicked: count.describe('Searches followed by a result click within 30 minutes.'),
  zero_result_rate: share,
  click_through_rate: share.describe('Clicked searches ÷ searches that found something.'),
  days: z.array(z.object({ day, searches: count, zero_results: count, clicked: count })),
  zero_result_queries: z.array(queryRow),
  low_click_queries: z.array(
    queryRow.extend({ with_results: count, click_rate: z.number().min(0).max(1) }),
  ),
});

const article = z.object({
  id,
  slug: z.string(),
  title: z.string(),
  journey_stage: z.enum(journeyStages).nullable(),
  category_id: id.nullable(),
  views: count,
  votes: count,
  helpful_votes: count,
  helpful_percent: z.number().int().min(0).max(100).nullable(),
  self_resolutions: count,
  tickets_resolved: count,
  tickets_after_reading: count.describe('Tickets filed within 24 h after the requester read it.'),
  review_due_at: z.string().nullable(),
  review_overdue: z.boolean(),
});

export const articlesResponse = z.object({
  range,
  articles: z.array(article),
  views: count,
  votes: count,
  helpful_percent: z.number().int().min(0).max(100).nullable(),
  self_resolutions: count,
  overdue_reviews: count,
});

const resolutionCounts = z.object({ article: count, thread: count, none: count, other: count });
const group = z.object({ label: z.string(), count });

export const ticketsResponse = z.object({
  range,
  created: count,
  solved: count,
  resolutions: resolutionCounts,
  resolution_percent: resolutionCounts,
  bucket: z.enum(['day', 'week']),
  periods: z.array(resolutionCounts.extend({ start: day })),
  no_content: z.object({
    tickets: z.array(
      z.object({
        id,
        subject: z.string(),
        category_id: id.nullable(),
        category: z.string().nullable(),
        resolved_at: z.string(),
        tags: z.array(z.string()),
      }),
    ),
    by_category: z.array(group),
    by_tag: z.array(group),
    by_subject: z.array(group.extend({ ticket_ids: z.array(id) })),
  }),
});

export const threadsResponse = z.object({
  range,
  unanswered: z.array(
    z.object({
      id,
      title: z.string(),
      slug: z.string(),
      views: count,
      created_at: z.string(),
      category_id: id.nullable(),
      journey_stage: z.enum(journeyStages).nullable(),
    }),
  ),
  promotion_candidates: z.array(
    z.object({
      id,
      title: z.string(),
      slug: z.string(),
      journey_stage: z.enum(journeyStages).nullable(),
      category_id: id.nullable(),
      self_resolutions: count,
      tickets_resolved: count,
      ticket_ids: z.array(id),
      answer_id: id.nullable(),
      draft_article_id: id.nullable(),
    }),
  ),
});

export const stagesResponse = z.object({
  range,
  stages: z.array(
    z.object({
      stage: z.enum([...journeyStages, 'unknown']),
      articles: count.describe('Published articles of this stage.'),
      tickets: count.describe('Tickets whose linked content has this stage.'),
      failed_searches: count.describe(
        'Searches that found nothing, by the stage of what the reader opened next.',
      ),
    }),
  ),
});

const gap = z.object({
  key: z.string(),
  kind: z.enum(gapKinds),
  title: z.string(),
  score: z.number().min(0),
  parts: z.array(
    z.object({ label: z.string(), count, weight: z.string(), points: z.number().min(0) }),
  ),
  evidence: z.object({
    queries: z.array(
      z.object({ query: z.string(), searches: count, zero_results: count, unclicked: count }),
    ),
    tickets: z.array(z.object({ id, subject: z.string(), at: z.string(), why: z.string() })),
    threads: z.array(z.object({ id, title: z.string(), slug: z.string(), views: count })),
    feedback: z.array(
      z.object({ reason: z.string().nullable(), comment: z.string().nullable(), at: z.string() }),
    ),
    article: z
      .object({ id, title: z.string(), slug: z.string(), review_due_at: z.string().nullable() })
      .nullable(),
    answer: z
      .object({ thread_id: id, post_id: id, title: z.string(), slug: z.string() })
      .nullable(),
  }),
  state: z.enum(['open', 'in_progress', 'done', 'dismissed']),
  came_back: z.boolean(),
  id: id.nullable(),
  draft: z.object({ id, title: z.string(), status: z.string() }).nullable(),
  done_at: z.string().nullable(),
  reason: z.string().nullable(),
  terms: z.array(z.string()),
  category_id: id.nullable(),
  journey_stage: z.enum(journeyStages).nullable(),
  tags: z.array(z.string()),
});

export const gapsResponse = z.object({
  range,
  counts: z.object({ open: count, done: count, dismissed: count }),
  open: z.array(gap).describe('Ranked, biggest score first; the first 100 of each list.'),
  done: z.array(gap),
  dismissed: z.array(gap),
});

export const summaryResponse = z.object({
  range,
  self_service_score: z.number().nullable(),
  self_service_trend: z.number().nullable(),
  searches: count,
  zero_result_rate: share,
  click_through_rate: share,
  article_views: count,
  helpful_percent: z.number().int().min(0).max(100).nullable(),
  tickets_created: count,
  tickets_solved: count,
  resolutions: resolutionCounts,
  open_gaps: count,
});

/** The range parameters of every analytics and report endpoint, as OpenAPI query parameters. */
export function rangeParameters(
  toJsonSchema: (type: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>,
) {
  const query = z
    .object({ properties: z.record(z.string(), z.looseObject({})) })
    .parse(toJsonSchema(analyticsQuery, 'input'));
  return Object.entries(query.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }));
}

/** The analytics part of the OpenAPI document, with the converter and errors it uses. */
export function analyticsOpenApi(
  toJsonSchema: (type: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>,
  errors: Record<string, unknown>,
) {
  const parameters = rangeParameters(toJsonSchema);
  const endpoints = [
    ['summary', 'AnalyticsSummary', summaryResponse, 'The headline figures'],
    ['self-service', 'AnalyticsSelfService', selfServiceResponse, 'Self-service score per week'],
    [
      'search',
      'AnalyticsSearch',
      searchResponse,
      'Search volume, zero results, click-through and queries',
    ],
    [
      'articles',
      'AnalyticsArticles',
      articlesResponse,
      'Views, helpful %, self-resolutions and tickets per article',
    ],
    [
      'tickets',
      'AnalyticsTickets',
      ticketsResponse,
      'What resolved tickets, and tickets solved without content',
    ],
    [
      'threads',
      'AnalyticsThreads',
      threadsResponse,
      'Unanswered threads and answers worth an article',
    ],
    [
      'stages',
      'AnalyticsStages',
      stagesResponse,
      'Articles, tickets and failed searches per journey stage',
    ],
    ['gaps', 'AnalyticsGaps', gapsResponse, 'The content gap queue'],
  ] as const;
  const paths = Object.fromEntries(
    endpoints.map(([path, name, , summary]) => [
      `/analytics/${path}`,
      {
        get: {
          operationId: `analytics${name.replace('Analytics', '')}`,
          summary,
          description:
            'Scope read; a personal token only when its owner is on the support team (a customer’s token gets 403 forbidden). Staff and bots are left out of every figure; days are UTC. See docs/decisions/008-gap-analytics.md for the definitions.',
          parameters,
          responses: {
            '200': {
              description: summary,
              content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
            },
            '400': {
              description: 'A range that makes no sense (invalid_request).',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            ...errors,
          },
        },
      },
    ]),
  );
  const schemas = Object.fromEntries(endpoints.map(([, name, type]) => [name, toJsonSchema(type)]));
  return { paths, schemas };
}
