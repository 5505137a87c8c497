import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth/session.server';
import { parseRange } from '~/models/analytics/date-range';
import { toCsv } from '~/models/analytics/gap-report.server';
import { isTeamReportTable } from '~/models/analytics/report-labels';
import { teamReport, teamReportTable } from '~/models/analytics/team-report.server';
import { getDb } from '~/utils/db.server';

/** GET /agent/reports/export/:table?range=: one table of the team reports as CSV. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const table = params.table ?? '';
  if (!isTeamReportTable(table)) throw new Response('Not found', { status: 404 });
  const { range } = parseRange(new URL(request.url).searchParams);
  const report = await teamReport(getDb(), range);
  return new Response(toCsv(teamReportTable(report, table)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${table}-${range.from}-to-${range.to}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
