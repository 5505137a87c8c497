import { Form, Link } from '@remix-run/react';
import { articlePath } from '#lib/content-urls';

/**
 * Where the community could not help: the asker (or an agent for them) hands an unanswered
 * question to support; everyone else can contact support about it.
 */
export function SupportBox({
  threadId,
  canEscalate,
  escalation,
  staff,
}: {
  threadId: number;
  canEscalate: boolean;
  escalation: { id: number; status: string } | null;
  staff: boolean;
}) {
  if (escalation && !staff) {
    return (
      <p className="support-box muted" role="note">
        You escalated this question to support:{' '}
        <Link to={`/requests/${escalation.id}`}>see your request #{escalation.id}</Link>.
      </p>
    );
  }
  if (canEscalate && !escalation) {
    return (
      <details className="support-box card">
        <summary>
          {staff ? 'Escalate to support for the asker' : 'No answer yet? Escalate to support'}
        </summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="escalate" />
          <div className="field">
            <label htmlFor="escalate-note">Anything support should know? (optional)</label>
            <textarea id="escalate-note" name="note" rows={3} maxLength={5000} />
          </div>
          <div>
            <button type="submit" className="button button-secondary">
              Escalate to support
            </button>
          </div>
        </Form>
      </details>
    );
  }
  if (staff) return null;
  return (
    <p className="support-box muted">
      Still need help?{' '}
      <Link to={`/requests/new?${new URLSearchParams({ thread: String(threadId) })}`}>
        Contact support
      </Link>
    </p>
  );
}

export function PromotionBanner({
  article,
  staff,
}: {
  article: { id: number; slug: string; title: string; status: string } | undefined;
  staff: boolean;
}) {
  if (!article) return null;
  if (article.status === 'published') {
    return (
      <p className="promotion-banner" role="note">
        This answer became the article <Link to={articlePath(article.slug)}>{article.title}</Link>.
      </p>
    );
  }
  if (!staff) return null;
  return (
    <p className="promotion-banner promotion-draft" role="note">
      Being turned into an article ({article.status.replace('_', ' ')}):{' '}
      <Link to={`/agent/articles/${article.id}`}>{article.title}</Link>
    </p>
  );
}

/** "This solved my problem": counted once per reader, shown to everyone. */
export function SelfResolveBox({
  resolution,
  isAsker,
}: {
  resolution: { count: number; mine: boolean };
  isAsker: boolean;
}) {
  return (
    <section className="self-resolve card" aria-label="Did this help?">
      {resolution.count === 0 ? (
        <p>Did this thread solve your problem? Let the next reader know.</p>
      ) : (
        <p>
          <strong>{resolution.count}</strong>{' '}
          {resolution.count === 1 ? 'person says' : 'people say'} this thread solved their problem.
        </p>
      )}
      {isAsker ? null : resolution.mine ? (
        <p className="muted">Thanks — you said this solved your problem.</p>
      ) : (
        <Form method="post" preventScrollReset>
          <button
            type="submit"
            name="intent"
            value="self-resolve"
            className="button button-secondary"
          >
            This solved my problem
          </button>
        </Form>
      )}
    </section>
  );
}
