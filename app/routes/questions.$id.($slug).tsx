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
import { FormError } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import {
  AuthorLine,
  DeletedBanner,
  IntentButton,
  Prose,
  TagList,
  VoteControls,
} from '~/components/posts';
import { journeyStageLabels } from '~/components/question-form';
import { ThreadComments } from '~/components/thread-comments';
import {
  addComment,
  commentSchema,
  commentsOfThread,
  setCommentDeleted,
} from '~/models/comments.server';
import { articlesFromAnswers, promoteAnswer } from '~/models/articles.server';
import {
  canAccept,
  canDelete,
  canEdit,
  canSeeDeleted,
  canWriteArticles,
} from '~/models/permissions';
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
  recordThreadView,
  selfResolution,
  setThreadDeleted,
} from '~/models/threads.server';
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
  if (!thread) throw new Response('Not found', { status: 404 });
  const url = new URL(request.url);
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
  const [myVotes, promotions] = await Promise.all([
    user ? votesOf(db, user.id, id, answerIds) : Promise.resolve<Record<string, number>>({}),
    articlesFromAnswers(db, answerIds),
  ]);
  const origin = getConfig().PUBLIC_URL ?? url.origin;
  return data(
    {
      thread: { ...thread, tags, description: markdownToText(thread.body_md, 160) },
      answers,
      comments,
      myVotes,
      promotions,
      sort,
      resolution,
      canonicalUrl: `${origin}/questions/${thread.id}/${thread.slug}`,
      viewer: user
        ? {
            id: user.id,
            canAccept: canAccept(user, thread.author_id),
            seesDeleted: canSeeDeleted(user),
            canPromote: canWriteArticles(user),
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
      const result = await postAnswer(db, user, threadId, parsed.data.body);
      if (!result.ok)
        return reply(result.status, {
          fieldErrors: { body: result.error },
          values: formValues(formData),
        });
      return redirect(`${here}#answer-${result.id}`);
    }
    case 'comment': {
      const parsed = parseForm(formData, intents.comment);
      if (!parsed.success)
        return failure(
          400,
          Object.values(parsed.fieldErrors)[0] ?? 'That comment could not be posted.',
        );
      const result = await addComment(
        db,
        user,
        threadId,
        parsed.data.postId ?? null,
        parsed.data.body,
      );
      if (!result.ok) return failure(result.status, result.error);
      return redirect(`${here}#comment-${result.id}`);
    }
    case 'delete-thread':
    case 'restore-thread': {
      const result = await setThreadDeleted(db, user, threadId, intent === 'delete-thread');
      if (!result.ok) return failure(result.status, 'You cannot do that to this question.');
      return canSeeDeleted(user) || intent === 'restore-thread'
        ? redirect(here)
        : redirect('/questions');
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
  const { thread, answers, comments, myVotes, promotions, sort, resolution, viewer, canonicalUrl } =
    useLoaderData<typeof loader>();
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
      </header>
      {thread.deleted_at ? (
        <DeletedBanner>
          This question was deleted and only staff can see it.{' '}
          <IntentButton intent="restore-thread">Restore it</IntentButton>
        </DeletedBanner>
      ) : null}
      <FormError>{actionData?.error}</FormError>

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
                  <DeletedBanner>
                    This answer was deleted and only staff can see it.{' '}
                    <IntentButton intent="restore-answer" fields={{ postId: answer.id }}>
                      Restore it
                    </IntentButton>
                  </DeletedBanner>
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
                  </div>
                  <AuthorLine
                    verb="answered"
                    username={answer.author_username}
                    name={answer.author_name}
                    reputation={answer.author_reputation}
                    at={answer.created_at}
                  />
                </div>
                <ThreadComments
                  comments={comments.filter((comment) => comment.post_id === answer.id)}
                  postId={answer.id}
                  viewer={viewer}
                />
              </div>
            </article>
          );
        })}
      </section>

      <section className="card answer-form" aria-labelledby="your-answer">
        <h2 id="your-answer">Your answer</h2>
        {viewer ? (
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
