import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { promotionCandidates, unansweredThreads } from '~/models/analytics/content-figures.server';

/** GET /api/v1/analytics/threads: unanswered threads and answers worth an article (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => {
    const [unanswered, promotion] = await Promise.all([
      unansweredThreads(db, range),
      promotionCandidates(db, range),
    ]);
    return { unanswered, promotion_candidates: promotion };
  });
}

export function action() {
  return methodNotAllowed('GET');
}
