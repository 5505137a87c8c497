import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { isbot } from 'isbot';
import { getUser, getViewer } from '~/auth/session.server';
import { AudienceMarkers } from '~/components/audience-markers';
import { GeneralErrorBoundary } from '~/components/error-page';
import { ArticleFeedbackForm } from '~/components/article-feedback';
import { FormError, PageNotices } from '~/components/forms';
import { Prose, TagList } from '~/components/posts';
import { journeyStageLabels } from '~/models/journey-stages';
import {
  articleSelfResolvedBy,
  articleStats,
  feedbackOf,
  feedbackSchema,
  markArticleSelfResolved,
  setArticleFeedback,
} from '~/models/article-feedback.server';
import {
  audienceMarkers,
  findArticle,
  relatedAnsweredThreads,
  relatedArticles,
} from '~/models/knowledge-base.server';
import { countPageView } from '~/models/page-views.server';
import { articleStatusLabels } from '~/models/article-workflow';
import { canWriteArticles } from '~/models/permissions';
import { tagsOfArticle } from '~/models/tags.server';
import { firstImageUrl, publicOrigin } from '~/utils/public-url.server';
import { feedLink, siteNameOf, socialMeta } from '~/utils/meta';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formReply, parseForm } from '~/utils/forms.server';
import { headingsOf, markdownToText } from '~/utils/markdown.server';
import { sendOnce } from '~/utils/document-html.server';
import { useNonce } from '~/utils/nonce';
import { articleJsonLd } from '~/utils/structured-data';
import { getVisitor, readerKey } from '~/utils/visitor.server';
import { ticketsResolvedBy } from '~/models/resolutions.server';
import { FlagControl } from '~/components/flags';
import { ModAction } from '~/components/moderation';
import { moderationNotices } from '~/models/moderation-notices.server';
import { canModerate } from '~/models/permissions';
import { answerPath, articlePath, feedPaths, questionPath } from '#lib/content-urls';

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const db = getDb();
  const [user, viewer] = await Promise.all([getUser(request), getViewer(request)]);
  const slug = (params.slug ?? '').slice(0, 100);
  const lookup = await findArticle(db, slug, viewer);
  if (lookup.found === 'redirect') throw redirect(articlePath(lookup.slug), 301);
  if (lookup.found === 'none') throw new Response('Not found', { status: 404 });
  const { article } = lookup;
  const visitor = getVisitor(request, context.clientAddress);
  const reader = readerKey(user?.id, visitor.id);
  if (article.status === 'published' && !isbot(request.headers.get('user-agent') ?? '')) {
    await countPageView(db, {
      page: 'article',
      id: article.id,
      reader,
      userId: user?.id ?? null,
      at: new Date(),
    });
  }
  const staff = canWriteArticles(user);
  const [tags, related, threads, feedback, selfResolved, stats, ticketsResolved] =
    await Promise.all([
      tagsOfArticle(db, article.id),
      relatedArticles(db, article, viewer),
      relatedAnsweredThreads(db, article, viewer),
      feedbackOf(db, article.id, reader),
      articleSelfResolvedBy(db, article.id, reader),
      staff ? articleStats(db, { articleId: article.id }) : [],
      staff ? ticketsResolvedBy(db, { articleId: article.id }) : null,
    ]);
  const markers = await audienceMarkers(db, viewer, [article, ...related]);
  const origin = publicOrigin(request);
  const { body_md, ...shown } = article;
  return data({
    article: {
      ...shown,
      // A document already shows the body: its loader data names it instead of repeating it.
      body_html: sendOnce(context, 'article', article.body_html),
      tags,
      description: markdownToText(body_md, 160),
    },
    headings: headingsOf(article.body_html),
    related,
    markers,
    threads,
    feedback: feedback ?? null,
    selfResolved,
    stats: stats[0] ?? null,
    ticketsResolved,
    staff,
    viewerId: user?.id ?? null,
    moderator: canModerate(user),
    canonicalUrl: `${origin}/kb/${article.slug}`,
    cardImage: firstImageUrl(request, article.body_html),
    notices: moderationNotices(new URL(request.url).searchParams),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: 'Article not found' }];
  const { article, canonicalUrl, cardImage } = data;
  const siteName = siteNameOf(matches);
  return [
    { title: article.title },
    { name: 'description', content: article.description },
    { tagName: 'link', rel: 'canonical', href: canonicalUrl },
    ...socialMeta(
      {
        title: article.title,
        description: article.description,
        url: canonicalUrl,
        type: 'article',
        image: cardImage,
      },
      siteName,
    ),
    feedLink(`${siteName}: knowledge base`, feedPaths.articles),
  ];
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const db = getDb();
  const [user, viewer] = await Promise.all([getUser(request), getViewer(request)]);
  const lookup = await findArticle(db, (params.slug ?? '').slice(0, 100), viewer);
  if (lookup.found !== 'article') throw new Response('Not found', { status: 404 });
  const visitor = getVisitor(request, context.clientAddress, { remember: true });
  const reader = { key: readerKey(user?.id, visitor.id), userId: user?.id ?? null };
  const headers = visitor.setCookie ? { 'Set-Cookie': visitor.setCookie } : undefined;
  const formData = await request.formData();
  if (formData.get('intent') === 'self-resolve') {
    const result = await markArticleSelfResolved(db, lookup.article.id, viewer, reader);
    if (!result.ok) throw new Response('Not found', { status: 404 });
    return formReply(200, {}, headers);
  }
  const parsed = parseForm(formData, feedbackSchema);
  if (!parsed.success)
    return formReply(
      400,
      { formError: Object.values(parsed.fieldErrors)[0] ?? 'Choose Yes or No.' },
      headers,
    );
  const result = await setArticleFeedback(db, lookup.article.id, viewer, reader, parsed.data);
  if (!result.ok) throw new Response('Not found', { status: 404 });
  return formReply(200, {}, headers);
}

export default function ArticlePage() {
  const {
    article,
    headings,
    related,
    markers,
    threads,
    feedback,
    selfResolved,
    stats,
    ticketsResolved,
    staff,
    viewerId,
    moderator,
    canonicalUrl,
    notices,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nonce = useNonce();
  return (
    <div className="page article-page">
      <script
        type="application/ld+json"
        nonce={nonce}
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: articleJsonLd({ article, url: canonicalUrl }) }}
      />
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/kb">Knowledge base</Link>
        {article.category_name ? <> / {article.category_name}</> : null}
      </nav>
      <PageNotices notices={notices} />
      {article.hidden_at ? (
        <p className="deleted-banner" role="note">
          <strong>Hidden pending review.</strong> People flagged this article, so readers cannot see
          it until a moderator reviews it.{' '}
          {moderator ? (
            <ModAction intent="restore" targetType="article" targetId={article.id}>
              Restore it
            </ModAction>
          ) : null}
        </p>
      ) : null}
      <div className="article-layout">
        <article className="article" aria-labelledby="article-title">
          <header className="article-header">
            {article.status !== 'published' ? (
              <p className="deleted-banner" role="note">
                {articleStatusLabels[article.status]}: only the team can see this article.
              </p>
            ) : null}
            <h1 id="article-title">{article.title}</h1>
            {markers[article.id]?.length ? (
              <p className="article-audience">
                Who can read it: <AudienceMarkers labels={markers[article.id]} />
              </p>
            ) : null}
            <p className="muted">
              Updated on <time dateTime={article.updated_at}>{formatDay(article.updated_at)}</time>{' '}
              · Written by {article.author_name}
              {article.owner_username !== article.author_username ? (
                <> · Maintained by {article.owner_name}</>
              ) : null}
              {article.journey_stage ? (
                <span className="badge badge-soft">
                  {journeyStageLabels[article.journey_stage]}
                </span>
              ) : null}
            </p>
            {article.source_thread_id && article.source_author_name ? (
              <p className="credit">
                Based on a{' '}
                <Link
                  to={answerPath(
                    { id: article.source_thread_id, slug: article.source_thread_slug },
                    article.source_post_id,
                  )}
                >
                  community answer
                </Link>{' '}
                by{' '}
                <Link to={`/users/${encodeURIComponent(article.source_author_username ?? '')}`}>
                  {article.source_author_name}
                </Link>
                .
              </p>
            ) : null}
          </header>
          <Prose html={article.body_html} />
          <TagList tags={article.tags} />
          {viewerId !== null && viewerId !== article.owner_id && article.status === 'published' ? (
            <div className="post-actions">
              <FlagControl targetType="article" targetId={article.id} />
            </div>
          ) : null}

          {article.status === 'published' ? (
            <section className="card feedback" aria-labelledby="feedback-title">
              <h2 id="feedback-title">Was this article helpful?</h2>
              <FormError>{actionData?.formError}</FormError>
              <ArticleFeedbackForm feedback={feedback} />
              <div className="feedback-solved">
                {selfResolved ? (
                  <p className="muted">Glad it solved your problem.</p>
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
              </div>
            </section>
          ) : null}
        </article>
        <aside className="article-side">
          {staff ? (
            <section className="card staff-panel" aria-labelledby="staff-title">
              <h2 id="staff-title">For the team</h2>
              {stats ? (
                <dl className="facts">
                  <dt>Helpful</dt>
                  <dd>
                    {stats.helpful_percent === null
                      ? 'no votes yet'
                      : `${stats.helpful_percent}% (${stats.votes} ${stats.votes === 1 ? 'vote' : 'votes'})`}
                  </dd>
                  <dt>Views</dt>
                  <dd>{stats.views.toLocaleString('en')}</dd>
                  <dt>Resolved</dt>
                  <dd>
                    {ticketsResolved ?? 0} {ticketsResolved === 1 ? 'ticket' : 'tickets'} ·{' '}
                    {stats.self_resolutions}{' '}
                    {stats.self_resolutions === 1 ? 'self-resolution' : 'self-resolutions'}
                  </dd>
                  <dt>Review due</dt>
                  <dd>{article.review_due_at ? formatDay(article.review_due_at) : '—'}</dd>
                </dl>
              ) : null}
              <p>
                <Link to={`/agent/articles/${article.id}`}>Edit or change status</Link>
              </p>
            </section>
          ) : null}
          {headings.length > 0 ? (
            <nav className="toc" aria-label="On this page">
              <h2>On this page</h2>
              <ol>
                {headings.map((heading) => (
                  <li key={heading.id} className={heading.level === 3 ? 'toc-sub' : undefined}>
                    <a href={`#${heading.id}`}>{heading.text}</a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          {related.length > 0 ? (
            <section aria-labelledby="related-title">
              <h2 id="related-title">Related articles</h2>
              <ul className="article-links">
                {related.map((item) => (
                  <li key={item.id}>
                    <Link to={articlePath(item.slug)}>{item.title}</Link>
                    <AudienceMarkers labels={markers[item.id]} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {threads.length > 0 ? (
            <section aria-labelledby="threads-title">
              <h2 id="threads-title">Answered in the community</h2>
              <ul className="article-links">
                {threads.map((thread) => (
                  <li key={thread.id}>
                    <Link to={questionPath(thread)}>{thread.title}</Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="card still-need-help" aria-labelledby="help-title">
            <h2 id="help-title">Still need help?</h2>
            <p className="muted">Ask the community: customers and our team answer there.</p>
            <Link className="button button-secondary button-block" to="/questions/ask">
              Ask a question
            </Link>
            <p className="muted">Or write to our support team; they will see this article.</p>
            <Link
              className="button button-secondary button-block"
              to={`/requests/new?${new URLSearchParams({ article: String(article.id) })}`}
            >
              Contact support
            </Link>
          </section>
        </aside>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => (
          <p>No article called “{params.slug}”. It may have been renamed or archived.</p>
        ),
      }}
    />
  );
}
