import { Form, Link } from '@remix-run/react';
import type { Role } from '#db/schema';
import type { ContentOrigin } from '~/models/imports.server';
import { canDelete } from '~/models/permissions';
import { timeAgo } from '~/utils/dates';
import { useSentOnce, type SentOnce } from '~/utils/document-html';
import { FlagControl } from './deferred';
import { IntentButton } from './posts';
import { CommentOrigin } from './thread-origin';

type Comment = {
  id: number;
  body_html: SentOnce;
  created_at: string;
  deleted_at: string | null;
  moderation_state: string | null;
  author_id: number;
  author_username: string;
  author_name: string;
};

type Viewer = { id: number; role: Role } | null;

/** Comments under a question (postId null) or an answer, with a form to add one. */
export function ThreadComments({
  comments,
  postId,
  viewer,
  open = true,
  origins = {},
}: {
  comments: Comment[];
  postId: number | null;
  viewer: Viewer;
  /** False on locked questions: no new comments. */
  open?: boolean;
  /** Where imported comments were first posted, by comment id: their licence asks to show it. */
  origins?: Record<string, ContentOrigin>;
}) {
  return (
    <div className="comments">
      {comments.length > 0 ? (
        <ul className="comment-list" aria-label="Comments">
          {comments.map((comment) => (
            <li
              key={comment.id}
              id={`comment-${comment.id}`}
              className={comment.deleted_at ? 'comment post-deleted' : 'comment'}
            >
              {comment.moderation_state === 'awaiting_review' ? (
                <span className="badge badge-soft">Awaiting review</span>
              ) : comment.moderation_state === 'hidden' ? (
                <span className="badge badge-soft">Hidden pending review</span>
              ) : null}{' '}
              <CommentBody html={comment.body_html} />
              <span className="comment-meta">
                –{' '}
                <Link to={`/users/${encodeURIComponent(comment.author_username)}`}>
                  {comment.author_name}
                </Link>{' '}
                <time dateTime={comment.created_at} className="muted" suppressHydrationWarning>
                  {timeAgo(comment.created_at)}
                </time>
                <CommentOrigin origin={origins[String(comment.id)]} />
                {viewer && canDelete(viewer, comment.author_id) ? (
                  <IntentButton
                    intent={comment.deleted_at ? 'restore-comment' : 'delete-comment'}
                    fields={{ commentId: comment.id }}
                    danger
                  >
                    {comment.deleted_at ? 'restore' : 'delete'}
                  </IntentButton>
                ) : null}
                {viewer && viewer.id !== comment.author_id && !comment.deleted_at ? (
                  <FlagControl
                    targetType="comment"
                    targetId={comment.id}
                    anchor={`comment-${comment.id}`}
                  />
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {viewer && open ? (
        <details className="comment-form">
          <summary>Add a comment</summary>
          <Form method="post" className="inline-stack" preventScrollReset>
            <input type="hidden" name="intent" value="comment" />
            <input type="hidden" name="postId" value={postId ?? ''} />
            <label htmlFor={`comment-${postId ?? 'question'}`} className="visually-hidden">
              Comment
            </label>
            <textarea
              id={`comment-${postId ?? 'question'}`}
              name="body"
              rows={2}
              maxLength={600}
              required
              placeholder="Ask for detail or suggest an improvement"
            />
            <button type="submit" className="button button-small button-secondary">
              Add comment
            </button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

function CommentBody({ html }: { html: SentOnce }) {
  const shown = useSentOnce(html);
  return (
    <span
      className="comment-body prose"
      {...shown.marker}
      dangerouslySetInnerHTML={{ __html: shown.html }}
    />
  );
}
