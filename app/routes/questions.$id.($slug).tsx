import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import {
  Form,
  Link,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
  useSearchParams,
} from '@remix-run/react';
import { isbot } from 'isbot';
import { z } from 'zod';
import { getUser, requireUser } from '~/auth/session.server';
import { ErrorPage } from '~/components/error-page';
import { FlagControl, FlagNotice } from '~/components/flags';
import { ModeratePanel, ModerationNotice, RemovedBanner } from '~/components/moderation';
import { FormError } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { AuthorLine, IntentButton, Prose, TagList, VoteControls } from '~/components/posts';
import { journeyStageLabels } from '~/components/question-form';
import { ThreadComments } from '~/components/thread-comments';
import { AnswerOrigin, LinkedThreads, ThreadOriginNotice } from '~/components/thread-origin';
import {
  addComment,
  commentSchema,
  commentsOfThread,
  setCommentDeleted,
} from '~/models/comments.server';
import { articlesFromAnswers, promoteAnswer } from '~/models/article-promotion.server';
import { originOfThread } from '~/models/imports.server';
import {
  canAccept,
  canDelete,
  canEdit,
  canSeeDeleted,
  canModerate,
  canWriteArticles,
  isStaff,
} from '~/models/permissions';
import { listCategories } from '~/models/categories.server';
import { postingCheck } from '~/models/posting-rules.server';
import { mergedInto } from '~/models/thread-moderation.server';
import { ticketsResolvedBy } from '~/models/resolutions.server';
import { escalateThread, escalationOf } from '~/models/tickets.server';
import {
  acceptAnswer,
  answerSchema,
  answersOfThread,
  postAnswer,
  setAnswerDeleted,
} from '~/models/posts.server';
import {
  getThreadForPage,
  getThreadTags,
  markSelfResolved,
  selfResolution,
  setThreadDeleted,
} from '~/models/threads.server';
import { recordThreadView } from '~/models/page-views.server';
import { castVote, votesOf } from '~/models/votes.server';
import { getDb } from '~/utils/db.server';
import { formValues, parseForm } from '~/utils/forms.server';
import { markdownToText } from '~/utils/markdown.server';
import { requireIdParam } from '~/utils/params';
import { qaPageJsonLd } from '~/utils/structured-data';
import { getVisitor, readerKey } from '~/utils/visitor.server';
import { useNonce } from '~/utils/nonce';
import { getConfig } from '~/utils/config.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const db = getDb();
  const user = await getUser(request);
  const thread = await getThreadForPage(db, id, user);
  const url = new URL(request.url);
  // A merged question's address leads to the question its answers went to.
  if (!thread || thread.merged_into) {
    const merged = await mergedInto(db, id);
    if (merged) throw redirect(`/questions/${merged.id}/${merged.slug}${url.search}`, 301);
  }
  if (!thread) throw new Response('Not found', { status: 404 });
  if (params.slug !== thread.slug) {
    throw redirect(`/questions/${thread.id}/${thread.slug}${url.search}`, 301);
  }
  const sort = url.searchParams.get('sort') === 'newest' ? 'newest' : 'votes';
  const visitor = getVisitor(request);
  const reader = readerKey(user?.id, visitor.id);
  if (!isbot(request.headers.get('user-agent') ?? '')) await recordThreadView(db, id, reader);
  const [answers, comments, tags, resolution] = await Promise.all([
    answersOfThread(db, id, user, sort, thread.accepted_post_id),
    commentsOfThread(db, id, user),
    getThreadTags(db, id),
    selfResolution(db, id, reader),
  ]);
  const answerIds = answers.map((answer) => answer.id);
  const staff = isStaff(user);
  const moderator = canModerate(user);
  const [myVotes, promotions, escalation, ticketsResolved, provenance, categories] =
    await Promise.all([
      user ? votesOf(db, user.id, id, answerIds) : Promise.resolve<Record<string, number>>({}),
      articlesFromAnswers(db, answerIds),
      user && (staff || user.id === thread.author_id) ? escalationOf(db, id) : undefined,
      staff ? ticketsResolvedBy(db, { threadId: id }) : null,
      originOfThread(db, id, answerIds),
      moderator ? listCategories(db) : [],
    ]);
  const origin = getConfig().PUBLIC_URL ?? url.origin;
  return data(
    {
      thread: { ...thread, tags, description: markdownToText(thread.body_md, 160) },
      answers,
      comments,
      myVotes,
      promotions,
      provenance,
      sort,
      resolution,
      escalation: escalation ?? null,
      // Staff only: members never see how many tickets a thread resolved.
      ticketsResolved,
      categories: categories.map((category) => ({ id: category.id, name: category.name })),
      canonicalUrl: `${origin}/questions/${thread.id}/${thread.slug}`,
      viewer: user
        ? {
            id: user.id,
            canAccept: canAccept(user, thread.author_id),
            seesDeleted: canSeeDeleted(user),
            canPromote: canWriteArticles(user),
            staff,
            moderator,
            role: user.role,
          }
        : null,
    },
    visitor.setCookie ? { headers: { 'Set-Cookie': visitor.setCookie } } : undefined,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: 'Question not found' }];
  return [
    { title: data.thread.title },
    { name: 'description', content: data.thread.description },
    { tagName: 'link', rel: 'canonical', href: data.canonicalUrl },
    { property: 'og:title', content: data.thread.title },
    { property: 'og:type', content: 'article' },
  ];
};

const targetId = z.coerce.number().int().positive();
const intents = {
  vote: z.object({
    target: z.enum(['thread', 'post']),
    targetId,
    direction: z.enum(['up', 'down']),
  }),
  accept: z.object({ postId: z.union([targetId, z.literal('none')]) }),
  answer: answerSchema,
  comment: commentSchema,
  'self-resolve': z.object({}),
  escalate: z.object({
    note: z.string().trim().max(5000, 'Keep the note under 5,000 characters.'),
  }),
  'delete-thread': z.object({}),
  'restore-thread': z.object({}),
  'delete-answer': z.object({ postId: targetId }),
  promote: z.object({ postId: targetId }),
  'restore-answer': z.object({ postId: targetId }),
  'delete-comment': z.object({ commentId: targetId }),
  'restore-comment': z.object({ commentId: targetId }),
};

type ActionReply = {
  error: string | null;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
};

/** Every answer of this action has one shape, so the page reads it one way. */
function reply(status: number, fields: Partial<ActionReply> = {}, headers?: HeadersInit) {
  const body: ActionReply = { error: null, fieldErrors: {}, values: {}, ...fields };
  return data(body, { status, headers });
}

function failure(status: number, error: string) {
  return reply(status, { error });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = requireIdParam(params.id);
  const db = getDb();
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const here = new URL(request.url).pathname;

  if (intent === 'self-resolve') {
    const user = await getUser(request);
    const visitor = getVisitor(request);
    const result = await markSelfResolved(db, threadId, {
      userId: user?.id ?? null,
      key: readerKey(user?.id, visitor.id),
    });
    if (!result.ok) return failure(result.status, result.error);
    return reply(200, {}, visitor.setCookie ? { 'Set-Cookie': visitor.setCookie } : undefined);
  }

  const user = await requireUser(request);
  switch (intent) {
    case 'vote': {
      const parsed = intents.vote.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return failure(400, 'That vote could not be read.');
      const result = await castVote(
        db,
        user.id,
        parsed.data.target,
        parsed.data.targetId,
        parsed.data.direction === 'up' ? 1 : -1,
      );
      return result.ok ? reply(200) : failure(result.status, result.error);
    }
    case 'accept': {
      const parsed = intents.accept.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return failure(400, 'Choose an answer to accept.');
      const postId = parsed.data.postId === 'none' ? null : parsed.data.postId;
      const result = await acceptAnswer(db, user, threadId, postId);
      return result.ok ? reply(200) : failure(result.status, result.error);
    }
    case 'answer': {
      const parsed = parseForm(formData, intents.answer);
      if (!parsed.success)
        return reply(400, { fieldErrors: parsed.fieldErrors, values: parsed.values });
      const allowed = await postingCheck(db, user, 'post', parsed.data.body);
      if (!allowed.ok)
        return reply(allowed.status, {
          fieldErrors: { body: allowed.error },
          values: formValues(formData),
        });
      const result = await postAnswer(db, user, threadId, parsed.data.body, new Date(), {
        awaitingReview: allowed.awaitingReview,
      });
      if (!result.ok)
        return reply(result.status, {
          fieldErrors: { body: result.error },
          values: formValues(formData),
        });
      return redirect(`${here}${allowed.awaitingReview ? '?awaiting=1' : ''}#answer-${result.id}`);
    }
    case 'comment': {
      const parsed = parseForm(formData, intents.comment);
      if (!parsed.success)
        return failure(
          400,
          Object.values(parsed.fieldErrors)[0] ?? 'That comment could not be posted.',
        );
      const allowed = await postingCheck(db, user, 'comment', parsed.data.body);
      if (!allowed.ok) return failure(allowed.status, allowed.error);
      const result = await addComment(
        db,
        user,
        threadId,
        parsed.data.postId ?? null,
        parsed.data.body,
        new Date(),
        { awaitingReview: allowed.awaitingReview },
      );
      if (!result.ok) return failure(result.status, result.error);
      return redirect(`${here}${allowed.awaitingReview ? '?awaiting=1' : ''}#comment-${result.id}`);
    }
    case 'delete-thread':
    case 'restore-thread': {
      const result = await setThreadDeleted(db, user, threadId, intent === 'delete-thread');
      if (!result.ok) return failure(result.status, 'You cannot do that to this question.');
      return canSeeDeleted(user) || intent === 'restore-thread'
        ? redirect(here)
        : redirect('/questions');
    }
    case 'escalate': {
      const parsed = intents.escalate.safeParse({ note: formData.get('note') ?? '' });
      if (!parsed.success) return failure(400, 'Keep the note under 5,000 characters.');
      const result = await escalateThread(db, user, threadId, parsed.data.note);
      if (!result.ok) return failure(result.status, result.error);
      return redirect(
        isStaff(user) ? `/agent/tickets/${result.id}` : `/requests/${result.id}?created=1`,
      );
    }
    case 'promote': {
      const parsed = intents.promote.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return failure(400, 'Choose an answer to promote.');
      const result = await promoteAnswer(db, user, parsed.data.postId);
      return result.ok
        ? redirect(`/agent/articles/${result.id}${result.existing ? '' : '?promoted=1'}`)
        : failure(result.status, result.error);
    }
    case 'delete-answer':
    case 'restore-answer': {
      const parsed = intents['delete-answer'].safeParse(Object.fromEntries(formData));
      if (!parsed.success) return failure(400, 'Choose an answer.');
      const result = await setAnswerDeleted(
        db,
        user,
        parsed.data.postId,
        intent === 'delete-answer',
      );
      return result.ok ? redirect(here) : failure(result.status, result.error);
    }
    case 'delete-comment':
    case 'restore-comment': {
      const parsed = intents['delete-comment'].safeParse(Object.fromEntries(formData));
      if (!parsed.success) return failure(400, 'Choose a comment.');
      const result = await setCommentDeleted(
        db,
        user,
        parsed.data.commentId,
        intent === 'delete-comment',
      );
      return result.ok
        ? redirect(here)
        : failure(result.status, 'You cannot do that to this comment.');
    }
    default:
      return failure(400, 'That action is not available here.');
  }
}

export default function ThreadPage() {
  const {
    thread,
    answers,
    comments,
    myVotes,
    promotions,
    provenance,
    sort,
    resolution,
    escalation,
    ticketsResolved,
    categories,
    viewer,
    canonicalUrl,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const nonce = useNonce();
  const isAsker = viewer?.id === thread.author_id;
  const voteReason = viewer ? 'You cannot vote on your own post.' : 'Sign in to vote.';
  const sortLink = (value: 'votes' | 'newest') => {
    const params = new URLSearchParams(searchParams);
    params.set('sort', value);
    return `?${params}#answers`;
  };
  const answering = navigation.formData?.get('intent') === 'answer';
  return (
    <div className="page thread-page">
      <script
        type="application/ld+json"
        nonce={nonce}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: qaPageJsonLd({ thread, answers, url: canonicalUrl }) }}
      />
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/questions">Community</Link>
        {thread.category_slug ? (
          <>
            {' / '}
            <Link to={`/categories/${thread.category_slug}`}>{thread.category_name}</Link>
          </>
        ) : null}
      </nav>
      <header className="thread-header">
        <h1>{thread.title}</h1>
        <div className="thread-facts">
          {thread.accepted_post_id ? (
            <span className="badge badge-success">Answered</span>
          ) : (
            <span className="badge">Open</span>
          )}
          <span className="muted">
            Asked <time dateTime={thread.created_at}>{thread.created_at.slice(0, 10)}</time> ·
            Viewed {thread.views.toLocaleString('en')} times
          </span>
          {thread.journey_stage ? (
            <span className="badge badge-soft">{journeyStageLabels[thread.journey_stage]}</span>
          ) : null}
        </div>
        {ticketsResolved !== null ? (
          <p className="staff-stats" aria-label="For the team">
            <span className="badge badge-soft">Team</span> resolved {ticketsResolved}{' '}
            {ticketsResolved === 1 ? 'ticket' : 'tickets'} · {resolution.count}{' '}
            {resolution.count === 1 ? 'self-resolution' : 'self-resolutions'}
            {escalation ? (
              <>
                {' · '}
                <Link to={`/agent/tickets/${escalation.id}`}>
                  Escalated to support: ticket #{escalation.id}
                </Link>
              </>
            ) : null}
          </p>
        ) : null}
      </header>
      <FlagNotice />
      <ModerationNotice />
      <ThreadOriginNotice origin={provenance} />
      {thread.status === 'closed' && !thread.duplicate_of ? (
        <p className="thread-state-banner" role="note">
          <strong>Closed</strong>
          {thread.closed_reason ? `: ${thread.closed_reason}` : ''}. It takes no new answers.
        </p>
      ) : null}
      {thread.status === 'locked' ? (
        <p className="thread-state-banner" role="note">
          <strong>Locked</strong>
          {thread.closed_reason ? `: ${thread.closed_reason}` : ''}. It takes no new answers or
          comments.
        </p>
      ) : null}
      {thread.deleted_at ? (
        <RemovedBanner
          what="question"
          state={thread.moderation_state}
          targetType="thread"
          targetId={thread.id}
          isAuthor={isAsker}
          moderator={Boolean(viewer?.moderator)}
          staff={Boolean(viewer?.seesDeleted)}
          restoreIntent="restore-thread"
        />
      ) : null}
      <FormError>{actionData?.error}</FormError>
      {viewer?.moderator ? <ModeratePanel thread={thread} categories={categories} /> : null}

      <article className="post question" aria-label="Question">
        <VoteControls
          target="thread"
          id={thread.id}
          score={thread.score}
          myVote={myVotes[`thread:${thread.id}`] ?? 0}
          canVote={Boolean(viewer) && !isAsker}
          reason={voteReason}
        />
        <div className="post-body">
          <Prose html={thread.body_html} />
          <TagList tags={thread.tags} />
          <div className="post-footer">
            <div className="post-actions">
              {viewer && canEdit(viewer, thread.author_id) ? (
                <Link to={`/questions/${thread.id}/edit`}>Edit</Link>
              ) : null}
              <Link to={`/questions/${thread.id}/revisions`}>History</Link>
              {viewer && canDelete(viewer, thread.author_id) && !thread.deleted_at ? (
                <IntentButton intent="delete-thread" danger>
                  Delete
                </IntentButton>
              ) : null}
              {viewer && !isAsker ? <FlagControl targetType="thread" targetId={thread.id} /> : null}
            </div>
            <AuthorLine
              verb="asked"
              username={thread.author_username}
              name={thread.author_name}
              reputation={thread.author_reputation}
              at={thread.created_at}
            />
          </div>
          <ThreadComments
            comments={comments.filter((comment) => comment.post_id === null)}
            postId={null}
            viewer={viewer}
            open={thread.status !== 'locked'}
          />
        </div>
      </article>

      <section className="self-resolve card" aria-label="Did this help?">
        {resolution.count === 0 ? (
          <p>Did this thread solve your problem? Let the next reader know.</p>
        ) : (
          <p>
            <strong>{resolution.count}</strong>{' '}
            {resolution.count === 1 ? 'person says' : 'people say'} this thread solved their
            problem.
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

      <SupportBox
        threadId={thread.id}
        canEscalate={
          Boolean(viewer) &&
          (isAsker || Boolean(viewer?.staff)) &&
          !thread.accepted_post_id &&
          !thread.deleted_at
        }
        escalation={escalation}
        staff={Boolean(viewer?.staff)}
      />

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
        {answers.map((answer) => {
          const accepted = thread.accepted_post_id === answer.id;
          return (
            <article
              key={answer.id}
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
                      <IntentButton
                        intent="accept"
                        fields={{ postId: accepted ? 'none' : answer.id }}
                      >
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
                      <FlagControl
                        targetType="post"
                        targetId={answer.id}
                        anchor={`answer-${answer.id}`}
                      />
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
                />
              </div>
            </article>
          );
        })}
      </section>

      <LinkedThreads origin={provenance} />

      <section className="card answer-form" aria-labelledby="your-answer">
        <h2 id="your-answer">Your answer</h2>
        {thread.status === 'closed' || thread.status === 'locked' ? (
          <p className="muted">This question is {thread.status} and takes no new answers.</p>
        ) : viewer ? (
          <Form method="post" className="stack" key={answers.length} noValidate>
            <input type="hidden" name="intent" value="answer" />
            <MarkdownEditor
              label="Answer"
              defaultValue={actionData?.values.body}
              error={actionData?.fieldErrors.body}
              hint="Explain the steps that worked. Markdown and @mentions work."
              rows={8}
            />
            <div>
              <button type="submit" className="button" disabled={answering}>
                {answering ? 'Posting…' : 'Post your answer'}
              </button>
            </div>
          </Form>
        ) : (
          <p>
            <Link
              to={`/login?${new URLSearchParams({ redirectTo: `/questions/${thread.id}/${thread.slug}` })}`}
            >
              Sign in
            </Link>{' '}
            or{' '}
            <Link
              to={`/signup?${new URLSearchParams({ redirectTo: `/questions/${thread.id}/${thread.slug}` })}`}
            >
              create an account
            </Link>{' '}
            to answer.
          </p>
        )}
      </section>
    </div>
  );
}

/**
 * Where the community could not help: the asker (or an agent for them) hands an unanswered
 * question to support; everyone else can contact support about it.
 */
function SupportBox({
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

function PromotionBanner({
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
        This answer became the article <Link to={`/kb/${article.slug}`}>{article.title}</Link>.
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

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
