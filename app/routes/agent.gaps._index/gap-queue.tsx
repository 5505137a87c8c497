import { Link } from '@remix-run/react';
import { SectionHeader } from '~/components/dashboard';
import { ScoreExplanation } from '~/components/gap-parts';
import { gapKindLabels, gapStateLabels } from '~/models/analytics/gap-labels';
import { formatDay } from '~/utils/dates';
import type { GapReportData as Report } from './route';
import { ExportLink } from './dashboard-parts';

export function GapQueue({
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
