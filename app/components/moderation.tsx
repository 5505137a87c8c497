import { Form, useLocation, useSearchParams } from '@remix-run/react';
import type { FlagTarget } from '#db/schema';
import { DeletedBanner, IntentButton } from './posts';

/** One-button moderation decision (approve, restore, delete…) that comes back to this page. */
export function ModAction({
  intent,
  targetType,
  targetId,
  children,
  danger = false,
  reasonRequired = false,
}: {
  intent: 'approve' | 'restore' | 'delete' | 'hide';
  targetType: FlagTarget;
  targetId: number;
  children: string;
  danger?: boolean;
  reasonRequired?: boolean;
}) {
  const location = useLocation();
  return (
    <Form method="post" action="/mod/queue" className="inline mod-action">
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="returnTo" value={`${location.pathname}${location.search}`} />
      {reasonRequired ? (
        <input
          name="reason"
          required
          maxLength={1000}
          placeholder="Reason"
          aria-label={`Reason to ${intent}`}
          className="mod-reason"
        />
      ) : null}
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

/**
 * Why a question, answer or comment is out of public view, said to whoever can still see it: its
 * author (awaiting review, hidden pending review) or staff (all states), with the way back.
 */
export function RemovedBanner({
  what,
  state,
  targetType,
  targetId,
  isAuthor,
  moderator,
  staff,
  restoreIntent,
}: {
  what: string;
  state: string | null;
  targetType: FlagTarget;
  targetId: number;
  isAuthor: boolean;
  moderator: boolean;
  staff: boolean;
  restoreIntent: string;
}) {
  if (state === 'awaiting_review')
    return (
      <DeletedBanner>
        <strong>Awaiting review.</strong>{' '}
        {isAuthor && !moderator
          ? `Only you and the moderators can see this ${what} until a moderator approves it.`
          : `Only its author and the moderators can see this ${what}.`}{' '}
        {moderator ? (
          <>
            <ModAction intent="approve" targetType={targetType} targetId={targetId}>
              Approve
            </ModAction>{' '}
            <ModAction
              intent="delete"
              targetType={targetType}
              targetId={targetId}
              danger
              reasonRequired
            >
              Delete
            </ModAction>
          </>
        ) : null}
      </DeletedBanner>
    );
  if (state === 'hidden')
    return (
      <DeletedBanner>
        <strong>Hidden pending review.</strong>{' '}
        {isAuthor && !moderator
          ? `People flagged this ${what}, so it is hidden while a moderator reviews it.`
          : `Flags or a moderator hid this ${what}; members cannot see it.`}{' '}
        {moderator ? (
          <ModAction intent="restore" targetType={targetType} targetId={targetId}>
            Restore it
          </ModAction>
        ) : null}
      </DeletedBanner>
    );
  if (state === 'spam')
    return (
      <DeletedBanner>Removed with its author’s spam; only staff can see this {what}.</DeletedBanner>
    );
  if (state === 'merged')
    return <DeletedBanner>This {what} was merged into another question.</DeletedBanner>;
  return (
    <DeletedBanner>
      This {what} was deleted and only staff can see it.{' '}
      {staff ? (
        <IntentButton
          intent={restoreIntent}
          fields={
            targetType === 'thread'
              ? {}
              : targetType === 'post'
                ? { postId: targetId }
                : { commentId: targetId }
          }
        >
          Restore it
        </IntentButton>
      ) : null}
    </DeletedBanner>
  );
}

const modDone: Record<string, string> = {
  lock: 'Locked: no new answers or comments.',
  unlock: 'Unlocked.',
  close: 'Closed.',
  reopen: 'Reopened.',
  duplicate: 'Marked as a duplicate.',
  merge: 'Merged: the answers are here now, and the old address leads here.',
  move: 'Moved.',
  pin: 'Pinned in its category.',
  unpin: 'Unpinned.',
  approve: 'Approved: everyone can see it now.',
  restore: 'Restored.',
  delete: 'Deleted.',
};

const modErrors: Record<string, string> = {
  reason: 'Say why: the reason is shown and kept in the audit log.',
  target: 'Give another question here, by its link or number.',
  invalid: 'That action could not be read.',
};

/** The outcome of a moderator's thread action, or of posting when it waits for approval. */
export function ModerationNotice() {
  const [params] = useSearchParams();
  const done = params.get('modDone') ?? params.get('done');
  const error = params.get('modError');
  if (params.get('awaiting'))
    return (
      <div className="alert alert-success" role="status">
        Thanks! A moderator reviews posts with links from new accounts (and posts with certain
        words) before others see them. Until then only you and the moderators can see it.
      </div>
    );
  if (done && modDone[done])
    return (
      <div className="alert alert-success" role="status">
        {modDone[done]}
      </div>
    );
  if (error && modErrors[error])
    return (
      <div className="alert alert-error" role="alert">
        {modErrors[error]}
      </div>
    );
  return null;
}

/** Moderators' thread actions, each with its reason. */
export function ModeratePanel({
  thread,
  categories,
}: {
  thread: { id: number; status: string; pinned_at: string | null; category_id: number | null };
  categories: { id: number; name: string }[];
}) {
  const closed = thread.status === 'closed';
  const locked = thread.status === 'locked';
  const action = `/mod/threads/${thread.id}`;
  return (
    <details className="card mod-panel" id="moderate">
      <summary>Moderate this question</summary>
      <div className="mod-grid">
        <Form method="post" action={action} className="mod-row">
          <label>
            Reason <input name="reason" maxLength={1000} />
          </label>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value={locked ? 'unlock' : 'lock'}
              className="button button-small button-secondary"
            >
              {locked ? 'Unlock' : 'Lock'}
            </button>
            <button
              type="submit"
              name="intent"
              value={closed ? 'reopen' : 'close'}
              className="button button-small button-secondary"
            >
              {closed ? 'Reopen' : 'Close'}
            </button>
            <button
              type="submit"
              name="intent"
              value={thread.pinned_at ? 'unpin' : 'pin'}
              className="button button-small button-secondary"
            >
              {thread.pinned_at ? 'Unpin' : 'Pin in its category'}
            </button>
          </div>
        </Form>
        <Form method="post" action={action} className="mod-row">
          <label>
            Other question (link or number) <input name="target" maxLength={2000} required />
          </label>
          <label>
            Reason <input name="reason" maxLength={1000} required />
          </label>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value="duplicate"
              className="button button-small button-secondary"
            >
              Mark as duplicate of it
            </button>
            <button
              type="submit"
              name="intent"
              value="merge"
              className="button button-small button-danger"
            >
              Merge answers into it
            </button>
          </div>
        </Form>
        <Form method="post" action={action} className="mod-row">
          <label>
            Category{' '}
            <select name="categoryId" defaultValue={thread.category_id ?? ''}>
              <option value="">No category</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason <input name="reason" maxLength={1000} required />
          </label>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value="move"
              className="button button-small button-secondary"
            >
              Move
            </button>
          </div>
        </Form>
      </div>
    </details>
  );
}
