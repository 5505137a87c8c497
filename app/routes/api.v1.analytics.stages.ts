import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { stageFigures } from '~/models/analytics/ticket-figures.server';

/** GET /api/v1/analytics/stages: articles, tickets and failed searches per journey stage (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => ({
    stages: await stageFigures(db, range),
  }));
}

export function action() {
  return methodNotAllowed('GET');
}
