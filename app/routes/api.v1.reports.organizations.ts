import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { teamReport } from '~/models/analytics/team-report.server';

/** GET /api/v1/reports/organizations: tickets created and solved and CSAT per organisation (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => ({
    organizations: (await teamReport(db, range)).organizations,
  }));
}

export function action() {
  return methodNotAllowed('GET');
}
