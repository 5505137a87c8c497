import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { teamReport } from '~/models/analytics/team-report.server';

/** GET /api/v1/reports/volume: tickets created and solved per day or week (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => {
    const { bucket, periods } = await teamReport(db, range);
    return { bucket, periods };
  });
}

export function action() {
  return methodNotAllowed('GET');
}
