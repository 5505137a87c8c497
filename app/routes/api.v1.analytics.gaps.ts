import type { LoaderFunctionArgs } from '@remix-run/node';
import { analyticsResponse } from '~/api/analytics.server';
import { methodNotAllowed } from '~/api/respond.server';
import { gapQueue } from '~/models/analytics/gap-queue.server';

/** The first 100 of each list; `counts` says how many there are in all. */
const listed = 100;

/** GET /api/v1/analytics/gaps: the content gap queue (scope read). */
export async function loader({ request }: LoaderFunctionArgs) {
  return analyticsResponse(request, async (db, range) => {
    const queue = await gapQueue(db, range);
    return {
      counts: {
        open: queue.open.length,
        done: queue.done.length,
        dismissed: queue.dismissed.length,
      },
      open: queue.open.slice(0, listed),
      done: queue.done.slice(0, listed),
      dismissed: queue.dismissed.slice(0, listed),
    };
  });
}

export function action() {
  return methodNotAllowed('GET');
}
