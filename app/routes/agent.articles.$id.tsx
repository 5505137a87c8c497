import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { articleStatuses, type ArticleStatus } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { ArticleForm } from '~/components/article-form';
import { VisibilityFields } from '~/components/visibility-fields';
import { FormError, Notice } from '~/components/forms';
import { GeneralErrorBoundary } from '~/components/error-page';
import { articleStats } from '~/models/article-feedback.server';
import { articleStatusLabels, articleTransitions } from '~/models/article-workflow';
import {
  articleSchema,
  articleStatusHistory,
  getArticleForEditing,
  staffMembers,
  transitionArticle,
  updateArticle,
  verifyArticle,
} from '~/models/articles.server';
import { listCategories } from '~/models/categories.server';
import {
  audienceOptions,
  currentAudience,
  parseVisibilityForm,
  saveVisibility,
} from '~/models/audiences.server';
import { visibilityValues } from '~/models/visibility-form';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { formatDate, formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError, formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';
import { findPersonalData, personalDataLabels, stripPersonalData } from '~/utils/personal-data';
import { answerPath, articlePath } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit: ${data.article.title}` : 'Article' },
];

async function loadArticle(id: number) {
  const article = await getArticleForEditing(getDb(), id);
  if (!article) throw new Response('Not found', { status: 404 });
  return article;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const article = await loadArticle(requireIdParam(params.id));
  const [categories, staff, history, stats, audience, options] = await Promise.all([
    listCategories(db),
    staffMembers(db),
    articleStatusHistory(db, article.id),
    articleStats(db, { articleId: article.id }),
    currentAudience(db, { type: 'article', id: article.id }),
    audienceOptions(db),
  ]);
  if (!audience) throw new Response('Not found', { status: 404 });
  return {
    article,
    audience,
    ...options,
    categories,
    staff,
    history,
    stats: stats[0] ?? null,
    personalData: findPersonalData(article.body_md),
    now: new Date().toISOString(),
  };
}

const transitionLabels: Record<ArticleStatus, string> = {
  draft: 'Move back to draft',
  in_review: 'Submit for review',
  published: 'Publish',
  archived: 'Archive',
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const id = requireIdParam(params.id);
  const db = getDb();
  const formData = await request.formData();
  const intent = formData.get('intent');
  const here = `/agent/articles/${id}`;

  if (intent === 'transition') {
    const to = z.enum(articleStatuses).safeParse(formData.get('to'));
    if (!to.success) return formError(400, 'Choose a status.');
    const result = await transitionArticle(db, user, id, to.data);
    return result.ok
      ? redirect(`${here}?moved=${to.data}`)
      : formError(result.status, result.error);
  }
  if (intent === 'verify') {
    const result = await verifyArticle(db, user, id);
    return result.ok ? redirect(`${here}?verified=1`) : formError(result.status, result.error);
  }
  if (intent === 'strip-personal-data') {
    const article = await loadArticle(id);
    const result = await updateArticle(db, user, id, {
      title: article.title,
      slug: article.slug,
      body: stripPersonalData(article.body_md),
      categoryId: article.category_id,
      tags: article.tags,
      journeyStage: article.journey_stage,
      ownerId: article.owner_id,
      reason: 'Removed personal data',
    });
    return result.ok
      ? redirect(`${here}?stripped=1`)
      : formError(400, 'The personal data could not be removed.');
  }
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, articleSchema);
  const visibility = await parseVisibilityForm(db, formData);
  if (!parsed.success || !visibility.success)
    return formReply(400, {
      fieldErrors: {
        ...(parsed.success ? {} : parsed.fieldErrors),
        ...(visibility.success ? {} : visibility.fieldErrors),
      },
      values: { ...formValues(formData, articleSchema), ...visibilityValues(formData) },
    });
  const result = await updateArticle(db, user, id, parsed.data);
  if (!result.ok) {
    if (result.status) throw new Response('Not found', { status: result.status });
    return formReply(400, {
      fieldErrors: result.fieldErrors,
      values: { ...formValues(formData), ...visibilityValues(formData) },
    });
  }
  await saveVisibility(db, user.id, { type: 'article', id }, visibility.data);
  return redirect(`${here}?saved=1`);
}

const notices: Record<string, string> = {
  saved: 'Saved. Every save is kept in the history.',
  verified: 'Verified: the next review is due in 180 days.',
  stripped: 'Personal data removed.',
};

export default function EditArticle() {
  const {
    article,
    audience,
    groups,
    organizations,
    categories,
    staff,
    history,
    stats,
    personalData,
    now,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const moved = articleStatuses.find((status) => status === searchParams.get('moved'));
  const notice = moved
    ? `Moved to ${articleStatusLabels[moved].toLowerCase()}.`
    : Object.entries(notices).find(([key]) => searchParams.has(key))?.[1];
  const values =
    actionData?.values && Object.keys(actionData.values).length > 0
      ? actionData.values
      : {
          title: article.title,
          slug: article.slug,
          body: article.body_md,
          categoryId: article.category_id ? String(article.category_id) : '',
          tags: article.tags.join(' '),
          journeyStage: article.journey_stage ?? '',
          ownerId: String(article.owner_id),
          visibility: audience.visibility,
          groupIds: audience.groupIds.join(' '),
          organizationIds: audience.organizationIds.join(' '),
        };
  const errors = actionData?.fieldErrors;
  return (
    <div className="editor-layout">
      <div>
        <p className="breadcrumbs">
          <Link to="/agent/articles">Articles</Link> / {article.title}
        </p>
        <header className="page-title-row">
          <h1>
            {article.title}{' '}
            <span className={`status status-${article.status}`}>
              {articleStatusLabels[article.status]}
            </span>
          </h1>
        </header>
        <Notice>{notice}</Notice>
        {/^\d+$/.test(searchParams.get('fromTicket') ?? '') ? (
          <p className="source-note" role="note">
            Drafted from{' '}
            <Link to={`/agent/tickets/${searchParams.get('fromTicket')}`}>
              ticket #{searchParams.get('fromTicket')}
            </Link>
            : the ticket is solved and linked to this draft. Turn your reply into steps anyone can
            follow, then publish.
          </p>
        ) : null}
        <FormError>{actionData?.formError}</FormError>
        {personalData.length > 0 ? (
          <section
            className="alert alert-warning personal-data"
            aria-labelledby="personal-data-title"
          >
            <h2 id="personal-data-title">Personal data found</h2>
            <p>Published articles are public. Check these before publishing:</p>
            <ul>
              {personalData.map((finding) => (
                <li key={`${finding.kind}:${finding.text}`}>
                  {personalDataLabels[finding.kind]}: <code>{finding.text}</code>
                </li>
              ))}
            </ul>
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value="strip-personal-data"
                className="button button-small"
              >
                Remove personal data
              </button>
            </Form>
          </section>
        ) : null}
        <section className="card">
          <ArticleForm
            values={values}
            errors={errors}
            categories={categories}
            staff={staff}
            submitLabel="Save"
            editing
            key={article.updated_at}
          >
            <VisibilityFields
              subject="article"
              values={values}
              error={errors?.visibility ?? errors?.groupIds ?? errors?.organizationIds}
              groups={groups}
              organizations={organizations}
            />
          </ArticleForm>
        </section>
      </div>
      <aside className="editor-side" aria-label="Publishing">
        <section className="card">
          <h2>Status</h2>
          <p>
            <span className={`status status-${article.status}`}>
              {articleStatusLabels[article.status]}
            </span>
          </p>
          <div className="stack-small">
            {articleTransitions[article.status].map((to) => (
              <Form method="post" key={to}>
                <input type="hidden" name="intent" value="transition" />
                <button
                  type="submit"
                  name="to"
                  value={to}
                  className={
                    to === 'published'
                      ? 'button button-block'
                      : 'button button-secondary button-block'
                  }
                >
                  {article.status === 'archived' && to === 'published'
                    ? 'Publish again'
                    : transitionLabels[to]}
                </button>
              </Form>
            ))}
          </div>
          {article.status === 'published' ? (
            <>
              <p className="muted">
                <Link to={articlePath(article.slug)}>View the article</Link>
              </p>
              <ReviewDue at={article.review_due_at} now={now} />
              <Form method="post">
                <button
                  type="submit"
                  name="intent"
                  value="verify"
                  className="button button-secondary button-block"
                >
                  Verify: still accurate
                </button>
              </Form>
            </>
          ) : null}
          <p>
            <Link to={`/agent/articles/${article.id}/history`}>Revision history</Link>
          </p>
        </section>
        {stats && article.status === 'published' ? (
          <section className="card">
            <h2>How it is doing</h2>
            <dl className="facts">
              <dt>Views</dt>
              <dd>{stats.views.toLocaleString('en')}</dd>
              <dt>Helpful</dt>
              <dd>
                {stats.helpful_percent === null
                  ? 'no votes yet'
                  : `${stats.helpful_percent}% of ${stats.votes}`}
              </dd>
              <dt>Self-resolutions</dt>
              <dd>{stats.self_resolutions}</dd>
            </dl>
          </section>
        ) : null}
        {article.source_thread_id ? (
          <section className="card">
            <h2>From the community</h2>
            <p className="muted">
              Promoted from an answer to{' '}
              <Link
                to={answerPath(
                  { id: article.source_thread_id, slug: article.source_thread_slug },
                  article.source_post_id,
                )}
              >
                {article.source_thread_title}
              </Link>
              . The question, for context:
            </p>
            <blockquote className="context-quote">{article.source_question}</blockquote>
          </section>
        ) : null}
        <section className="card">
          <h2>Workflow</h2>
          <ol className="timeline">
            {history.map((change) => (
              <li key={change.id}>
                <strong>{articleStatusLabels[change.to_status]}</strong> by {change.user_name}
                <div className="muted">
                  <time dateTime={change.created_at}>{formatDate(change.created_at)}</time>
                </div>
              </li>
            ))}
          </ol>
        </section>
      </aside>
    </div>
  );
}

function ReviewDue({ at, now }: { at: string | null; now: string }) {
  if (!at) return <p className="muted">No review date yet.</p>;
  if (at < now) return <p className="overdue">Review overdue since {formatDay(at)}.</p>;
  return <p className="muted">Review due {formatDay(at)}.</p>;
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No article #{params.id}.</p> }}
    />
  );
}
