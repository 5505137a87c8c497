import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { satisfactionFigures } from '~/models/analytics/satisfaction-figures.server';

/** GET /api/v1/reports/satisfaction: ratings by agent, category and resolution kind (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, (db, range) => satisfactionFigures(db, range));
}

export function action() {
  return methodNotAllowed('GET');
}
