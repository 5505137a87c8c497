import { NumbersTable } from '~/components/charts';
import { number, percent, satisfactionCell } from '~/components/dashboard';
import { resolutionChartLabels } from '~/models/analytics/gap-labels';
import { DashboardSection } from './dashboard-parts';
import type { GapReportData as Report } from './route';

/**
 * How requesters rated solved tickets, by what resolved them: content that leaves customers
 * unhappy (or answers without content that do better) shows here.
 */
export function SatisfactionSection({ report, query }: { report: Report; query: string }) {
  const rows = report.satisfaction;
  const ratings = rows.reduce((sum, row) => sum + row.ratings, 0);
  const good = rows.reduce((sum, row) => sum + row.good, 0);
  return (
    <DashboardSection
      id="satisfaction-title"
      title="Satisfaction by resolution kind"
      table="satisfaction-by-resolution"
      query={query}
    >
      {ratings === 0 ? (
        <p className="empty-state">
          No requester rated a solved ticket in this range. Ratings are asked for when a ticket is
          solved.
        </p>
      ) : (
        <>
          <p className="muted">
            {number(ratings)} {ratings === 1 ? 'rating' : 'ratings'} · {percent(good / ratings)}{' '}
            good overall. Content that resolves tickets but leaves requesters unhappy needs work.
          </p>
          <div className="table-wrap">
            <NumbersTable
              visible
              labelledBy="satisfaction-title"
              table={{
                columns: ['Resolved with', 'Satisfaction'],
                rows: rows.map((row) => [resolutionChartLabels[row.kind], satisfactionCell(row)]),
              }}
            />
          </div>
        </>
      )}
    </DashboardSection>
  );
}
