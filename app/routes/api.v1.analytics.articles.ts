import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { articleFigures } from '~/models/analytics/content-figures.server';

/** GET /api/v1/analytics/articles: figures per published article (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, (db, range) => articleFigures(db, range));
}

export function action() {
  return methodNotAllowed('GET');
}
