import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { gapReport } from '~/models/analytics/gap-report.server';

/** GET /api/v1/analytics/summary: the dashboard's headline figures (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => {
    const report = await gapReport(db, range);
    return {
      self_service_score: report.self_service.latest?.score ?? null,
      self_service_trend: report.self_service.trend,
      searches: report.search.searches,
      zero_result_rate: report.search.zero_result_rate,
      click_through_rate: report.search.click_through_rate,
      article_views: report.articles.views,
      helpful_percent: report.articles.helpful_percent,
      tickets_created: report.tickets.created,
      tickets_solved: report.tickets.solved,
      resolutions: report.tickets.resolutions,
      open_gaps: report.gaps.open.length,
    };
  });
}

export function action() {
  return methodNotAllowed('GET');
}
