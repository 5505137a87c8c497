import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getViewer } from '~/auth/session.server';
import { AudienceMarkers } from '~/components/audience-markers';
import { audienceMarkers, knowledgeBaseHome } from '~/models/knowledge-base.server';
import { canWriteArticles } from '~/models/permissions';
import { getDb } from '~/utils/db.server';
import { feedLink, siteNameOf } from '~/utils/meta';
import { articlePath, feedPaths } from '#lib/content-urls';

export const meta: MetaFunction = ({ matches }) => [
  { title: 'Knowledge base' },
  { name: 'description', content: 'Guides and answers written by our team.' },
  feedLink(`${siteNameOf(matches)}: knowledge base`, feedPaths.articles),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const viewer = await getViewer(request);
  const home = await knowledgeBaseHome(db, viewer);
  const shown = [
    ...home.categories.flatMap((category) => category.articles),
    ...home.uncategorized,
    ...home.mostViewed,
    ...home.recentlyUpdated,
  ];
  const unique = [...new Map(shown.map((article) => [article.id, article])).values()];
  return {
    ...home,
    markers: await audienceMarkers(db, viewer, unique),
    canWrite: canWriteArticles(viewer),
  };
}

type ArticleLink = { id: number; slug: string; title: string };

function ArticleLinks({
  articles,
  markers,
}: {
  articles: ArticleLink[];
  markers: Record<number, string[]>;
}) {
  return (
    <ul className="article-links">
      {articles.map((article) => (
        <li key={article.id}>
          <Link to={articlePath(article.slug)}>{article.title}</Link>
          <AudienceMarkers labels={markers[article.id]} />
        </li>
      ))}
    </ul>
  );
}

export default function KnowledgeBase() {
  const { categories, uncategorized, mostViewed, recentlyUpdated, markers, canWrite } =
    useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero hero-compact">
        <div className="hero-inner">
          <h1>Knowledge base</h1>
          <p>Step-by-step guides from our team, many of them grown from community answers.</p>
          <Form method="get" className="hero-search" role="search">
            <label htmlFor="kb-search" className="visually-hidden">
              Search articles by title
            </label>
            <input
              id="kb-search"
              type="search"
              name="q"
              placeholder="Search articles, e.g. “bank feed”"
            />
            <button type="submit" className="button">
              Search
            </button>
          </Form>
        </div>
      </section>
      <div className="page">
        {canWrite ? (
          <p className="team-bar">
            <Link to="/agent/articles">Manage articles</Link> ·{' '}
            <Link to="/agent/articles/new">Write a new article</Link>
          </p>
        ) : null}
        <div className="kb-layout">
          <div className="kb-categories">
            {categories.map((category) => (
              <section
                key={category.id}
                className="card kb-category"
                aria-labelledby={`category-${category.id}`}
              >
                <h2 id={`category-${category.id}`}>{category.name}</h2>
                {category.description ? <p className="muted">{category.description}</p> : null}
                <ArticleLinks articles={category.articles} markers={markers} />
              </section>
            ))}
            {uncategorized.length > 0 ? (
              <section className="card kb-category" aria-labelledby="category-none">
                <h2 id="category-none">More articles</h2>
                <ArticleLinks articles={uncategorized} markers={markers} />
              </section>
            ) : null}
            {categories.length === 0 && uncategorized.length === 0 ? (
              <p className="empty-state">No articles have been published yet.</p>
            ) : null}
          </div>
          <aside className="kb-side">
            <section aria-labelledby="most-viewed">
              <h2 id="most-viewed">Most viewed</h2>
              <ArticleLinks articles={mostViewed} markers={markers} />
            </section>
            <section aria-labelledby="recently-updated">
              <h2 id="recently-updated">Recently updated</h2>
              <ArticleLinks articles={recentlyUpdated} markers={markers} />
            </section>
          </aside>
        </div>
      </div>
    </>
  );
}
