import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { FormError } from '~/components/forms';
import { TextDiff } from '~/components/text-diff';
import { GeneralErrorBoundary } from '~/components/error-page';
import { getArticleForEditing, restoreArticleRevision } from '~/models/articles.server';
import { revisionsOfArticle } from '~/models/revisions.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History: ${data.article.title}` : 'History' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const article = await getArticleForEditing(db, requireIdParam(params.id));
  if (!article) throw new Response('Not found', { status: 404 });
  return {
    article: { id: article.id, title: article.title },
    revisions: await revisionsOfArticle(db, article.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const id = requireIdParam(params.id);
  const revisionId = z.coerce
    .number()
    .int()
    .positive()
    .safeParse((await request.formData()).get('revisionId'));
  if (!revisionId.success) return formError(400, 'Choose a revision to restore.');
  const result = await restoreArticleRevision(getDb(), user, id, revisionId.data);
  if (!result.ok) return formError(result.status, result.error);
  return redirect(`/agent/articles/${id}/history?restored=1`);
}

export default function ArticleHistory() {
  const { article, revisions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const latest = revisions.at(-1)?.number;
  return (
    <div className="narrow">
      <p className="breadcrumbs">
        <Link to="/agent/articles">Articles</Link> /{' '}
        <Link to={`/agent/articles/${article.id}`}>{article.title}</Link> / History
      </p>
      <h1>Revision history</h1>
      <FormError>{actionData?.formError}</FormError>
      <ol className="revision-list" reversed>
        {[...revisions].reverse().map((revision) => {
          const previous = revisions.find((candidate) => candidate.number === revision.number - 1);
          return (
            <li
              key={revision.id}
              className="card revision"
              aria-label={`Revision ${revision.number}`}
            >
              <header className="revision-header">
                <strong>
                  {revision.number === 1 ? 'First version' : `Revision ${revision.number}`}
                </strong>
                {revision.number === latest ? (
                  <span className="badge badge-success">Current</span>
                ) : null}
                <span className="muted">
                  {' '}
                  by {revision.author_name},{' '}
                  <time dateTime={revision.created_at}>{formatDate(revision.created_at)}</time>
                </span>
                {revision.reason ? <p className="revision-reason">“{revision.reason}”</p> : null}
              </header>
              {previous?.title !== revision.title ? (
                <div className="revision-field">
                  <h3>Title</h3>
                  <TextDiff
                    before={previous ? (previous.title ?? '') : null}
                    after={revision.title ?? ''}
                  />
                </div>
              ) : null}
              {previous?.body_md !== revision.body_md ? (
                <div className="revision-field">
                  <h3>Body</h3>
                  <TextDiff before={previous ? previous.body_md : null} after={revision.body_md} />
                </div>
              ) : null}
              {previous?.tags !== revision.tags ? (
                <div className="revision-field">
                  <h3>Tags</h3>
                  <TextDiff
                    before={previous ? (previous.tags ?? '') : null}
                    after={revision.tags ?? ''}
                  />
                </div>
              ) : null}
              {revision.number !== latest ? (
                <Form method="post" className="revision-restore">
                  <input type="hidden" name="revisionId" value={revision.id} />
                  <button type="submit" className="button button-secondary button-small">
                    Restore this revision
                  </button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No article #{params.id}.</p> }}
    />
  );
}
