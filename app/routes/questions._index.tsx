import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { CursorPager, ThreadList, ThreadTabs } from '~/components/thread-list';
import { getViewer } from '~/auth/session.server';
import { categoriesFor } from '~/models/categories.server';
import { getTag, popularTags } from '~/models/tags.server';
import { listThreads, threadListParams } from '~/models/thread-lists.server';
import { getDb } from '~/utils/db.server';
import { feedLink, siteNameOf } from '~/utils/meta';
import { feedPaths } from '#lib/content-urls';

export const meta: MetaFunction = ({ matches }) => [
  { title: 'Community questions' },
  { name: 'description', content: 'Questions and answers from our customers and our team.' },
  feedLink(`${siteNameOf(matches)}: newest questions`, feedPaths.questions),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const url = new URL(request.url);
  const { tab, after, before } = threadListParams(url);
  const tagName = url.searchParams.get('tag')?.slice(0, 40) ?? '';
  const categorySlug = url.searchParams.get('category')?.slice(0, 60) ?? '';
  const viewer = await getViewer(request);
  const [categories, tags, tag] = await Promise.all([
    categoriesFor(db, viewer),
    popularTags(db, viewer, 20),
    tagName ? getTag(db, tagName) : undefined,
  ]);
  const category = categories.find((candidate) => candidate.slug === categorySlug);
  // An unknown tag or category filter matches nothing rather than being ignored.
  const unknownFilter = (tagName && !tag) || (categorySlug && !category);
  const page = unknownFilter
    ? { threads: [], next: null, previous: null }
    : await listThreads(db, viewer, {
        tab,
        tagId: tag?.id,
        categoryId: category?.id,
        after,
        before,
      });
  return { ...page, tab, categories, tags, tagName, categorySlug };
}

export default function QuestionsPage() {
  const { threads, next, previous, tab, categories, tags, tagName, categorySlug } =
    useLoaderData<typeof loader>();
  return (
    <div className="page with-sidebar">
      <div>
        <header className="page-title-row">
          <h1>Community questions</h1>
          <Link className="button" to="/questions/ask">
            Ask a question
          </Link>
        </header>
        <div className="list-controls">
          <ThreadTabs current={tab} />
          <Form method="get" className="filters">
            <input type="hidden" name="tab" value={tab} />
            <label htmlFor="category-filter" className="visually-hidden">
              Category
            </label>
            <select id="category-filter" name="category" defaultValue={categorySlug}>
              <option value="">All categories</option>
              {categories.map((category) => (
                <option key={category.id} value={category.slug}>
                  {category.name}
                </option>
              ))}
            </select>
            <label htmlFor="tag-filter" className="visually-hidden">
              Tag
            </label>
            <input
              id="tag-filter"
              name="tag"
              defaultValue={tagName}
              placeholder="Tag"
              list="tag-suggestions"
            />
            <datalist id="tag-suggestions">
              {tags.map((tag) => (
                <option key={tag.name} value={tag.name} />
              ))}
            </datalist>
            <button type="submit" className="button button-secondary button-small">
              Filter
            </button>
          </Form>
        </div>
        <ThreadList
          threads={threads}
          empty={
            tab === 'unanswered'
              ? 'Every question here has an answer. Nice.'
              : 'No questions match yet. Be the first to ask.'
          }
        />
        <CursorPager next={next} previous={previous} />
      </div>
      <aside className="sidebar" aria-label="Popular tags">
        <h2>Popular tags</h2>
        <ul className="tag-cloud">
          {tags.map((tag) => (
            <li key={tag.name}>
              <Link className="tag" to={`/tags/${encodeURIComponent(tag.name)}`}>
                {tag.name}
              </Link>{' '}
              <span className="muted">× {tag.count}</span>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
