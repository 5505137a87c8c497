import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { getUser, getViewer } from '~/auth/session.server';
import { SearchCombobox } from '~/components/search-box';
import { helpCenterHome } from '~/models/home.server';
import type { RootData } from '~/root';
import { timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { feedLink, siteNameOf } from '~/utils/meta';
import { plural } from '~/utils/words';
import { articlePath, feedPaths, questionPath } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const siteName = siteNameOf(matches);
  return [
    { title: siteName },
    {
      name: 'description',
      content: 'Answers from our team and our community, and a way to reach support.',
    },
    feedLink(`${siteName}: newest questions`, feedPaths.questions),
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const [home, user] = await Promise.all([
    getViewer(request).then((viewer) => helpCenterHome(getDb(), viewer)),
    getUser(request),
  ]);
  return { ...home, signedIn: user !== null };
}

export default function HelpCenterHome() {
  const { categories, popularArticles, recentlyAnswered, signedIn } =
    useLoaderData<typeof loader>();
  const root = useRouteLoaderData<RootData>('root');
  return (
    <>
      <section className="hero home-hero">
        <div className="hero-inner">
          <h1>How can we help?</h1>
          <p>Search our guides and the answers of our community.</p>
          <SearchCombobox variant="hero" />
          <p className="hero-links">
            Or <Link to="/kb">browse the knowledge base</Link> ·{' '}
            <Link to={signedIn ? '/questions/ask' : '/signup'}>
              {signedIn ? 'ask the community' : 'join the community'}
            </Link>
          </p>
        </div>
      </section>
      <div className="page home-page">
        <div className="home-columns">
          <section className="card home-list" aria-labelledby="popular-title">
            <h2 id="popular-title">Popular articles</h2>
            {popularArticles.length === 0 ? (
              <p className="muted">No articles have been published yet.</p>
            ) : (
              <ol className="home-articles">
                {popularArticles.map((article) => (
                  <li key={article.id}>
                    <Link to={articlePath(article.slug)}>{article.title}</Link>
                    {article.category_name ? (
                      <span className="home-list-meta">{article.category_name}</span>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
            <Link className="home-list-more" to="/kb">
              All articles <span aria-hidden="true">→</span>
            </Link>
          </section>
          <section className="card home-list" aria-labelledby="answered-title">
            <h2 id="answered-title">Recently answered</h2>
            {recentlyAnswered.length === 0 ? (
              <p className="muted">No questions have been answered yet.</p>
            ) : (
              <ol className="home-questions">
                {recentlyAnswered.map((thread) => (
                  <li key={thread.id}>
                    <Link to={questionPath(thread)}>{thread.title}</Link>
                    <span className="home-list-meta">
                      {thread.accepted ? <span className="home-accepted">✓ Solved · </span> : null}
                      {plural(thread.answer_count, 'answer')} · answered{' '}
                      <time dateTime={thread.answered_at} suppressHydrationWarning>
                        {timeAgo(thread.answered_at)}
                      </time>
                    </span>
                  </li>
                ))}
              </ol>
            )}
            <Link className="home-list-more" to="/questions">
              All questions <span aria-hidden="true">→</span>
            </Link>
          </section>
        </div>
        <section className="home-topics" aria-labelledby="topics-title">
          <h2 id="topics-title">Browse by topic</h2>
          {categories.length === 0 ? (
            <div className="empty-state">
              <p>No topics have been set up yet.</p>
              {root?.user?.role === 'admin' ? (
                <Link to="/admin/categories">Create the first category</Link>
              ) : null}
            </div>
          ) : (
            <ul className="card-grid">
              {categories.map((category) => (
                <li key={category.id} className="card topic-card">
                  <Link to={`/categories/${category.slug}`}>
                    <h3>{category.name}</h3>
                    {category.description ? <p className="muted">{category.description}</p> : null}
                    <span className="topic-count">
                      {plural(category.question_count ?? 0, 'question')}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="contact-band" aria-labelledby="contact-title">
          <div className="card contact-card">
            <div>
              <h2 id="contact-title">Still need help?</h2>
              <p className="muted">
                Our support team answers every request, usually within one business day.
              </p>
            </div>
            <div className="contact-actions">
              <Link className="button" to="/requests/new">
                Contact support
              </Link>
              {signedIn ? <Link to="/requests">Your requests</Link> : null}
            </div>
          </div>
        </section>
      </div>
    </>
  );
}
