import { Form, Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { formatDate, timeAgo } from '~/utils/dates';
import { useSentOnce, type SentOnce } from '~/utils/document-html';
import { useNonce } from '~/utils/nonce';

/** Sanitized HTML that the server rendered from Markdown (or where the document holds it). */
export function Prose({ html }: { html: SentOnce }) {
  const shown = useSentOnce(html);
  return (
    <div className="prose" {...shown.marker} dangerouslySetInnerHTML={{ __html: shown.html }} />
  );
}

/** A schema.org description of the page for search engines (JSON-LD, made by the loader). */
export function StructuredData({ json }: { json: SentOnce }) {
  const nonce = useNonce();
  const shown = useSentOnce(json);
  return (
    <script
      type="application/ld+json"
      nonce={nonce}
      // The nonce is '' in the browser (see useNonce).
      suppressHydrationWarning
      {...shown.marker}
      dangerouslySetInnerHTML={{ __html: shown.html }}
    />
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          <Link className="tag" to={`/tags/${encodeURIComponent(tag)}`}>
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function AuthorLine({
  verb,
  username,
  name,
  reputation,
  at,
}: {
  verb: string;
  username: string;
  name: string;
  reputation?: number;
  at: string;
}) {
  return (
    <div className="author-line">
      <span className="avatar avatar-small" aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </span>
      <span>
        <Link to={`/users/${encodeURIComponent(username)}`}>{name}</Link>
        {reputation !== undefined ? (
          <span className="reputation" title="Reputation">
            {' '}
            · {reputation.toLocaleString('en')}
          </span>
        ) : null}
        <span className="muted">
          {' '}
          {verb}{' '}
          <time dateTime={at} title={formatDate(at)} suppressHydrationWarning>
            {timeAgo(at)}
          </time>
        </span>
      </span>
    </div>
  );
}

type VoteProps = {
  target: 'thread' | 'post';
  id: number;
  score: number;
  myVote: number;
  canVote: boolean;
  reason?: string;
};

/** Up/down vote buttons: pressing your current vote again withdraws it. */
export function VoteControls({ target, id, score, myVote, canVote, reason }: VoteProps) {
  const noun = target === 'thread' ? 'question' : 'answer';
  return (
    <Form method="post" className="votes" preventScrollReset>
      <input type="hidden" name="intent" value="vote" />
      <input type="hidden" name="target" value={target} />
      <input type="hidden" name="targetId" value={id} />
      <button
        type="submit"
        name="direction"
        value="up"
        className={myVote > 0 ? 'vote vote-on' : 'vote'}
        aria-pressed={myVote > 0}
        aria-label={`Upvote this ${noun}`}
        title={canVote ? (myVote > 0 ? 'Withdraw your upvote' : 'This is useful') : reason}
        disabled={!canVote}
      >
        ▲
      </button>
      <span className="vote-score" aria-label={`Score ${score}`}>
        {score}
      </span>
      <button
        type="submit"
        name="direction"
        value="down"
        className={myVote < 0 ? 'vote vote-on' : 'vote'}
        aria-pressed={myVote < 0}
        aria-label={`Downvote this ${noun}`}
        title={canVote ? (myVote < 0 ? 'Withdraw your downvote' : 'This is not useful') : reason}
        disabled={!canVote}
      >
        ▼
      </button>
    </Form>
  );
}

export function DeletedBanner({ children }: { children: ReactNode }) {
  return (
    <p className="deleted-banner" role="note">
      {children}
    </p>
  );
}

/** A one-button form that posts an intent (and its fields) to the current page, shown as a link. */
export function IntentButton({
  intent,
  fields = {},
  danger = false,
  children,
}: {
  intent: string;
  fields?: Record<string, string | number>;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="inline" preventScrollReset>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        name="intent"
        value={intent}
        className={danger ? 'link-button danger' : 'link-button'}
      >
        {children}
      </button>
    </Form>
  );
}
