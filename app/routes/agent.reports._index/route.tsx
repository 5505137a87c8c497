import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { DateRangeControl, number, percent } from '~/components/dashboard';
import { ErrorPage } from '~/components/error-page';
import { parseRange, rangeQuery } from '~/models/analytics/date-range';
import { formatMinutes } from '~/models/analytics/report-stats';
import { teamReport } from '~/models/analytics/team-report.server';
import { formatDay, timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { AgentsSection, OrganizationsSection, SatisfactionSection } from './people-sections';
import {
  BacklogSection,
  ResponseTimesSection,
  ServiceLevelSection,
  VolumeSection,
} from './sections';

export const meta: MetaFunction = () => [{ title: 'Team reports · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const { range, error } = parseRange(new URL(request.url).searchParams);
  const report = await teamReport(getDb(), range);
  return { report, rangeError: error, query: rangeQuery(range), now: Date.now() };
}

export type TeamReportData = ReturnType<typeof useLoaderData<typeof loader>>['report'];

/** "within 3 h": what 90% of tickets got, or nothing when there were none. */
const ninetyWithin = (p90: number | null) =>
  p90 === null ? '' : ` · 90% within ${formatMinutes(p90)}`;

export default function TeamReports() {
  const { report, rangeError, query, now } = useLoaderData<typeof loader>();
  const { range, satisfaction, backlog } = report;
  const targets = report.service_levels.reduce(
    (sum, level) => ({ met: sum.met + level.met, due: sum.due + level.met + level.breached }),
    { met: 0, due: 0 },
  );
  const breached = targets.due - targets.met;
  return (
    <>
      <header className="page-title-row">
        <div>
          <h1>Team reports</h1>
          <p className="muted">
            {formatDay(`${range.from}T00:00:00Z`)} – {formatDay(`${range.to}T00:00:00Z`)} (UTC) ·
            times in business hours ({report.time_zone})
          </p>
        </div>
      </header>
      <DateRangeControl range={range} />
      {rangeError ? (
        <div className="alert alert-error" role="alert">
          {rangeError} Showing the last 30 days.
        </div>
      ) : null}

      <ul className="stat-grid gaps-stats report-stats" aria-label="Summary">
        <li className="card stat">
          <span className="stat-label">New tickets</span>
          <span className="stat-value">{number(report.created)}</span>
          <span className="stat-detail">{number(report.solved)} solved in the range</span>
        </li>
        <li className="card stat">
          <span className="stat-label">First reply</span>
          <span className="stat-value">{formatMinutes(report.first_response.median)}</span>
          <span className="stat-detail">
            {report.first_response.tickets
              ? `median${ninetyWithin(report.first_response.p90)}`
              : 'no first replies in this range'}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Time to solve</span>
          <span className="stat-value">{formatMinutes(report.resolution.median)}</span>
          <span className="stat-detail">
            {report.resolution.tickets
              ? `median${ninetyWithin(report.resolution.p90)}`
              : 'no tickets solved in this range'}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Targets met</span>
          <span className="stat-value">
            {targets.due ? percent(targets.met / targets.due) : '—'}
          </span>
          <span className="stat-detail">
            {targets.due
              ? `${number(breached)} ${breached === 1 ? 'breach' : 'breaches'} of ${number(targets.due)} targets due`
              : 'no targets came due'}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Satisfaction</span>
          <span className="stat-value">{percent(satisfaction.good_share)}</span>
          <span className="stat-detail">
            {satisfaction.ratings
              ? `good, of ${number(satisfaction.ratings)} ${satisfaction.ratings === 1 ? 'rating' : 'ratings'}`
              : 'No ratings yet'}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Open now</span>
          <span className="stat-value">{number(backlog.open)}</span>
          <span className="stat-detail">
            {backlog.oldest_created_at
              ? `oldest filed ${timeAgo(backlog.oldest_created_at, now)}`
              : 'nothing waiting'}
          </span>
        </li>
      </ul>

      <VolumeSection report={report} query={query} />
      <ResponseTimesSection report={report} query={query} />
      <ServiceLevelSection report={report} query={query} />
      <SatisfactionSection report={report} query={query} />
      <BacklogSection report={report} query={query} />
      <AgentsSection report={report} query={query} />
      <OrganizationsSection report={report} query={query} />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
