import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { searchFigures } from '~/models/analytics/figures.server';

/** GET /api/v1/analytics/search: search volume, zero results, click-through and queries (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, (db, range) => searchFigures(db, range));
}

export function action() {
  return methodNotAllowed('GET');
}
