import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react';
import { z } from 'zod';
import { journeyStages, resolutionKinds } from '../../db/schema';
import { requireRole } from '~/auth/session.server';
import {
  InlineBar,
  LineChart,
  ShareBarChart,
  StackedBarChart,
  type Series,
} from '~/components/charts';
import { ErrorPage } from '~/components/error-page';
import { ScoreExplanation } from '~/components/gap-parts';
import { journeyStageLabels } from '~/components/question-form';
import { parseRange, rangeQuery } from '~/models/analytics/date-range';
import { dashboardView, gapReport } from '~/models/analytics/gap-report.server';
import {
  exportTables,
  gapKindLabels,
  gapStateLabels,
  rangeOptions,
  resolutionChartLabels,
  type ExportTable,
} from '~/models/analytics/gap-labels';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Content gaps · Team' }];

const queueSchema = z.enum(['open', 'done', 'dismissed']).catch('open');

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const params = new URL(request.url).searchParams;
  const { range, error } = parseRange(params);
  const queue = queueSchema.parse(params.get('queue') ?? 'open');
  const all = params.get('all') === '1';
  const report = dashboardView(await gapReport(getDb(), range), all ? 200 : 12);
  return { report, rangeError: error, queue, query: rangeQuery(range) };
}

type Report = ReturnType<typeof useLoaderData<typeof loader>>['report'];

function stageLabel(stage: string) {
  const known = journeyStages.find((candidate) => candidate === stage);
  return known ? journeyStageLabels[known] : 'Unknown';
}

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
const number = (value: number) => value.toLocaleString('en');
const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

function ExportLink({ table, query }: { table: ExportTable; query: string }) {
  return (
    <a className="export-link" href={`/agent/gaps/export/${table}?${query}`} download>
      CSV<span className="visually-hidden">: {exportTables[table]}</span>
    </a>
  );
}

function SectionHeader({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children?: React.ReactNode;
}) {
  return (
    <header className="gaps-section-header">
      <h2 id={id}>{title}</h2>
      {children ? <div className="gaps-section-tools">{children}</div> : null}
    </header>
  );
}

function GapQueue({
  report,
  queue,
  query,
}: {
  report: Report;
  queue: 'open' | 'done' | 'dismissed';
  query: string;
}) {
  const lists = {
    open: report.gaps.open,
    done: report.gaps.done,
    dismissed: report.gaps.dismissed,
  };
  const list = lists[queue];
  const tabs = [
    { key: 'open', label: 'To do' },
    { key: 'done', label: 'Done' },
    { key: 'dismissed', label: 'Dismissed' },
  ] as const;
  return (
    <section className="card gaps-queue" aria-labelledby="queue-title">
      <SectionHeader id="queue-title" title="Gap queue">
        <ExportLink table="gaps" query={query} />
      </SectionHeader>
      <p className="muted">
        Every signal below in one list, biggest first. A gap’s score adds up what went into it.
      </p>
      <nav className="tabs tabs-small" aria-label="Gap queue">
        {tabs.map((tab) => (
          <Link
            key={tab.key}
            to={`?${query}&queue=${tab.key}`}
            className={queue === tab.key ? 'tab tab-current' : 'tab'}
            aria-current={queue === tab.key ? 'page' : undefined}
          >
            {tab.label} <span className="tab-count">{report.gaps.counts[tab.key]}</span>
          </Link>
        ))}
      </nav>
      {list.length === 0 ? (
        <p className="empty-state">
          {queue === 'open' ? 'No gaps in this range. Nice.' : 'Nothing here yet.'}
        </p>
      ) : (
        <ol
          className="gap-list"
          aria-label={`Gaps: ${tabs.find((tab) => tab.key === queue)?.label}`}
        >
          {list.map((gap) => (
            <li key={gap.key} className="gap-item">
              <div className={`gap-score tone-text-${gap.kind}`} aria-label={`Score ${gap.score}`}>
                {gap.score}
              </div>
              <div className="gap-main">
                <div className="gap-meta">
                  <span className={`gap-kind gap-kind-${gap.kind}`}>{gapKindLabels[gap.kind]}</span>
                  {gap.state !== 'open' ? (
                    <span className={`status status-gap-${gap.state}`}>
                      {gapStateLabels[gap.state]}
                    </span>
                  ) : null}
                  {gap.came_back ? (
                    <span className="status status-gap-came-back">Came back</span>
                  ) : null}
                </div>
                <Link
                  className="gap-title"
                  to={`/agent/gaps/${encodeURIComponent(gap.key)}?${query}`}
                >
                  {gap.title}
                </Link>
                <div className="muted gap-why">
                  <ScoreExplanation gap={gap} />
                  {gap.state === 'done' && gap.done_at ? ` · done ${formatDay(gap.done_at)}` : ''}
                  {gap.state === 'dismissed' && gap.reason ? ` · dismissed: ${gap.reason}` : ''}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
      {report.gaps.counts[queue] > list.length ? (
        <p>
          <Link to={`?${query}&queue=${queue}&all=1`}>Show all {report.gaps.counts[queue]}</Link>
        </p>
      ) : null}
    </section>
  );
}

const resolutionSeries: Series[] = [
  { key: 'article', label: resolutionChartLabels.article, tone: 'accent' },
  { key: 'thread', label: resolutionChartLabels.thread, tone: 'success' },
  { key: 'none', label: resolutionChartLabels.none, tone: 'danger' },
  { key: 'other', label: resolutionChartLabels.other, tone: 'muted' },
];

const searchSeries: Series[] = [
  { key: 'found', label: 'Found something', tone: 'accent' },
  { key: 'zero', label: 'Found nothing', tone: 'danger' },
];

const stageSeries: Series[] = [
  { key: 'articles', label: 'Published articles', tone: 'accent' },
  { key: 'tickets', label: 'Tickets', tone: 'warning' },
  { key: 'failed', label: 'Failed searches', tone: 'danger' },
];

function GroupTable({
  caption,
  label,
  rows,
  table,
  query,
}: {
  caption: string;
  label: string;
  rows: { label: string; count: number }[];
  table: ExportTable;
  query: string;
}) {
  const max = Math.max(0, ...rows.map((row) => row.count));
  return (
    <div className="gaps-group">
      <div className="gaps-group-header">
        <h4>{caption}</h4>
        <ExportLink table={table} query={query} />
      </div>
      {rows.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <table className="table table-compact">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col">Tickets</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 8).map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td className="bar-cell">
                  <InlineBar value={row.count} max={max} tone="danger" />
                  {row.count}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export default function GapDashboard() {
  const { report, rangeError, queue, query } = useLoaderData<typeof loader>();
  const { range, self_service: selfService, search, articles, tickets, threads, stages } = report;
  const latest = selfService.latest;
  const trend = selfService.trend;
  const zeroMax = Math.max(0, ...search.zero_result_queries.map((row) => row.zero_results));
  const lowMax = Math.max(0, ...search.low_click_queries.map((row) => row.with_results));
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
      <div className="gaps-range">
        <nav className="tabs" aria-label="Date range">
          {rangeOptions.map((option) => (
            <Link
              key={option.key}
              to={`?range=${option.key}`}
              className={range.key === option.key ? 'tab tab-current' : 'tab'}
              aria-current={range.key === option.key ? 'page' : undefined}
            >
              {option.label}
            </Link>
          ))}
        </nav>
        <Form method="get" className="gaps-custom-range" aria-label="Custom range">
          <input type="hidden" name="range" value="custom" />
          <label>
            From <input type="date" name="from" defaultValue={range.from} required />
          </label>
          <label>
            To <input type="date" name="to" defaultValue={range.to} required />
          </label>
          <button
            type="submit"
            className={
              range.key === 'custom'
                ? 'button button-small'
                : 'button button-small button-secondary'
            }
          >
            Custom range
          </button>
        </Form>
      </div>
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

      <section className="card gaps-section" aria-labelledby="self-service-title">
        <SectionHeader id="self-service-title" title="Self-service score">
          <ExportLink table="self-service" query={query} />
        </SectionHeader>
        <LineChart
          title="Help-center visitors per ticket requester, by week"
          description="Weeks start on Monday; a hollow point is the week still running."
          points={selfService.weeks.map((week) => ({
            label: shortDay(week.week),
            value: week.score,
            provisional: week.partial,
          }))}
          table={{
            caption: 'Self-service score per week',
            columns: ['Week of', 'Visitors', 'Ticket requesters', 'Score'],
            rows: selfService.weeks.map((week) => [
              `${shortDay(week.week)}${week.partial ? ' (so far)' : ''}`,
              week.visitors,
              week.requesters,
              week.score ?? 'no tickets',
            ]),
          }}
        />
      </section>

      <section className="card gaps-section" aria-labelledby="search-title">
        <SectionHeader id="search-title" title="Search">
          <ExportLink table="searches" query={query} />
        </SectionHeader>
        <p className="muted">
          {number(search.searches)} searches · {percent(search.zero_result_rate)} found nothing ·{' '}
          {percent(search.click_through_rate)} of searches with results led to a click
        </p>
        <StackedBarChart
          title="Searches per day"
          series={searchSeries}
          bars={search.days.map((day) => ({
            label: shortDay(day.day),
            values: { found: day.searches - day.zero_results, zero: day.zero_results },
          }))}
          table={{
            caption: 'Searches per day',
            columns: ['Day', 'Searches', 'Found nothing', 'Clicked'],
            rows: search.days.map((day) => [
              shortDay(day.day),
              day.searches,
              day.zero_results,
              day.clicked,
            ]),
          }}
        />
        <div className="two-columns">
          <div>
            <div className="gaps-group-header">
              <h3 id="zero-title">Top queries with no results</h3>
              <ExportLink table="zero-result-queries" query={query} />
            </div>
            {search.zero_result_queries.length === 0 ? (
              <p className="muted">Every search found something.</p>
            ) : (
              <table className="table table-compact" aria-labelledby="zero-title">
                <thead>
                  <tr>
                    <th scope="col">Query</th>
                    <th scope="col">Found nothing</th>
                    <th scope="col">Last</th>
                  </tr>
                </thead>
                <tbody>
                  {search.zero_result_queries.slice(0, 10).map((row) => (
                    <tr key={row.query}>
                      <th scope="row">{row.query}</th>
                      <td className="bar-cell">
                        <InlineBar value={row.zero_results} max={zeroMax} tone="danger" />
                        {row.zero_results}
                        {row.searches > row.zero_results ? (
                          <span className="muted"> of {row.searches}</span>
                        ) : null}
                      </td>
                      <td>{shortDay(row.last_day)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div>
            <div className="gaps-group-header">
              <h3 id="low-click-title">Searched often, rarely clicked</h3>
              <ExportLink table="low-click-queries" query={query} />
            </div>
            {search.low_click_queries.length === 0 ? (
              <p className="muted">
                No query with 5 or more searches was clicked in 20% of them or fewer.
              </p>
            ) : (
              <table className="table table-compact" aria-labelledby="low-click-title">
                <thead>
                  <tr>
                    <th scope="col">Query</th>
                    <th scope="col">Searches</th>
                    <th scope="col">Clicked</th>
                  </tr>
                </thead>
                <tbody>
                  {search.low_click_queries.slice(0, 10).map((row) => (
                    <tr key={row.query}>
                      <th scope="row">{row.query}</th>
                      <td className="bar-cell">
                        <InlineBar value={row.with_results} max={lowMax} />
                        {row.with_results}
                      </td>
                      <td>{percent(row.click_rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      </section>

      <section className="card gaps-section" aria-labelledby="articles-title">
        <SectionHeader id="articles-title" title="Articles">
          <ExportLink table="articles" query={query} />
        </SectionHeader>
        <p className="muted">
          {number(articles.views)} views ·{' '}
          {articles.helpful_percent === null ? 'no votes' : `${articles.helpful_percent}% helpful`}{' '}
          · {number(articles.self_resolutions)} self-resolutions · {articles.overdue_reviews}{' '}
          overdue {articles.overdue_reviews === 1 ? 'review' : 'reviews'}
        </p>
        <div className="table-wrap">
          <table className="table table-compact" aria-labelledby="articles-title">
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Views</th>
                <th scope="col">Helpful</th>
                <th scope="col">Self-resolved</th>
                <th scope="col">Resolved tickets</th>
                <th scope="col">Tickets within 24 h</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {articles.articles.slice(0, 25).map((article) => (
                <tr key={article.id}>
                  <th scope="row">
                    <Link to={`/agent/articles/${article.id}`}>{article.title}</Link>
                  </th>
                  <td>{number(article.views)}</td>
                  <td>
                    {article.helpful_percent === null ? (
                      <span className="muted">no votes</span>
                    ) : (
                      `${article.helpful_percent}% of ${article.votes}`
                    )}
                  </td>
                  <td>{article.self_resolutions}</td>
                  <td>{article.tickets_resolved}</td>
                  <td className={article.tickets_after_reading > 0 ? 'overdue' : undefined}>
                    {article.tickets_after_reading}
                  </td>
                  <td className={article.review_overdue ? 'overdue' : undefined}>
                    {article.review_overdue
                      ? 'Overdue'
                      : article.review_due_at
                        ? shortDay(article.review_due_at.slice(0, 10))
                        : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card gaps-section" aria-labelledby="tickets-title">
        <SectionHeader id="tickets-title" title="Tickets">
          <ExportLink table="resolutions" query={query} />
        </SectionHeader>
        <p className="muted">
          {number(tickets.created)} tickets filed · {number(tickets.solved)} solved:{' '}
          {resolutionKinds
            .map(
              (kind) =>
                `${tickets.resolution_percent[kind]}% ${resolutionChartLabels[kind].toLowerCase()}`,
            )
            .join(' · ')}
        </p>
        <StackedBarChart
          title={`What resolved tickets, by ${tickets.bucket}`}
          series={resolutionSeries}
          bars={tickets.periods.map((period) => ({
            label: shortDay(period.start),
            values: {
              article: period.article,
              thread: period.thread,
              none: period.none,
              other: period.other,
            },
          }))}
          table={{
            caption: `What resolved tickets, by ${tickets.bucket}`,
            columns: [
              tickets.bucket === 'day' ? 'Day' : 'Week of',
              'Article',
              'Thread',
              'No content',
              'Other',
            ],
            rows: tickets.periods.map((period) => [
              shortDay(period.start),
              period.article,
              period.thread,
              period.none,
              period.other,
            ]),
          }}
        />
        <h3>Solved without content</h3>
        <div className="gaps-groups">
          <GroupTable
            caption="By category"
            label="Category"
            rows={tickets.no_content.by_category}
            table="no-content-by-category"
            query={query}
          />
          <GroupTable
            caption="By tag"
            label="Tag"
            rows={tickets.no_content.by_tag}
            table="no-content-by-tag"
            query={query}
          />
          <GroupTable
            caption="By similar subject"
            label="Subject"
            rows={tickets.no_content.by_subject}
            table="no-content-by-subject"
            query={query}
          />
        </div>
      </section>

      <section className="card gaps-section" aria-labelledby="threads-title">
        <SectionHeader id="threads-title" title="Threads" />
        <div className="two-columns">
          <div>
            <div className="gaps-group-header">
              <h3 id="unanswered-title">Unanswered, read a lot</h3>
              <ExportLink table="unanswered-threads" query={query} />
            </div>
            {threads.unanswered.length === 0 ? (
              <p className="muted">No unanswered question with 25 or more views.</p>
            ) : (
              <table className="table table-compact" aria-labelledby="unanswered-title">
                <thead>
                  <tr>
                    <th scope="col">Question</th>
                    <th scope="col">Views</th>
                  </tr>
                </thead>
                <tbody>
                  {threads.unanswered.slice(0, 10).map((thread) => (
                    <tr key={thread.id}>
                      <th scope="row">
                        <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link>
                      </th>
                      <td>{number(thread.views)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div>
            <div className="gaps-group-header">
              <h3 id="promotion-title">Answers worth an article</h3>
              <ExportLink table="promotion-candidates" query={query} />
            </div>
            {threads.promotion_candidates.length === 0 ? (
              <p className="muted">
                No answered thread solved problems in this range without being an article.
              </p>
            ) : (
              <table className="table table-compact" aria-labelledby="promotion-title">
                <thead>
                  <tr>
                    <th scope="col">Thread</th>
                    <th scope="col">Self-resolved</th>
                    <th scope="col">Tickets</th>
                  </tr>
                </thead>
                <tbody>
                  {threads.promotion_candidates.slice(0, 10).map((thread) => (
                    <tr key={thread.id}>
                      <th scope="row">
                        <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link>
                        {thread.draft_article_id ? (
                          <span className="status">Draft started</span>
                        ) : null}
                      </th>
                      <td>{thread.self_resolutions}</td>
                      <td>{thread.tickets_resolved}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      </section>

      <section className="card gaps-section" aria-labelledby="stages-title">
        <SectionHeader id="stages-title" title="Journey stages">
          <ExportLink table="stages" query={query} />
        </SectionHeader>
        <p className="muted">
          Each bar is a stage’s share of its own kind: a stage with many tickets or failed searches
          but few articles needs content.
        </p>
        <ShareBarChart
          title="Articles, tickets and failed searches per stage"
          tableVisible
          series={stageSeries}
          groups={stages.map((row) => ({
            label: stageLabel(row.stage),
            values: { articles: row.articles, tickets: row.tickets, failed: row.failed_searches },
          }))}
          table={{
            caption: 'Articles, tickets and failed searches per journey stage',
            columns: ['Stage', 'Published articles', 'Tickets', 'Failed searches'],
            rows: stages.map((row) => [
              stageLabel(row.stage),
              row.articles,
              row.tickets,
              row.failed_searches,
            ]),
          }}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
