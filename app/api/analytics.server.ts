import type { Database } from '#db/client';
import { parseRange, type DateRange } from '~/models/analytics/date-range';
import { refreshForRequest } from '~/models/analytics/rollup.server';
import { getDb } from '~/utils/db.server';
import { analyticsQuery } from './analytics';
import { requireApiAccess } from './access.server';
import { apiError, apiJson } from './respond.server';

/**
 * One analytics endpoint: checks the token (scope read; a personal token's owner must be on the
 * support team) and the range, counts the events
 * recorded since the last refresh, then answers with the range and the figures.
 */
export async function analyticsResponse(
  request: Request,
  figures: (db: Database, range: DateRange) => Promise<object>,
): Promise<Response> {
  await requireApiAccess(request, 'readAnalytics');
  const params = new URL(request.url).searchParams;
  const parsed = analyticsQuery.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return apiError(400, 'invalid_request', `${where}${issue?.message ?? 'Invalid range.'}`);
  }
  const { range, error } = parseRange(params);
  if (error) return apiError(400, 'invalid_request', error);
  const db = getDb();
  await refreshForRequest(db);
  return apiJson({ range, ...(await figures(db, range)) });
}
