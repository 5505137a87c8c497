import { resolutionKinds } from '#db/schema';
import type { Database } from '#db/client';
import { audienceFigures } from './audience-figures.server';
import { articleFigures, promotionCandidates, unansweredThreads } from './content-figures.server';
import type { DateRange } from './date-range';
import { queryTotals, searchFigures, selfServiceFigures } from './figures.server';
import type { ExportTable } from './gap-labels';
import { gapQueue } from './gap-queue.server';
import { refreshForRequest } from './rollup.server';
import { ratingsIn, satisfactionByResolution } from './satisfaction-figures.server';
import { noContentTickets, stageFigures, ticketFigures } from './ticket-figures.server';

/** Everything /agent/gaps shows for a range, after counting the events recorded since last time. */
export async function gapReport(db: Database, range: DateRange, now = new Date()) {
  const refresh = await refreshForRequest(db);
  const [queries, noContent] = await Promise.all([
    queryTotals(db, range),
    noContentTickets(db, range),
  ]);
  const [
    selfService,
    audiences,
    search,
    articles,
    tickets,
    unanswered,
    promotion,
    stages,
    ratings,
  ] = await Promise.all([
    selfServiceFigures(db, range, now),
    audienceFigures(db, range),
    searchFigures(db, range, queries),
    articleFigures(db, range, now),
    ticketFigures(db, range, noContent),
    unansweredThreads(db, range),
    promotionCandidates(db, range),
    stageFigures(db, range),
    ratingsIn(db, range),
  ]);
  const gaps = await gapQueue(db, range, {
    queries,
    noContent,
    articles: articles.articles,
    promotion,
    now,
  });
  return {
    range,
    caught_up: refresh.caughtUp,
    self_service: selfService,
    /** What resolved or deflected, by who may read it (public … internal). */
    audiences,
    search,
    articles,
    tickets,
    /** How requesters rated tickets, by what resolved them. */
    satisfaction: satisfactionByResolution(ratings),
    threads: { unanswered, promotion_candidates: promotion },
    stages,
    gaps,
  };
}

export type GapReport = Awaited<ReturnType<typeof gapReport>>;

/** What the dashboard page needs: the report with its long lists cut to what it shows. */
export function dashboardView(report: GapReport, shown = 30) {
  return {
    ...report,
    articles: { ...report.articles, articles: report.articles.articles.slice(0, 25) },
    tickets: { ...report.tickets, no_content: { ...report.tickets.no_content, tickets: [] } },
    threads: {
      unanswered: report.threads.unanswered.slice(0, 10),
      promotion_candidates: report.threads.promotion_candidates.slice(0, 10),
    },
    gaps: {
      open: report.gaps.open.slice(0, shown),
      done: report.gaps.done.slice(0, shown),
      dismissed: report.gaps.dismissed.slice(0, shown),
      counts: {
        open: report.gaps.open.length,
        done: report.gaps.done.length,
        dismissed: report.gaps.dismissed.length,
      },
    },
  };
}

/** What /agent/gaps shows for a range: the report with its gap lists cut to `shown` each. */
export async function gapDashboard(
  db: Database,
  range: DateRange,
  shown: number,
  now = new Date(),
) {
  return dashboardView(await gapReport(db, range, now), shown);
}

type Cell = string | number | boolean | null;
export type ReportTable = { columns: string[]; rows: Cell[][] };

/** One table of the report, as columns and rows (for CSV). */
export function reportTable(report: GapReport, table: ExportTable): ReportTable {
  switch (table) {
    case 'self-service':
      return {
        columns: ['week', 'visitors', 'requesters', 'score', 'partial_week'],
        rows: report.self_service.weeks.map((week) => [
          week.week,
          week.visitors,
          week.requesters,
          week.score,
          week.partial,
        ]),
      };
    case 'self-service-by-audience':
      return {
        columns: [
          'audience',
          'visibility',
          'tickets_resolved',
          'self_resolutions',
          'suggestions_opened',
        ],
        rows: report.audiences.map((row) => [
          row.audience,
          row.visibility,
          row.tickets_resolved,
          row.self_resolutions,
          row.suggestions_opened,
        ]),
      };
    case 'searches':
      return {
        columns: ['day', 'searches', 'zero_results', 'clicked'],
        rows: report.search.days.map((day) => [
          day.day,
          day.searches,
          day.zero_results,
          day.clicked,
        ]),
      };
    case 'zero-result-queries':
      return {
        columns: ['query', 'searches', 'zero_results', 'last_searched'],
        rows: report.search.zero_result_queries.map((row) => [
          row.query,
          row.searches,
          row.zero_results,
          row.last_day,
        ]),
      };
    case 'low-click-queries':
      return {
        columns: ['query', 'searches', 'with_results', 'clicked', 'click_through_rate'],
        rows: report.search.low_click_queries.map((row) => [
          row.query,
          row.searches,
          row.with_results,
          row.clicked,
          row.click_rate,
        ]),
      };
    case 'articles':
      return {
        columns: [
          'id',
          'title',
          'journey_stage',
          'views',
          'votes',
          'helpful_percent',
          'self_resolutions',
          'tickets_resolved',
          'tickets_after_reading',
          'review_due_at',
          'review_overdue',
        ],
        rows: report.articles.articles.map((row) => [
          row.id,
          row.title,
          row.journey_stage,
          row.views,
          row.votes,
          row.helpful_percent,
          row.self_resolutions,
          row.tickets_resolved,
          row.tickets_after_reading,
          row.review_due_at,
          row.review_overdue,
        ]),
      };
    case 'resolutions':
      return {
        columns: [report.tickets.bucket, ...resolutionKinds],
        rows: report.tickets.periods.map((period) => [
          period.start,
          ...resolutionKinds.map((kind) => period[kind]),
        ]),
      };
    case 'satisfaction-by-resolution':
      return {
        columns: ['resolution_kind', 'ratings', 'good', 'bad', 'good_percent'],
        rows: report.satisfaction.map((row) => [
          row.kind,
          row.ratings,
          row.good,
          row.bad,
          row.good_share === null ? null : Math.round(row.good_share * 100),
        ]),
      };
    case 'no-content-by-category':
      return {
        columns: ['category', 'tickets'],
        rows: report.tickets.no_content.by_category.map((row) => [row.label, row.count]),
      };
    case 'no-content-by-tag':
      return {
        columns: ['tag', 'tickets'],
        rows: report.tickets.no_content.by_tag.map((row) => [row.label, row.count]),
      };
    case 'no-content-by-subject':
      return {
        columns: ['subject', 'tickets', 'ticket_ids'],
        rows: report.tickets.no_content.by_subject.map((row) => [
          row.label,
          row.count,
          row.ticket_ids.join(' '),
        ]),
      };
    case 'unanswered-threads':
      return {
        columns: ['id', 'title', 'views', 'asked_at'],
        rows: report.threads.unanswered.map((row) => [
          row.id,
          row.title,
          row.views,
          row.created_at,
        ]),
      };
    case 'promotion-candidates':
      return {
        columns: [
          'thread_id',
          'title',
          'self_resolutions',
          'tickets_resolved',
          'answer_id',
          'draft_article_id',
        ],
        rows: report.threads.promotion_candidates.map((row) => [
          row.id,
          row.title,
          row.self_resolutions,
          row.tickets_resolved,
          row.answer_id,
          row.draft_article_id,
        ]),
      };
    case 'stages':
      return {
        columns: ['stage', 'published_articles', 'tickets', 'failed_searches'],
        rows: report.stages.map((row) => [
          row.stage,
          row.articles,
          row.tickets,
          row.failed_searches,
        ]),
      };
    case 'gaps':
      return {
        columns: ['rank', 'key', 'kind', 'title', 'score', 'explanation', 'state'],
        rows: [...report.gaps.open, ...report.gaps.done, ...report.gaps.dismissed].map(
          (gap, index) => [
            gap.state === 'open' || gap.state === 'in_progress' ? index + 1 : null,
            gap.key,
            gap.kind,
            gap.title,
            gap.score,
            gap.parts.map((part) => `${part.count} ${part.label} × ${part.weight}`).join(' + '),
            gap.state,
          ],
        ),
      };
  }
}

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading
 * apostrophe, since queries and subjects are typed by customers.
 */
export function toCsv(table: ReportTable): string {
  const cell = (value: Cell) => {
    if (value === null) return '';
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
