import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { teamReport } from '~/models/analytics/team-report.server';

/** GET /api/v1/reports/agents: solved, response times, service levels and CSAT per agent (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => ({
    agents: (await teamReport(db, range)).agents,
  }));
}

export function action() {
  return methodNotAllowed('GET');
}
