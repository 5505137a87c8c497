import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { DateRangeControl, number, percent, shortDay } from '~/components/dashboard';
import { ErrorPage } from '~/components/error-page';
import { parseRange, rangeQuery } from '~/models/analytics/date-range';
import { gapDashboard } from '~/models/analytics/gap-report.server';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { GapQueue } from './gap-queue';
import { SatisfactionSection } from './satisfaction-section';
import {
  ArticlesSection,
  AudienceSection,
  SearchSection,
  SelfServiceSection,
  StagesSection,
  ThreadsSection,
  TicketsSection,
} from './sections';

export const meta: MetaFunction = () => [{ title: 'Content gaps · Team' }];

const queueSchema = z.enum(['open', 'done', 'dismissed']).catch('open');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const params = new URL(request.url).searchParams;
  const { range, error } = parseRange(params);
  const queue = queueSchema.parse(params.get('queue') ?? 'open');
  const shown = params.get('all') === '1' ? 200 : 12;
  const report = await gapDashboard(getDb(), range, shown);
  return { report, rangeError: error, queue, query: rangeQuery(range) };
}

export type GapReportData = ReturnType<typeof useLoaderData<typeof loader>>['report'];

export default function GapDashboard() {
  const { report, rangeError, queue, query } = useLoaderData<typeof loader>();
  const { range, self_service: selfService, search, articles, tickets } = report;
  const latest = selfService.latest;
  const trend = selfService.trend;
  return (
    <>
      <header className="page-title-row">
        <div>
          <h1>Content gaps</h1>
          <p className="muted">
            {formatDay(`${range.from}T00:00:00Z`)} – {formatDay(`${range.to}T00:00:00Z`)} (UTC) ·
            staff and bots left out
          </p>
        </div>
      </header>
      <DateRangeControl range={range} />
      {rangeError ? (
        <div className="alert alert-error" role="alert">
          {rangeError} Showing the last 30 days.
        </div>
      ) : null}
      {report.caught_up ? null : (
        <div className="alert alert-warning" role="status">
          Still counting recent events: these figures will be complete in a moment.
        </div>
      )}

      <ul className="stat-grid gaps-stats" aria-label="Summary">
        <li className="card stat">
          <span className="stat-label">Self-service score</span>
          <span className="stat-value">{latest?.score ?? '—'}</span>
          <span className="stat-detail">
            {latest
              ? `visitors per ticket requester, week of ${shortDay(latest.week)}`
              : 'no tickets in this range'}
            {trend !== null
              ? ` · ${trend > 0 ? '▲ rising' : trend < 0 ? '▼ falling' : 'flat'} ${Math.abs(trend)} a week`
              : ''}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Searches</span>
          <span className="stat-value">{number(search.searches)}</span>
          <span className="stat-detail">
            {percent(search.zero_result_rate)} found nothing · {percent(search.click_through_rate)}{' '}
            clicked through
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Helpful</span>
          <span className="stat-value">
            {articles.helpful_percent === null ? '—' : `${articles.helpful_percent}%`}
          </span>
          <span className="stat-detail">
            of {number(articles.votes)} article votes · {number(articles.views)} views
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Solved without content</span>
          <span className="stat-value">{number(tickets.resolutions.none)}</span>
          <span className="stat-detail">
            {tickets.solved
              ? `${tickets.resolution_percent.none}% of ${number(tickets.solved)} solved tickets`
              : 'no solved tickets'}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-label">Gaps to fix</span>
          <span className="stat-value">{number(report.gaps.counts.open)}</span>
          <span className="stat-detail">{number(report.gaps.counts.done)} done</span>
        </li>
      </ul>

      <GapQueue report={report} queue={queue} query={query} />

      <SelfServiceSection report={report} query={query} />
      <AudienceSection report={report} query={query} />
      <SearchSection report={report} query={query} />
      <ArticlesSection report={report} query={query} />
      <TicketsSection report={report} query={query} />
      <SatisfactionSection report={report} query={query} />
      <ThreadsSection report={report} query={query} />
      <StagesSection report={report} query={query} />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
