import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { getUser, getViewer } from '~/auth/session.server';
import { listCategoriesWithCounts } from '~/models/categories.server';
import type { RootData } from '~/root';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction<typeof loader, { root: RootData }> = ({ matches }) => {
  const siteName = matches.find((match) => match.id === 'root')?.data?.siteName ?? 'Help center';
  return [
    { title: siteName },
    {
      name: 'description',
      content: 'Answers from our team and our community, and a way to reach support.',
    },
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const [categories, user] = await Promise.all([
    getViewer(request).then((viewer) => listCategoriesWithCounts(getDb(), viewer)),
    getUser(request),
  ]);
  return { categories, signedIn: user !== null };
}

export default function HelpCenterHome() {
  const { categories, signedIn } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<RootData>('root');
  return (
    <>
      <section className="hero">
        <div className="hero-inner">
          <h1>How can we help?</h1>
          <p>
            Read our guides, learn from other customers in the community, or ask a question of your
            own.
          </p>
          <div className="hero-actions">
            <Link className="button" to="/kb">
              Browse the knowledge base
            </Link>
            <Link className="button button-secondary" to={signedIn ? '/questions/ask' : '/signup'}>
              {signedIn ? 'Ask the community' : 'Join the community'}
            </Link>
          </div>
        </div>
      </section>
      <section className="page" aria-labelledby="topics-title">
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
                    {category.question_count ?? 0}{' '}
                    {category.question_count === 1 ? 'question' : 'questions'}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="page contact-band" aria-labelledby="contact-title">
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
    </>
  );
}
