import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth/session.server';
import { parseRange } from '~/models/analytics/date-range';
import { isExportTable } from '~/models/analytics/gap-labels';
import { gapReport, reportTable, toCsv } from '~/models/analytics/gap-report.server';
import { getDb } from '~/utils/db.server';

/** GET /agent/gaps/export/:table?range=: one table of the dashboard as CSV. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const table = params.table ?? '';
  if (!isExportTable(table)) throw new Response('Not found', { status: 404 });
  const { range } = parseRange(new URL(request.url).searchParams);
  const report = await gapReport(getDb(), range);
  return new Response(toCsv(reportTable(report, table)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${table}-${range.from}-to-${range.to}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
