import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { selfServiceFigures } from '~/models/analytics/figures.server';

/** GET /api/v1/analytics/self-service: the self-service score per week (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, (db, range) => selfServiceFigures(db, range));
}

export function action() {
  return methodNotAllowed('GET');
}
