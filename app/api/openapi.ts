import { z } from 'zod';
import {
  articleResponse,
  createTicketBody,
  errorBody,
  linkBody,
  resolveBody,
  searchQuery,
  searchResponse,
  threadResponse,
  ticketListQuery,
  ticketListResponse,
  ticketResponse,
  ticketWriteResponse,
} from './schemas';
import { analyticsOpenApi } from './analytics';
import { problemsOpenApi } from './problems';
import { reportsOpenApi } from './reports';

/** The OpenAPI 3.1 document of API v1, built from the schemas the routes validate with. */

const schema = (type: z.ZodType, io: 'input' | 'output' = 'output') => {
  // The document declares its own dialect (JSON Schema 2020-12 is OpenAPI 3.1's default).
  const json: Record<string, unknown> = z.toJSONSchema(type, { io, unrepresentable: 'any' });
  delete json.$schema;
  return json;
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const errors = {
  '401': error('No token, or an unknown or revoked one (code unauthorized or invalid_token).'),
  '403': error(
    'The token lacks the scope (insufficient_scope); a personal token whose owner is suspended (owner_suspended) or whose owner’s role may not do this (forbidden).',
  ),
  '429': error('Over the per-token rate limit (code rate_limited); see Retry-After.'),
};

const json = (ref: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});

const body = (ref: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});

const idParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'integer', minimum: 1 },
});

const badRequest = error(
  'Malformed JSON (invalid_json) or a body that breaks the schema (invalid_request).',
);

function queryParameters(query: z.ZodType) {
  const shape = schema(query, 'input') as {
    properties: Record<string, object>;
    required?: string[];
  };
  return Object.entries(shape.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: shape.required?.includes(name) ?? false,
    schema: property,
  }));
}

/**
 * What a personal token may do, by its owner's role (decision 025); the same words as the rule in
 * ./access.server.ts.
 */
const personalTokens = [
  'Two kinds of bearer token exist. A site token is made by an admin under Administration → API tokens and acts with its scopes alone. A personal token is made by a person for their own integrations under Settings → Sessions and acts as that person: it can never do more than its owner can in the browser, and the owner’s role and standing are read on every request (a suspended owner’s token answers 403 owner_suspended; a revoked token 401).',
  'Personal tokens by role: a customer (member) reads the threads, published articles and search results they may see in the browser (content hidden from them is 404 not_found, as if it did not exist; a site token sees all content), lists and reads only the tickets they requested (anyone else’s ticket is 404) without internal notes, and files tickets for themselves only; analytics, linking and resolving tickets, mirroring other helpdesks and inbound mail answer 403 forbidden. Agents, moderators and admins do what the support desk allows them: every ticket, analytics, links and resolutions. Only an admin’s token may have mail:receive.',
].join('\n\n');

export function openApiDocument(serverUrl: string) {
  const analytics = analyticsOpenApi(schema, errors);
  const reports = reportsOpenApi(schema, errors);
  const problems = problemsOpenApi(schema, errors);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Commons API',
      version: '1.0.0',
      description: `Tickets, threads, articles and search of a Commons help center. Errors are JSON: {"error": {"code", "message"}}.\n\n${personalTokens}`,
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    paths: {
      '/tickets': {
        get: {
          operationId: 'listTickets',
          summary: 'The tickets the token may see, most recently active first',
          description:
            'Scope read. A site token and the support team’s personal tokens see every ticket; a customer’s personal token sees only the tickets its owner requested. 50 a page.',
          parameters: queryParameters(ticketListQuery),
          responses: {
            '200': json('TicketList', 'One page of tickets.'),
            '400': error('An invalid parameter (invalid_request).'),
            ...errors,
          },
        },
        post: {
          operationId: 'createTicket',
          summary: 'File a ticket, or mirror one from another helpdesk (by external_id)',
          description:
            'Scope tickets:write. Posting an external_id again updates the mirror (200). A site token must name the requester; a personal token files for its owner when requester is left out. A customer’s token files only for its owner (another requester or an external_id is 403 forbidden).',
          requestBody: body('CreateTicket'),
          responses: {
            '201': json('TicketWritten', 'The ticket was created.'),
            '200': json('TicketWritten', 'The mirror of this external ticket was updated.'),
            '400': badRequest,
            '415': error('The body is not JSON (unsupported_media_type).'),
            ...errors,
          },
        },
      },
      '/tickets/{id}': {
        get: {
          operationId: 'getTicket',
          summary: 'A ticket with its messages, links and resolution',
          description:
            'Scope read. A customer’s personal token gets only a ticket its owner requested, as their requests page shows it: public replies (links in them to pages the owner may not open become their text) and links to pages they may open; no internal notes, assignee, resolution or external ids.',
          parameters: [idParameter('id', 'The ticket id.')],
          responses: {
            '200': json('Ticket', 'The ticket.'),
            '404': error('No ticket has that id, or none the token may see (not_found).'),
            ...errors,
          },
        },
      },
      '/tickets/{id}/links': {
        post: {
          operationId: 'linkTicket',
          summary: 'Link a thread, answer (post) or article to a ticket',
          description:
            'Scope tickets:write. Support team only: a customer’s personal token gets 403 forbidden.',
          parameters: [idParameter('id', 'The ticket id.')],
          requestBody: body('Link'),
          responses: {
            '201': json('TicketWritten', 'Linked (linking twice keeps one link).'),
            '400': badRequest,
            '404': error('No ticket has that id (not_found).'),
            ...errors,
          },
        },
      },
      '/tickets/{id}/resolve': {
        post: {
          operationId: 'resolveTicket',
          summary: 'Solve a ticket and record what resolved it',
          description:
            'Scope tickets:write. Support team only: a customer’s personal token gets 403 forbidden. kind article needs article_id; kind thread needs thread_id or post_id; kind other needs a note; kind none marks a content gap.',
          parameters: [idParameter('id', 'The ticket id.')],
          requestBody: body('Resolve'),
          responses: {
            '200': json('TicketWritten', 'The solved ticket.'),
            '400': badRequest,
            '404': error('No ticket has that id (not_found).'),
            ...errors,
          },
        },
      },
      '/inbound-email': {
        post: {
          operationId: 'receiveMail',
          summary: 'Deliver a received mail message',
          description:
            'Scope mail:receive (a site token, or an admin’s personal token). For a relay that posts mail over HTTP: the message as received, filed as the SMTP listener files it (a ticket, a reply, an answer; held, ignored). to (repeatable) and from give the envelope; without to, the To and Cc headers are read.',
          parameters: [
            {
              name: 'to',
              in: 'query',
              required: false,
              description: 'An envelope recipient (repeatable).',
              schema: { type: 'array', items: { type: 'string' } },
              style: 'form',
              explode: true,
            },
            {
              name: 'from',
              in: 'query',
              required: false,
              description: 'The envelope sender.',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: { 'message/rfc822': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: {
            '200': {
              description: 'What became of the message.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['id', 'outcome', 'reason', 'ticket_id'],
                    properties: {
                      id: { type: 'integer' },
                      outcome: {
                        type: 'string',
                        enum: ['ticket', 'ticket_reply', 'answer', 'held', 'ignored'],
                      },
                      reason: { type: ['string', 'null'] },
                      ticket_id: { type: ['integer', 'null'] },
                    },
                  },
                },
              },
            },
            '413': error('Larger than INBOUND_MAX_BYTES (payload_too_large).'),
            '415': error('Not sent as message/rfc822 (unsupported_media_type).'),
            '422': error('A message that cannot be read: cut off, no sender (unreadable_mail).'),
            ...errors,
          },
        },
      },
      '/threads/{id}': {
        get: {
          operationId: 'getThread',
          summary: 'A community thread with its answers',
          description:
            'Scope read. A personal token sees what its owner sees: a thread in a category hidden from them is 404.',
          parameters: [idParameter('id', 'The thread id.')],
          responses: {
            '200': json('Thread', 'The thread.'),
            '404': error('No thread has that id (not_found).'),
            ...errors,
          },
        },
      },
      '/articles/{slug}': {
        get: {
          operationId: 'getArticle',
          summary: 'A published knowledge-base article',
          description:
            'Scope read. A personal token sees what its owner sees: an internal or restricted article they may not read is 404.',
          parameters: [
            {
              name: 'slug',
              in: 'path',
              required: true,
              description: 'The article slug.',
              schema: { type: 'string', maxLength: 100 },
            },
          ],
          responses: {
            '200': json('Article', 'The article.'),
            '404': error('No published article has that slug (not_found).'),
            ...errors,
          },
        },
      },
      '/search': {
        get: {
          operationId: 'search',
          summary: 'Search threads and articles',
          description:
            'Scope read. Threads and published articles the token may see: a personal token what its owner sees on the site, a site token everything (tickets are never searched).',
          parameters: queryParameters(searchQuery),
          responses: {
            '200': json('SearchResults', 'Ranked results.'),
            '400': error('A missing or invalid parameter (invalid_request).'),
            ...errors,
          },
        },
      },
      ...analytics.paths,
      ...reports.paths,
      ...problems.paths,
      '/openapi.json': {
        get: {
          operationId: 'openApiDocument',
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'The OpenAPI 3.1 document.' } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        CreateTicket: schema(createTicketBody, 'input'),
        Link: schema(linkBody, 'input'),
        Resolve: schema(resolveBody, 'input'),
        Ticket: schema(ticketResponse),
        TicketList: schema(ticketListResponse),
        TicketWritten: schema(ticketWriteResponse),
        Thread: schema(threadResponse),
        Article: schema(articleResponse),
        SearchResults: schema(searchResponse),
        Error: schema(errorBody),
        ...analytics.schemas,
        ...reports.schemas,
        ...problems.schemas,
      },
    },
  };
}
