import { z } from 'zod';
import { resolutionKinds, ticketPriorities, ticketStatuses } from '#db/schema';

/**
 * What API v1 accepts and returns. The routes validate with these schemas and the OpenAPI
 * document is generated from them, so the two cannot drift apart.
 */

const id = z.number().int().positive();

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const createTicketBody = z
  .object({
    subject: z.string().trim().min(5).max(150).describe('What the customer needs help with.'),
    body: z.string().trim().min(10).max(30_000).describe('The first message, in Markdown.'),
    requester: z
      .object({
        email: z.email().max(254),
        name: z.string().trim().max(80).optional(),
      })
      .optional()
      .describe(
        'Found by email; an unknown address gets an account that cannot sign in yet. A site token must name the requester; a personal token files for its owner when it is left out, and a customer’s token may name only its owner.',
      ),
    category_id: id.nullable().optional(),
    priority: z.enum(ticketPriorities).optional().describe('normal when left out.'),
    fields: z
      .record(z.string(), fieldValue)
      .optional()
      .describe(
        'Custom field values by key (see the admin’s ticket fields): text, a number, a dropdown’s choice, true/false for a checkbox, a date as 2026-12-31. Checked like the contact form.',
      ),
    thread_id: id.optional().describe('The community thread the ticket came from, if any.'),
    external_id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'The ticket’s id in the helpdesk it lives in; posting it again updates the mirror.',
      ),
    external_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict();

export const linkBody = z
  .object({
    type: z.enum(['thread', 'post', 'article']).describe('post means an answer.'),
    id,
  })
  .strict();

export const resolveBody = z
  .object({
    kind: z.enum(resolutionKinds),
    article_id: id.optional(),
    thread_id: id.optional(),
    post_id: id.optional(),
    problem_id: id
      .optional()
      .describe('For kind known_issue: the known issue whose fix solved it.'),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

const link = z.object({
  type: z.enum(['thread', 'post', 'article']),
  id,
  relation: z.enum(['filed_from', 'escalated_from', 'related']),
  title: z.string(),
  url: z.string(),
});

export const ticketResponse = z.object({
  id,
  subject: z.string(),
  body: z.string(),
  status: z.enum(ticketStatuses),
  priority: z.enum(ticketPriorities),
  source: z.string(),
  fields: z
    .record(z.string(), fieldValue)
    .describe(
      'Custom field values by key, null when empty (a checkbox: true or false). A customer’s token gets only the fields customers see.',
    ),
  requester: z.object({ id, name: z.string(), email: z.string() }),
  organization: z.object({ id, name: z.string() }).nullable(),
  assignee: z.object({ id, name: z.string() }).nullable(),
  external_id: z.string().nullable(),
  external_url: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  solved_at: z.string().nullable(),
  links: z.array(link),
  resolution: z
    .object({
      kind: z.enum(resolutionKinds),
      article_id: id.nullable(),
      thread_id: id.nullable(),
      post_id: id.nullable(),
      note: z.string().nullable(),
      created_at: z.string(),
    })
    .nullable(),
  messages: z.array(
    z.object({
      id,
      kind: z.enum(['reply', 'note']),
      author: z.string(),
      body: z.string(),
      created_at: z.string(),
    }),
  ),
});

/**
 * What a write (create, link, resolve) answers: the ticket reveals its requester and internal
 * notes, so the whole ticket only goes to a token that may also read tickets.
 */
export const ticketWriteResponse = z.union([
  ticketResponse,
  z
    .object({ id })
    .describe('Only the id, when the token lacks the read scope (GET the ticket needs it).'),
]);

export const threadResponse = z.object({
  id,
  title: z.string(),
  url: z.string(),
  body: z.string(),
  status: z.string(),
  score: z.number().int(),
  views: z.number().int(),
  tags: z.array(z.string()),
  author: z.string(),
  accepted_answer_id: id.nullable(),
  created_at: z.string(),
  answers: z.array(
    z.object({
      id,
      body: z.string(),
      score: z.number().int(),
      author: z.string(),
      accepted: z.boolean(),
      created_at: z.string(),
    }),
  ),
});

export const articleResponse = z.object({
  id,
  slug: z.string(),
  title: z.string(),
  url: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  published_at: z.string().nullable(),
  updated_at: z.string(),
});

export const searchResponse = z.object({
  query: z.string(),
  total: z.number().int(),
  engine: z.enum(['meilisearch', 'fts']),
  hits: z.array(
    z.object({
      type: z.enum(['thread', 'article']),
      id,
      title: z.string(),
      snippet: z.string(),
      url: z.string(),
      answered: z.boolean(),
    }),
  ),
});

export const ticketListQuery = z.object({
  status: z.enum(ticketStatuses).optional().describe('Only tickets in this status.'),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const ticketListResponse = z.object({
  page: z.number().int(),
  has_more: z.boolean().describe('Whether the next page has more tickets.'),
  tickets: z.array(
    z.object({
      id,
      subject: z.string(),
      status: z.enum(ticketStatuses),
      priority: z.enum(ticketPriorities),
      requester: z.object({ id, name: z.string() }),
      created_at: z.string(),
      updated_at: z.string(),
    }),
  ),
});

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(200).describe('What to search for.'),
  type: z.enum(['thread', 'article']).optional().describe('Only threads or only articles.'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
});
