import { Link, useSearchParams } from '@remix-run/react';
import { FlagControl, RemovedBanner } from '~/components/deferred';
import { AuthorLine, IntentButton, Prose, VoteControls } from '~/components/posts';
import { ThreadComments } from '~/components/thread-comments';
import { AnswerOrigin } from '~/components/thread-origin';
import { canDelete, canEdit } from '~/models/permissions';
import type { QuestionPageData as Page } from './route';
import { PromotionBanner } from './support';

/** The answers, accepted first or by score or newest, each with its own actions and comments. */
export function Answers({ page, voteReason }: { page: Page; voteReason: string }) {
  const { answers, sort } = page;
  const [searchParams] = useSearchParams();
  const sortLink = (value: 'votes' | 'newest') => {
    const params = new URLSearchParams(searchParams);
    params.set('sort', value);
    return `?${params}#answers`;
  };
  return (
    <section id="answers" aria-labelledby="answers-title">
      <div className="answers-header">
        <h2 id="answers-title">
          {answers.length} {answers.length === 1 ? 'answer' : 'answers'}
        </h2>
        {answers.length > 1 ? (
          <nav className="tabs tabs-small" aria-label="Sort answers">
            <Link
              to={sortLink('votes')}
              className={sort === 'votes' ? 'tab tab-current' : 'tab'}
              aria-current={sort === 'votes' ? 'page' : undefined}
            >
              Highest score
            </Link>
            <Link
              to={sortLink('newest')}
              className={sort === 'newest' ? 'tab tab-current' : 'tab'}
              aria-current={sort === 'newest' ? 'page' : undefined}
            >
              Newest
            </Link>
          </nav>
        ) : null}
      </div>
      {answers.map((answer) => (
        <Answer key={answer.id} page={page} answer={answer} voteReason={voteReason} />
      ))}
    </section>
  );
}

function Answer({
  page,
  answer,
  voteReason,
}: {
  page: Page;
  answer: Page['answers'][number];
  voteReason: string;
}) {
  const { thread, comments, myVotes, promotions, provenance, viewer } = page;
  const accepted = thread.accepted_post_id === answer.id;
  return (
    <article
      id={`answer-${answer.id}`}
      className={`post answer${accepted ? ' answer-accepted' : ''}${answer.deleted_at ? ' post-deleted' : ''}`}
      aria-label={`Answer by ${answer.author_name}`}
    >
      <div className="post-side">
        <VoteControls
          target="post"
          id={answer.id}
          score={answer.score}
          myVote={myVotes[`post:${answer.id}`] ?? 0}
          canVote={Boolean(viewer) && viewer?.id !== answer.author_id}
          reason={voteReason}
        />
        {accepted ? (
          <span
            className="accepted-mark"
            title="Accepted answer"
            role="img"
            aria-label="Accepted answer"
          >
            ✓
          </span>
        ) : null}
      </div>
      <div className="post-body">
        {answer.deleted_at ? (
          <RemovedBanner
            what="answer"
            state={answer.moderation_state}
            targetType="post"
            targetId={answer.id}
            isAuthor={viewer?.id === answer.author_id}
            moderator={Boolean(viewer?.moderator)}
            staff={Boolean(viewer?.seesDeleted)}
            restoreIntent="restore-answer"
          />
        ) : null}
        {accepted ? <p className="accepted-label">Accepted answer</p> : null}
        <PromotionBanner
          article={promotions[String(answer.id)]}
          staff={Boolean(viewer?.canPromote)}
        />
        <Prose html={answer.body_html} />
        <div className="post-footer">
          <div className="post-actions">
            {viewer?.canAccept && !answer.deleted_at ? (
              <IntentButton intent="accept" fields={{ postId: accepted ? 'none' : answer.id }}>
                {accepted ? 'Withdraw acceptance' : 'Accept this answer'}
              </IntentButton>
            ) : null}
            {viewer && canEdit(viewer, answer.author_id) ? (
              <Link to={`/answers/${answer.id}/edit`}>Edit</Link>
            ) : null}
            {viewer?.canPromote && !answer.deleted_at && !promotions[String(answer.id)] ? (
              <IntentButton intent="promote" fields={{ postId: answer.id }}>
                Promote to article
              </IntentButton>
            ) : null}
            {viewer && canDelete(viewer, answer.author_id) && !answer.deleted_at ? (
              <IntentButton intent="delete-answer" fields={{ postId: answer.id }} danger>
                Delete
              </IntentButton>
            ) : null}
            {viewer && viewer.id !== answer.author_id ? (
              <FlagControl targetType="post" targetId={answer.id} anchor={`answer-${answer.id}`} />
            ) : null}
          </div>
          <AuthorLine
            verb="answered"
            username={answer.author_username}
            name={answer.author_name}
            reputation={answer.author_reputation}
            at={answer.created_at}
          />
        </div>
        <AnswerOrigin origin={provenance.answers[String(answer.id)]} />
        <ThreadComments
          comments={comments.filter((comment) => comment.post_id === answer.id)}
          postId={answer.id}
          viewer={viewer}
          open={thread.status !== 'locked'}
          origins={provenance.comments}
        />
      </div>
    </article>
  );
}
