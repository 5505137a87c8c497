import { z } from 'zod';
import { problemStates } from '#db/schema';

/**
 * API v1's known issues: read them (a customer's token: public ones only), and post an update
 * from the engineering tracker (the support team's tokens). Routes validate with these schemas
 * and the OpenAPI document is built from them.
 */

const id = z.number().int().positive();

export const problemResponse = z.object({
  id,
  title: z.string(),
  state: z.enum(problemStates),
  public: z.boolean(),
  summary: z.string().describe('What customers read (Markdown).'),
  category_id: id.nullable(),
  workaround_article_id: id.nullable(),
  affected_people: z.number().int().min(0),
  created_at: z.string(),
  updated_at: z.string(),
  fixed_at: z.string().nullable(),
  team: z
    .object({
      description: z.string(),
      tracker_id: z.string().nullable(),
      tracker_url: z.string().nullable(),
      ticket_ids: z.array(id),
      thread_ids: z.array(id),
      post_ids: z.array(id),
    })
    .nullable()
    .describe('For the support team’s and site tokens; null for a customer’s token.'),
});

export const problemListResponse = z.object({ problems: z.array(problemResponse) });

export const problemUpdateBody = z
  .object({
    state: z.enum(problemStates),
    note: z.string().trim().max(5_000).optional().describe('For customers: it is in the mail.'),
    public: z.boolean().optional().describe('Show the update on the public page (default true).'),
    solve_linked: z
      .boolean()
      .optional()
      .describe('When the state is fixed, solve the open linked tickets (default false).'),
  })
  .strict();

export function problemsOpenApi(
  toJsonSchema: (type: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>,
  errors: Record<string, unknown>,
) {
  const ref = (name: string, description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
  });
  const problemId = {
    name: 'id',
    in: 'path',
    required: true,
    description: 'The known issue’s id.',
    schema: { type: 'integer', minimum: 1 },
  };
  const notFound = ref('Error', 'No such known issue, or none the token may see (not_found).');
  return {
    paths: {
      '/problems': {
        get: {
          operationId: 'listProblems',
          summary: 'Known issues, most recently changed first',
          description:
            'Scope read. A customer’s personal token sees public known issues only, without the team’s part.',
          responses: { '200': ref('ProblemList', 'The known issues.'), ...errors },
        },
      },
      '/problems/{id}': {
        get: {
          operationId: 'getProblem',
          summary: 'One known issue',
          description: 'Scope read. A customer’s token gets a public one only (else 404).',
          parameters: [problemId],
          responses: { '200': ref('Problem', 'The known issue.'), '404': notFound, ...errors },
        },
      },
      '/problems/{id}/updates': {
        post: {
          operationId: 'updateProblem',
          summary: 'Post an update: a new state with a note',
          description:
            'Scope tickets:write, support team only. The first update to fixed or won’t fix mails everyone the issue affects, once.',
          parameters: [problemId],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ProblemUpdate' } },
            },
          },
          responses: {
            '200': ref('Problem', 'The known issue after the update.'),
            '400': ref('Error', 'A body that breaks the schema (invalid_request).'),
            '404': notFound,
            ...errors,
          },
        },
      },
    },
    schemas: {
      Problem: toJsonSchema(problemResponse),
      ProblemList: toJsonSchema(problemListResponse),
      ProblemUpdate: toJsonSchema(problemUpdateBody, 'input'),
    },
  };
}
