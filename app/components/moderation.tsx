import { Form, useLocation } from '@remix-run/react';
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
