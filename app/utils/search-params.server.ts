import { z } from 'zod';
import { journeyStages } from '#db/schema';
import type { SearchParams } from '#search/types';

export const searchPageSize = 10;
const maxQueryLength = 200;

const paramsSchema = z.object({
  // A longer query is cut, not dropped: a customer who pastes a long question still gets results.
  q: z
    .string()
    .transform((q) => q.trim().slice(0, maxQueryLength).trim())
    .catch(''),
  type: z.enum(['thread', 'article']).optional().catch(undefined),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional()
    .catch(undefined),
  tag: z
    .string()
    .regex(/^[a-z0-9][a-z0-9+#.-]{0,29}$/)
    .optional()
    .catch(undefined),
  stage: z.enum(journeyStages).optional().catch(undefined),
  answered: z.enum(['true', 'false']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100).catch(1),
});

/**
 * The search of a URL: unknown or malformed filters are dropped, never an error. Who is asking
 * (the audience) comes from the session, never from the URL.
 */
export function searchParamsFrom(
  url: URL,
  pageSize = searchPageSize,
): { params: Omit<SearchParams, 'audience'>; page: number; filters: Record<string, string> } {
  const raw = paramsSchema.parse(Object.fromEntries(url.searchParams));
  const filters = Object.fromEntries(
    Object.entries({
      type: raw.type,
      category: raw.category,
      tag: raw.tag,
      stage: raw.stage,
      answered: raw.answered,
    }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  return {
    page: raw.page,
    filters,
    params: {
      q: raw.q,
      type: raw.type,
      category: raw.category,
      tag: raw.tag,
      journeyStage: raw.stage,
      answered: raw.answered === undefined ? undefined : raw.answered === 'true',
      limit: pageSize,
      offset: (raw.page - 1) * pageSize,
    },
  };
}
