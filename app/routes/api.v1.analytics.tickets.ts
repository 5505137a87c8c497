import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { ticketFigures } from '~/models/analytics/ticket-figures.server';

/** GET /api/v1/analytics/tickets: what resolved tickets and the tickets solved without content (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, (db, range) => ticketFigures(db, range));
}

export function action() {
  return methodNotAllowed('GET');
}
