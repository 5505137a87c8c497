import { Link } from '@remix-run/react';
import { resolutionKinds } from '#db/schema';
import {
  LineChart,
  NumbersTable,
  ShareBarChart,
  StackedBarChart,
  type Series,
} from '~/components/charts';
import { resolutionChartLabels } from '~/models/analytics/gap-labels';
import { barCell, number, percent, shortDay } from '~/components/dashboard';
import { DashboardSection, GroupTable, RankedTable, stageLabel } from './dashboard-parts';
import type { GapReportData as Report } from './route';

// The dashboard's sections below the gap queue: each figure with its chart or table and CSV.

const resolutionSeries: Series[] = [
  { key: 'article', label: resolutionChartLabels.article, tone: 'accent' },
  { key: 'thread', label: resolutionChartLabels.thread, tone: 'success' },
  { key: 'none', label: resolutionChartLabels.none, tone: 'danger' },
  { key: 'other', label: resolutionChartLabels.other, tone: 'muted' },
  { key: 'known_issue', label: resolutionChartLabels.known_issue, tone: 'warning' },
];

const audienceSeries: Series[] = [
  { key: 'tickets', label: 'Tickets resolved', tone: 'accent' },
  { key: 'self', label: 'Self-resolutions', tone: 'success' },
  { key: 'opened', label: 'Suggestions opened', tone: 'warning' },
];

/**
 * What resolved tickets and what readers solved their problem with, by who may read it: much
 * internal content here means agents resolve with what customers cannot find themselves.
 */
export function AudienceSection({ report, query }: { report: Report; query: string }) {
  const { audiences } = report;
  return (
    <DashboardSection
      id="audience-title"
      title="Self-service by audience"
      table="self-service-by-audience"
      query={query}
    >
      {audiences.length === 0 ? (
        <p className="empty-state">No content resolved or deflected anything in this range.</p>
      ) : (
        <ShareBarChart
          title="What resolved or deflected, by who may read it"
          description="Each bar is an audience’s share of its own kind. Internal content that resolves many tickets is content customers cannot find for themselves."
          tableVisible
          series={audienceSeries}
          groups={audiences.map((row) => ({
            label: row.audience,
            values: {
              tickets: row.tickets_resolved,
              self: row.self_resolutions,
              opened: row.suggestions_opened,
            },
          }))}
          table={{
            caption: 'Tickets resolved, self-resolutions and suggestions opened, by audience',
            columns: ['Audience', 'Tickets resolved', 'Self-resolutions', 'Suggestions opened'],
            rows: audiences.map((row) => [
              row.audience,
              row.tickets_resolved,
              row.self_resolutions,
              row.suggestions_opened,
            ]),
          }}
        />
      )}
    </DashboardSection>
  );
}

const searchSeries: Series[] = [
  { key: 'found', label: 'Found something', tone: 'accent' },
  { key: 'zero', label: 'Found nothing', tone: 'danger' },
];

const stageSeries: Series[] = [
  { key: 'articles', label: 'Published articles', tone: 'accent' },
  { key: 'tickets', label: 'Tickets', tone: 'warning' },
  { key: 'failed', label: 'Failed searches', tone: 'danger' },
];

export function SelfServiceSection({ report, query }: { report: Report; query: string }) {
  const selfService = report.self_service;
  return (
    <DashboardSection
      id="self-service-title"
      title="Self-service score"
      table="self-service"
      query={query}
    >
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
    </DashboardSection>
  );
}

export function SearchSection({ report, query }: { report: Report; query: string }) {
  const { search } = report;
  const zeroMax = Math.max(0, ...search.zero_result_queries.map((row) => row.zero_results));
  const lowMax = Math.max(0, ...search.low_click_queries.map((row) => row.with_results));
  return (
    <DashboardSection id="search-title" title="Search" table="searches" query={query}>
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
        <RankedTable
          id="zero-title"
          title="Top queries with no results"
          table="zero-result-queries"
          query={query}
          empty="Every search found something."
          columns={['Query', 'Found nothing', 'Last']}
          rows={search.zero_result_queries
            .slice(0, 10)
            .map((row) => [
              row.query,
              barCell(
                row.zero_results,
                zeroMax,
                'danger',
                row.searches > row.zero_results ? (
                  <span className="muted"> of {row.searches}</span>
                ) : null,
              ),
              shortDay(row.last_day),
            ])}
        />
        <RankedTable
          id="low-click-title"
          title="Searched often, rarely clicked"
          table="low-click-queries"
          query={query}
          empty="No query with 5 or more searches was clicked in 20% of them or fewer."
          columns={['Query', 'Searches', 'Clicked']}
          rows={search.low_click_queries
            .slice(0, 10)
            .map((row) => [row.query, barCell(row.with_results, lowMax), percent(row.click_rate)])}
        />
      </div>
    </DashboardSection>
  );
}

export function ArticlesSection({ report, query }: { report: Report; query: string }) {
  const { articles } = report;
  return (
    <DashboardSection id="articles-title" title="Articles" table="articles" query={query}>
      <p className="muted">
        {number(articles.views)} views ·{' '}
        {articles.helpful_percent === null ? 'no votes' : `${articles.helpful_percent}% helpful`} ·{' '}
        {number(articles.self_resolutions)} self-resolutions · {articles.overdue_reviews} overdue{' '}
        {articles.overdue_reviews === 1 ? 'review' : 'reviews'}
      </p>
      <div className="table-wrap">
        <NumbersTable
          visible
          labelledBy="articles-title"
          table={{
            columns: [
              'Article',
              'Views',
              'Helpful',
              'Self-resolved',
              'Resolved tickets',
              'Tickets within 24 h',
              'Review',
            ],
            rows: articles.articles.slice(0, 25).map((article) => [
              <Link key="title" to={`/agent/articles/${article.id}`}>
                {article.title}
              </Link>,
              number(article.views),
              article.helpful_percent === null ? (
                <span className="muted">no votes</span>
              ) : (
                `${article.helpful_percent}% of ${article.votes}`
              ),
              article.self_resolutions,
              article.tickets_resolved,
              {
                className: article.tickets_after_reading > 0 ? 'overdue' : undefined,
                content: article.tickets_after_reading,
              },
              {
                className: article.review_overdue ? 'overdue' : undefined,
                content: article.review_overdue
                  ? 'Overdue'
                  : article.review_due_at
                    ? shortDay(article.review_due_at.slice(0, 10))
                    : '—',
              },
            ]),
          }}
        />
      </div>
    </DashboardSection>
  );
}

const noContentGroups = [
  {
    caption: 'By category',
    label: 'Category',
    rows: 'by_category',
    table: 'no-content-by-category',
  },
  { caption: 'By tag', label: 'Tag', rows: 'by_tag', table: 'no-content-by-tag' },
  {
    caption: 'By similar subject',
    label: 'Subject',
    rows: 'by_subject',
    table: 'no-content-by-subject',
  },
] as const;

export function TicketsSection({ report, query }: { report: Report; query: string }) {
  const { tickets } = report;
  return (
    <DashboardSection id="tickets-title" title="Tickets" table="resolutions" query={query}>
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
            known_issue: period.known_issue,
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
            'Known issue',
          ],
          rows: tickets.periods.map((period) => [
            shortDay(period.start),
            period.article,
            period.thread,
            period.none,
            period.other,
            period.known_issue,
          ]),
        }}
      />
      <h3>Solved without content</h3>
      <div className="gaps-groups">
        {noContentGroups.map((group) => (
          <GroupTable
            key={group.table}
            caption={group.caption}
            label={group.label}
            rows={tickets.no_content[group.rows]}
            table={group.table}
            query={query}
          />
        ))}
      </div>
    </DashboardSection>
  );
}

export function ThreadsSection({ report, query }: { report: Report; query: string }) {
  const { threads } = report;
  return (
    <DashboardSection id="threads-title" title="Threads" query={query}>
      <div className="two-columns">
        <RankedTable
          id="unanswered-title"
          title="Unanswered, read a lot"
          table="unanswered-threads"
          query={query}
          empty="No unanswered question with 25 or more views."
          columns={['Question', 'Views']}
          rows={threads.unanswered.slice(0, 10).map((thread) => [
            <Link key="title" to={`/questions/${thread.id}/${thread.slug}`}>
              {thread.title}
            </Link>,
            number(thread.views),
          ])}
        />
        <RankedTable
          id="promotion-title"
          title="Answers worth an article"
          table="promotion-candidates"
          query={query}
          empty="No answered thread solved problems in this range without being an article."
          columns={['Thread', 'Self-resolved', 'Tickets']}
          rows={threads.promotion_candidates.slice(0, 10).map((thread) => [
            <>
              <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link>
              {thread.draft_article_id ? <span className="status">Draft started</span> : null}
            </>,
            thread.self_resolutions,
            thread.tickets_resolved,
          ])}
        />
      </div>
    </DashboardSection>
  );
}

export function StagesSection({ report, query }: { report: Report; query: string }) {
  const { stages } = report;
  return (
    <DashboardSection id="stages-title" title="Journey stages" table="stages" query={query}>
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
    </DashboardSection>
  );
}
