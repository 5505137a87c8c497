import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { teamReport } from '~/models/analytics/team-report.server';

/** GET /api/v1/reports/summary: the team reports' headline figures (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => {
    const report = await teamReport(db, range);
    return {
      time_zone: report.time_zone,
      created: report.created,
      solved: report.solved,
      first_response: report.first_response,
      resolution: report.resolution,
      by_priority: report.by_priority,
      service_levels: report.service_levels,
      satisfaction: {
        ratings: report.satisfaction.ratings,
        good: report.satisfaction.good,
        bad: report.satisfaction.bad,
        good_share: report.satisfaction.good_share,
      },
      backlog: report.backlog,
    };
  });
}

export function action() {
  return methodNotAllowed('GET');
}
