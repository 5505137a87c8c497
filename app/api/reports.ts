import { z } from 'zod';
import { resolutionKinds, slaMetrics, ticketPriorities } from '#db/schema';
import type { BacklogBucket } from '~/models/analytics/report-stats';
import { range, rangeParameters } from './analytics';

/**
 * GET /api/v1/reports/*: the team reports' figures as JSON, with the analytics endpoints' range
 * and errors. The routes answer with these shapes (a test checks every response against them)
 * and the OpenAPI document is built from them.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().min(0);
const share = z.number().min(0).max(1).nullable();
const id = z.number().int().positive();

const durations = z.object({
  tickets: count.describe('How many tickets the figures are of.'),
  median: count.nullable().describe('Business minutes; null without tickets.'),
  p90: count.nullable().describe('90th percentile in business minutes (PERCENTILE.INC).'),
});

const serviceLevel = z.object({
  met: count,
  breached: count.describe('Missed: done late, or still not done past the due time.'),
  still_open: count.describe('Missed, and the ticket is still open.'),
  attainment: share.describe('met ÷ (met + breached); null when no target came due.'),
});

const satisfaction = z.object({
  ratings: count,
  good: count,
  bad: count,
  good_share: share.describe('good ÷ ratings; null without ratings.'),
});

export const reportsSummaryResponse = z.object({
  range,
  time_zone: z.string().describe('The time zone of the business hours.'),
  created: count,
  solved: count,
  first_response: durations,
  resolution: durations,
  by_priority: z.array(
    z.object({
      priority: z.enum(ticketPriorities),
      first_response: durations,
      resolution: durations,
    }),
  ),
  service_levels: z.array(serviceLevel.extend({ metric: z.enum(slaMetrics) })),
  satisfaction,
  backlog: z.object({
    open: count.describe('New, open and pending tickets now, whatever the range.'),
    oldest_created_at: z.string().nullable(),
    buckets: z.array(
      z.object({
        bucket: z.enum([
          'under_1_day',
          '1_to_3_days',
          '3_to_7_days',
          'over_7_days',
        ] as const satisfies readonly BacklogBucket[]),
        tickets: count,
        urgent_or_high: count,
      }),
    ),
  }),
});

export const reportsVolumeResponse = z.object({
  range,
  bucket: z.enum(['day', 'week']),
  periods: z.array(z.object({ start: day, created: count, solved: count })),
});

export const reportsSatisfactionResponse = satisfaction.extend({
  range,
  by_agent: z.array(satisfaction.extend({ agent_id: id.nullable(), agent: z.string() })),
  by_category: z.array(satisfaction.extend({ category_id: id.nullable(), category: z.string() })),
  by_resolution: z.array(satisfaction.extend({ kind: z.enum(resolutionKinds) })),
});

export const reportsAgentsResponse = z.object({
  range,
  agents: z.array(
    z.object({
      agent_id: id.nullable().describe('null: tickets nobody has or solved.'),
      agent: z.string(),
      solved: count,
      first_response: durations,
      resolution: durations,
      service_level: serviceLevel,
      satisfaction,
    }),
  ),
});

export const reportsOrganizationsResponse = z.object({
  range,
  organizations: z.array(
    z.object({
      organization_id: id.nullable().describe('null: requesters of no organisation.'),
      organization: z.string(),
      created: count,
      solved: count,
      satisfaction,
    }),
  ),
});

/** The reports part of the OpenAPI document, with the converter and errors it uses. */
export function reportsOpenApi(
  toJsonSchema: (type: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>,
  errors: Record<string, unknown>,
) {
  const parameters = rangeParameters(toJsonSchema);
  const endpoints = [
    [
      'summary',
      'ReportsSummary',
      reportsSummaryResponse,
      'Tickets created and solved, response times, service levels, satisfaction and backlog',
    ],
    ['volume', 'ReportsVolume', reportsVolumeResponse, 'Tickets created and solved per period'],
    [
      'satisfaction',
      'ReportsSatisfaction',
      reportsSatisfactionResponse,
      'Satisfaction by agent, category and resolution kind',
    ],
    ['agents', 'ReportsAgents', reportsAgentsResponse, 'Figures per agent'],
    [
      'organizations',
      'ReportsOrganizations',
      reportsOrganizationsResponse,
      'Figures per organisation',
    ],
  ] as const;
  const paths = Object.fromEntries(
    endpoints.map(([path, name, , summary]) => [
      `/reports/${path}`,
      {
        get: {
          operationId: `reports${name.replace('Reports', '')}`,
          summary,
          description:
            'Scope read; a personal token only when its owner is on the support team (a customer’s token gets 403 forbidden). Every ticket counts, a merged one once; days are UTC, durations in business minutes. See docs/decisions/029-agent-toolkit.md for the definitions.',
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
