import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { isbot } from 'isbot';
import { journeyStages } from '#db/schema';
import { getUser, getViewer } from '~/auth/session.server';
import { Highlighted } from '~/components/highlighted';
import { journeyStageLabels } from '~/models/journey-stages';
import { categoriesFor } from '~/models/categories.server';
import { isStaff } from '~/models/permissions';
import { recordSearch } from '~/models/search-events.server';
import { viewerKeys } from '~/models/visibility.server';
import { getDb } from '~/utils/db.server';
import { searchPageSize, searchParamsFrom } from '~/utils/search-params.server';
import { getVisitor, readerKey } from '~/utils/visitor.server';
import { searchContent } from '#search/engine';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query ? `Search: ${data.query}` : 'Search' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = getDb();
  const url = new URL(request.url);
  const { params, page, filters } = searchParamsFrom(url);
  const viewer = await getViewer(request);
  const categories = await categoriesFor(db, viewer);
  if (!params.q) {
    return data({ query: '', page, filters, results: null, categories, pageSize: searchPageSize });
  }
  const audience = viewerKeys(viewer) ?? 'all';
  const [results, user] = await Promise.all([
    searchContent(db, { ...params, audience }),
    getUser(request),
  ]);
  const visitor = getVisitor(request, context.clientAddress);
  await recordSearch(
    db,
    {
      userId: user?.id ?? null,
      visitorKey: readerKey(user?.id, visitor.id),
      staff: isStaff(user),
      bot: isbot(request.headers.get('user-agent') ?? ''),
    },
    { query: params.q, filters, results: results.total, engine: results.engine },
  );
  return data({ query: params.q, page, filters, results, categories, pageSize: searchPageSize });
}

const facetLabels: Record<string, string> = {
  type: 'Type',
  category_slug: 'Category',
  journey_stage: 'Journey stage',
  answered: 'Status',
  tags: 'Tags',
};
const paramOf: Record<string, string> = {
  type: 'type',
  category_slug: 'category',
  journey_stage: 'stage',
  answered: 'answered',
  tags: 'tag',
};

export default function SearchPage() {
  const { query, page, filters, results, categories, pageSize } = useLoaderData<typeof loader>();
  const categoryName = (slug: string) =>
    categories.find((category) => category.slug === slug)?.name ?? slug;
  const valueLabel = (facet: string, value: string) => {
    if (facet === 'type') return value === 'article' ? 'Articles' : 'Community threads';
    if (facet === 'category_slug') return categoryName(value);
    if (facet === 'journey_stage') {
      const stage = journeyStages.find((candidate) => candidate === value);
      return stage ? journeyStageLabels[stage] : value;
    }
    if (facet === 'answered') return value === 'true' ? 'Answered' : 'Not answered yet';
    return value;
  };
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams({ q: query, ...filters });
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    if (!('page' in changes)) next.delete('page');
    return `/search?${next}`;
  };
  const totalPages = results ? Math.min(100, Math.ceil(results.total / pageSize)) : 0;
  return (
    <div className="page search-page">
      <Form method="get" action="/search" className="search-form" role="search">
        <label htmlFor="search-query" className="visually-hidden">
          Search the help center
        </label>
        <input
          id="search-query"
          type="search"
          name="q"
          defaultValue={query}
          placeholder="Search articles and community answers"
        />
        {Object.entries(filters).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button">
          Search
        </button>
      </Form>
      {results?.engine === 'fts' ? (
        <p className="quiet-notice" role="status">
          Search is running in a simpler mode for a moment, so results may be less forgiving of
          typos.
        </p>
      ) : null}
      {!results ? (
        <p className="empty-state">
          Type a few words: “bank feed stopped syncing”, “refund a card payment”…
        </p>
      ) : (
        <div className="search-layout">
          <aside className="facets" aria-label="Filter results">
            {Object.keys(filters).length > 0 ? (
              <p>
                <Link to={`/search?${new URLSearchParams({ q: query })}`}>Clear filters</Link>
              </p>
            ) : null}
            {['type', 'category_slug', 'journey_stage', 'answered', 'tags'].map((facet) => {
              const counts = Object.entries(results.facets[facet] ?? {})
                .sort((a, b) => b[1] - a[1])
                .slice(0, facet === 'tags' ? 12 : 20);
              if (counts.length === 0) return null;
              const param = paramOf[facet] ?? facet;
              return (
                <section key={facet} aria-label={facetLabels[facet]}>
                  <h2>{facetLabels[facet]}</h2>
                  <ul>
                    {counts.map(([value, count]) => {
                      const active = filters[param] === value;
                      return (
                        <li key={value}>
                          <Link
                            to={link({ [param]: active ? null : value })}
                            className={active ? 'facet facet-active' : 'facet'}
                            aria-current={active ? 'true' : undefined}
                          >
                            <span>{valueLabel(facet, value)}</span>{' '}
                            <span className="facet-count">{count}</span>
                          </Link>
                        </li>
                      );
                    })}
                  </ul>
                </section>
              );
            })}
          </aside>
          <section aria-labelledby="results-heading">
            <h1 id="results-heading" className="results-heading">
              {results.total === 0
                ? `No results for “${query}”`
                : `${results.total.toLocaleString('en')} ${results.total === 1 ? 'result' : 'results'} for “${query}”`}
            </h1>
            {results.total === 0 ? (
              <div className="empty-state">
                <p>Nothing matches yet. Try other words, or ask people who know:</p>
                <p className="hero-actions">
                  <Link className="button" to="/questions/ask">
                    Ask the community
                  </Link>
                  <Link className="button button-secondary" to="/kb">
                    Browse the knowledge base
                  </Link>
                </p>
              </div>
            ) : (
              <ol className="search-results" start={(page - 1) * pageSize + 1}>
                {results.hits.map((hit, index) => (
                  <li key={hit.key} className="search-result">
                    <p className="result-kind">
                      {hit.type === 'article'
                        ? 'Article'
                        : hit.answered
                          ? 'Answered question'
                          : 'Question'}
                      {hit.category ? ` · ${hit.category}` : ''}
                    </p>
                    <h2>
                      <Link
                        to={`/search/go?${new URLSearchParams({ key: hit.key, pos: String((page - 1) * pageSize + index + 1), q: query })}`}
                      >
                        <Highlighted text={hit.title} />
                      </Link>
                    </h2>
                    {hit.snippet ? (
                      <p className="result-snippet">
                        <Highlighted text={hit.snippet} />
                      </p>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
            {totalPages > 1 ? (
              <nav className="pager" aria-label="Result pages">
                {page > 1 ? (
                  <Link to={link({ page: String(page - 1) })}>← Previous</Link>
                ) : (
                  <span />
                )}
                <span className="muted">
                  Page {page} of {totalPages}
                </span>
                {page < totalPages ? (
                  <Link to={link({ page: String(page + 1) })}>Next →</Link>
                ) : (
                  <span />
                )}
              </nav>
            ) : null}
          </section>
        </div>
      )}
    </div>
  );
}
