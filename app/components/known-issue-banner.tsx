import { Link } from '@remix-run/react';
import type { ProblemState as State } from '#db/schema';
import { ProblemState } from './problem-state';

export type KnownIssueBannerData = {
  id: number;
  title: string;
  state: State;
  public: boolean;
  summary_html: string;
  workaround: { title: string; url: string } | null;
};

/**
 * "This is a known issue": on a thread or a request that reports one, its state, what customers
 * should know, its workaround, and the way to say it affects you too.
 */
export function KnownIssueBanner({ issue }: { issue: KnownIssueBannerData }) {
  return (
    <aside className="known-issue-banner" aria-label="Known issue">
      <p>
        <strong>Known issue:</strong>{' '}
        {issue.public ? <Link to={`/known-issues/${issue.id}`}>{issue.title}</Link> : issue.title}{' '}
        <ProblemState state={issue.state} />
        {issue.public ? null : <span className="badge badge-internal">Team only</span>}
      </p>
      {issue.summary_html ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: issue.summary_html }} />
      ) : null}
      {issue.workaround ? (
        <p>
          Workaround: <Link to={issue.workaround.url}>{issue.workaround.title}</Link>
        </p>
      ) : null}
      {issue.public && issue.state !== 'fixed' && issue.state !== 'wont_fix' ? (
        <p>
          <Link to={`/known-issues/${issue.id}`}>Affects you too? Follow it</Link> and you will hear
          when it is fixed.
        </p>
      ) : null}
    </aside>
  );
}
