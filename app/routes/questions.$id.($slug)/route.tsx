import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { isbot } from 'isbot';
import { getUser, getViewer, requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import {
  deferred,
  FlagControl,
  MarkdownEditor,
  ModeratePanel,
  RemovedBanner,
} from '~/components/deferred';
import { moderationNotices } from '~/models/moderation-notices.server';
import { FormError, Notice, PageNotices } from '~/components/forms';
import {
  AuthorLine,
  IntentButton,
  Prose,
  StructuredData,
  TagList,
  VoteControls,
} from '~/components/posts';
import { journeyStageLabels } from '~/models/journey-stages';
import { ThreadComments } from '~/components/thread-comments';
import { LinkedThreads, ThreadOriginNotice } from '~/components/thread-origin';
import { canDelete, canEdit } from '~/models/permissions';
import { threadVisibleTo } from '~/models/thread-access.server';
import { questionPage } from '~/models/thread-page.server';
import { firstImageUrl, publicOrigin } from '~/utils/public-url.server';
import { siteNameOf, socialMeta } from '~/utils/meta';
import { getDb } from '~/utils/db.server';
import { formError } from '~/utils/forms.server';
import { sendOnce } from '~/utils/document-html.server';
import { requireIdParam } from '~/utils/params';
import { qaPageJsonLd } from '~/utils/structured-data';
import { getVisitor, readerKey } from '~/utils/visitor.server';
import {
  acceptAction,
  answerAction,
  commentAction,
  escalateAction,
  problemAction,
  postDeletedAction,
  promoteAction,
  selfResolveAction,
  threadDeletedAction,
  voteAction,
  watchAction,
} from './actions.server';
import { KnownIssueBanner } from '~/components/known-issue-banner';
import { Answers } from './answers';
import { ProblemLinkForm } from './known-issue';
import { SelfResolveBox, SupportBox } from './support';
import { questionPagePath, questionPath } from '#lib/content-urls';

// Only members watch a thread: anonymous readers' browsers never download the button.
const WatchButton = deferred(() => import('./watch').then((module) => module.WatchButton));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const user = await getUser(request);
  const visitor = getVisitor(request, context.clientAddress);
  const found = await questionPage(getDb(), {
    threadId: requireIdParam(params.id),
    slug: params.slug,
    user,
    viewer: await getViewer(request),
    reader: readerKey(user?.id, visitor.id),
    sort: url.searchParams.get('sort') === 'newest' ? 'newest' : 'votes',
    countView: !isbot(request.headers.get('user-agent') ?? ''),
  });
  if (!found) throw new Response('Not found', { status: 404 });
  if (found.movedTo) throw redirect(`${questionPath(found.movedTo)}${url.search}`, 301);
  const { thread, answers, comments } = found.page;
  const origin = publicOrigin(request);
  const canonicalUrl = `${origin}/questions/${thread.id}/${thread.slug}`;
  // A document already shows every body: its loader data names them instead of repeating them.
  return data({
    ...found.page,
    thread: { ...thread, body_html: sendOnce(context, 'question', thread.body_html) },
    answers: answers.map((answer) => ({
      ...answer,
      body_html: sendOnce(context, `answer-${answer.id}`, answer.body_html),
    })),
    comments: comments.map((comment) => ({
      ...comment,
      body_html: sendOnce(context, `comment-${comment.id}`, comment.body_html),
    })),
    // Search engines read it from documents; a client navigation has no use for it.
    structuredData: context.documentHtml
      ? sendOnce(context, 'structured-data', qaPageJsonLd({ thread, answers, url: canonicalUrl }))
      : null,
    canonicalUrl,
    cardImage: firstImageUrl(request, thread.body_html),
    notices: moderationNotices(url.searchParams),
  });
}

export type QuestionPageData = ReturnType<typeof useLoaderData<typeof loader>>;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Question not found' }];
  const { thread, canonicalUrl, cardImage } = data;
  return [
    { title: thread.title },
    { name: 'description', content: thread.description },
    { tagName: 'link', rel: 'canonical', href: canonicalUrl },
    ...socialMeta(
      {
        title: thread.title,
        description: thread.description,
        url: canonicalUrl,
        type: 'article',
        image: cardImage,
      },
      siteNameOf(matches),
    ),
  ];
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const threadId = requireIdParam(params.id);
  const db = getDb();
  // Every form on a question someone may not see answers as if it did not exist.
  if (!(await threadVisibleTo(db, await getViewer(request), threadId)))
    throw new Response('Not found', { status: 404 });
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  if (intent === 'self-resolve') {
    const user = await getUser(request);
    const visitor = getVisitor(request, context.clientAddress, { remember: true });
    const reader = { userId: user?.id ?? null, key: readerKey(user?.id, visitor.id) };
    return selfResolveAction(db, threadId, reader, visitor.setCookie);
  }
  const user = await requireUser(request);
  const args = { db, user, threadId, formData, here: new URL(request.url).pathname };
  switch (intent) {
    case 'vote':
      return voteAction(args);
    case 'accept':
      return acceptAction(args);
    case 'watch':
      return watchAction(args);
    case 'answer':
      return answerAction(args);
    case 'comment':
      return commentAction(args);
    case 'escalate':
      return escalateAction(args);
    case 'problem':
      return problemAction(args);
    case 'promote':
      return promoteAction(args);
    case 'delete-thread':
    case 'restore-thread':
      return threadDeletedAction(args, intent === 'delete-thread');
    case 'delete-answer':
    case 'restore-answer':
      return postDeletedAction(args, 'answer', intent === 'delete-answer');
    case 'delete-comment':
    case 'restore-comment':
      return postDeletedAction(args, 'comment', intent === 'delete-comment');
    default:
      return formError(400, 'That action is not available here.');
  }
}

export default function ThreadPage() {
  const pageData = useLoaderData<typeof loader>();
  const {
    thread,
    answers,
    comments,
    myVotes,
    provenance,
    resolution,
    escalation,
    ticketsResolved,
    categories,
    viewer,
    structuredData,
    notices,
  } = pageData;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const isAsker = viewer?.id === thread.author_id;
  const voteReason = viewer ? 'You cannot vote on your own post.' : 'Sign in to vote.';
  const answering = navigation.formData?.get('intent') === 'answer';
  return (
    <div className="page thread-page">
      {structuredData ? <StructuredData json={structuredData} /> : null}
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
          {viewer && !thread.deleted_at ? <WatchButton watching={viewer.watching} /> : null}
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
        {viewer?.staff ? (
          <ProblemLinkForm linked={pageData.knownIssue} open={pageData.openProblems} />
        ) : null}
      </header>
      <PageNotices notices={notices} />
      <ThreadOriginNotice origin={provenance} />
      {pageData.knownIssue ? <KnownIssueBanner issue={pageData.knownIssue} /> : null}
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
      <FormError>{actionData?.formError}</FormError>
      <Notice>{actionData?.form === 'watch' ? actionData.notice : null}</Notice>
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
                <Link to={questionPagePath(thread.id, 'edit')}>Edit</Link>
              ) : null}
              <Link to={questionPagePath(thread.id, 'revisions')}>History</Link>
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
            origins={provenance.comments}
          />
        </div>
      </article>

      <SelfResolveBox resolution={resolution} isAsker={isAsker} />

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

      <Answers page={pageData} voteReason={voteReason} />

      <LinkedThreads origin={provenance} />

      <section className="card answer-form" aria-labelledby="your-answer">
        <h2 id="your-answer">Your answer</h2>
        {thread.status === 'closed' || thread.status === 'locked' ? (
          <p className="muted">This question is {thread.status} and takes no new answers.</p>
        ) : viewer ? (
          <Form
            method="post"
            encType="multipart/form-data"
            className="stack"
            key={answers.length}
            noValidate
          >
            <input type="hidden" name="intent" value="answer" />
            <MarkdownEditor
              label="Answer"
              defaultValue={actionData?.values.body}
              error={actionData?.fieldErrors.body}
              attachmentError={actionData?.fieldErrors.attachments}
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
            <Link to={`/login?${new URLSearchParams({ redirectTo: questionPath(thread) })}`}>
              Sign in
            </Link>{' '}
            or{' '}
            <Link to={`/signup?${new URLSearchParams({ redirectTo: questionPath(thread) })}`}>
              create an account
            </Link>{' '}
            to answer.
          </p>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => <p>No question #{params.id}. It may have been removed.</p>,
      }}
    />
  );
}
