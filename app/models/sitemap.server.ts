import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '#db/client';
import type { DB } from '#db/schema';
import { articlePath, questionPath } from '#lib/content-urls';
import { xmlDate, xmlText } from '~/utils/xml';
import { anonymous, articleVisibleSql, ownRuleSql } from './visibility.server';

/** The sitemaps.org limit of URLs in one sitemap file. */
export const urlsPerSitemap = 50_000;

export type SitemapUrl = { path: string; lastmod: string | null };
export type SitemapPart = { file: string; lastmod: string | null };

/**
 * What search engines may list: exactly what an anonymous visitor may open. The sitemap is the
 * same for everyone who asks, so it never depends on a session.
 */
function publicThreads(db: Database) {
  return db
    .selectFrom('threads')
    .where('threads.deleted_at', 'is', null)
    .where(outsideHiddenCategories);
}

/**
 * threadVisibleSql for an anonymous visitor, said the other way round: not in a category they may
 * not see. NOTE: SQLite plans "in the visible categories" as one index lookup per category,
 * which loses the id and activity orders these queries walk (450 ms instead of a few at 100,000
 * questions). The sitemap test compares the result with the database.
 */
const outsideHiddenCategories = sql<boolean>`coalesce(threads.category_id, 0) not in (
  select hidden.id from categories hidden where not ${ownRuleSql(anonymous, 'category', 'hidden')})`;

function publicArticles(db: Database) {
  return db
    .selectFrom('articles')
    .where('articles.status', '=', 'published')
    .where('articles.hidden_at', 'is', null)
    .where(articleVisibleSql(anonymous));
}

function publicCategories(db: Database) {
  return db.selectFrom('categories').where(ownRuleSql(anonymous, 'category', 'categories'));
}

/** Tags on at least one public question (a tag only private questions carry is not listed). */
function publicTags(db: Database) {
  return db
    .selectFrom('tags')
    .where((eb) =>
      eb.exists(
        publicThreads(db)
          .innerJoin('thread_tags', 'thread_tags.thread_id', 'threads.id')
          .select('threads.id')
          .where('thread_tags.tag_id', '=', sql.ref<number>('tags.id')),
      ),
    );
}

function publicProblems(db: Database) {
  return db.selectFrom('problems').where('problems.public', '=', 1);
}

/**
 * The newest activity among public questions matching a condition: a walk down the activity
 * index that stops at the first match (grouping all of them would read every question).
 */
async function newestActivity(
  db: Database,
  condition: (query: ReturnType<typeof publicThreads>) => ReturnType<typeof publicThreads>,
): Promise<string | null> {
  const newest = await condition(publicThreads(db))
    .select('threads.last_activity_at')
    .orderBy('threads.last_activity_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return newest?.last_activity_at ?? null;
}

/**
 * A part holds the rows whose ids fall in one block of `urlsPerSitemap` ids, so it never holds
 * more than the limit, a row stays in the part it first appeared in, and finding a part's rows
 * is a range of the primary key.
 */
function partOf(column: string) {
  return sql<number>`(${sql.ref(column)} - 1) / ${sql.lit(urlsPerSitemap)}`;
}

type Ids = { first: number; last: number };

function idsOfPart(part: number): Ids {
  return { first: part * urlsPerSitemap + 1, last: (part + 1) * urlsPerSitemap };
}

function inIds(column: string | RawBuilder<unknown>, ids: Ids) {
  const value = typeof column === 'string' ? sql.ref(column) : column;
  return sql<boolean>`${value} between ${ids.first} and ${ids.last}`;
}

function inPart(column: string | RawBuilder<unknown>, part: number) {
  return inIds(column, idsOfPart(part));
}

type Part = { part: number; lastmod: string | null };

/** Each non-empty part of a query's rows, with the newest `changed` among them. */
function newestByPart<Tables extends keyof DB>(
  query: SelectQueryBuilder<DB, Tables, object>,
  id: string,
  changed: string,
): Promise<Part[]> {
  return query
    .select([partOf(id).as('part'), sql<string | null>`max(${sql.ref(changed)})`.as('lastmod')])
    .groupBy('part')
    .orderBy('part')
    .execute();
}

/**
 * Each non-empty part of a query's rows, dated by `newestIn` (categories and tags carry no date
 * of their own: theirs is their newest question's).
 */
async function partsDatedBy<Tables extends keyof DB>(
  query: SelectQueryBuilder<DB, Tables, object>,
  id: string,
  newestIn: (part: number) => Promise<string | null>,
): Promise<Part[]> {
  const parts = await query.select(partOf(id).as('part')).groupBy('part').orderBy('part').execute();
  return Promise.all(parts.map(async ({ part }) => ({ part, lastmod: await newestIn(part) })));
}

type Section = {
  /** Each non-empty part with the newest change in it. */
  parts: (db: Database) => Promise<Part[]>;
  /** The URLs of the rows whose ids are in this range. */
  urls: (db: Database, ids: Ids) => Promise<SitemapUrl[]>;
  /** How many ids one query reads (a whole part unless said here). */
  batch?: number;
};

export const sections = {
  threads: {
    parts: (db) => newestByPart(publicThreads(db), 'threads.id', 'threads.last_activity_at'),
    urls: async (db, ids) => {
      const rows = await publicThreads(db)
        .select(['threads.id', 'threads.slug', 'threads.last_activity_at'])
        .where(inIds('threads.id', ids))
        .orderBy('threads.id')
        .execute();
      return rows.map((row) => ({ path: questionPath(row), lastmod: row.last_activity_at }));
    },
    // A part of questions is read in ten queries, so compressing one batch overlaps the next.
    batch: 5_000,
  },
  articles: {
    parts: (db) => newestByPart(publicArticles(db), 'articles.id', 'articles.updated_at'),
    urls: async (db, ids) => {
      const rows = await publicArticles(db)
        .select(['articles.slug', 'articles.updated_at'])
        .where(inIds('articles.id', ids))
        .orderBy('articles.id')
        .execute();
      return rows.map((row) => ({
        path: articlePath(encodeURIComponent(row.slug)),
        lastmod: row.updated_at,
      }));
    },
  },
  categories: {
    parts: (db) =>
      partsDatedBy(publicCategories(db), 'categories.id', (part) =>
        // NOTE: `+ 0` keeps SQLite off the category index, which would sort every question of
        // the part's categories to find the newest, instead of walking the activity index.
        newestActivity(db, (query) => query.where(inPart(sql`threads.category_id + 0`, part))),
      ),
    urls: async (db, ids) => {
      // One pass over the questions gives every category's newest activity.
      const activity = publicThreads(db)
        .select([
          'threads.category_id',
          (eb) => eb.fn.max('threads.last_activity_at').as('lastmod'),
        ])
        .groupBy('threads.category_id')
        .as('activity');
      const rows = await publicCategories(db)
        .leftJoin(activity, 'activity.category_id', 'categories.id')
        .select(['categories.slug', 'activity.lastmod'])
        .where(inIds('categories.id', ids))
        .orderBy('categories.id')
        .execute();
      return rows.map((row) => ({
        path: `/categories/${encodeURIComponent(row.slug)}`,
        lastmod: row.lastmod,
      }));
    },
  },
  tags: {
    parts: (db) =>
      partsDatedBy(publicTags(db), 'tags.id', (part) =>
        newestActivity(db, (query) =>
          query.where((eb) =>
            eb.exists(
              eb
                .selectFrom('thread_tags')
                .select('thread_tags.tag_id')
                .whereRef('thread_tags.thread_id', '=', 'threads.id')
                .where(inPart('thread_tags.tag_id', part)),
            ),
          ),
        ),
      ),
    // NOTE: no lastmod per tag: the newest question of every tag means reading every tagged
    // question (300,000 rows at 100,000 questions), several times the 200 ms a file may take.
    // Crawlers treat lastmod as optional and read tag pages by how often they change.
    urls: async (db, ids) => {
      const rows = await publicTags(db)
        .select('tags.name')
        .where(inIds('tags.id', ids))
        .orderBy('tags.id')
        .execute();
      return rows.map((row) => ({ path: `/tags/${encodeURIComponent(row.name)}`, lastmod: null }));
    },
  },
  'known-issues': {
    parts: (db) => newestByPart(publicProblems(db), 'problems.id', 'problems.updated_at'),
    urls: async (db, ids) => {
      const rows = await publicProblems(db)
        .select(['problems.id', 'problems.updated_at'])
        .where(inIds('problems.id', ids))
        .orderBy('problems.id')
        .execute();
      return rows.map((row) => ({ path: `/known-issues/${row.id}`, lastmod: row.updated_at }));
    },
  },
} satisfies Record<string, Section>;

export type SectionName = keyof typeof sections;
export const sectionNames: SectionName[] = [
  'threads',
  'articles',
  'categories',
  'tags',
  'known-issues',
];

function newest(dates: (string | null)[]): string | null {
  return dates.reduce<string | null>(
    (latest, date) => (date !== null && (latest === null || date > latest) ? date : latest),
    null,
  );
}

type PartsBySection = Partial<Record<SectionName, Part[]>>;

async function partsOf(db: Database, names: SectionName[]): Promise<PartsBySection> {
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await sections[name].parts(db)] as const)),
  );
}

/** The home page and the lists, each changed when the newest content in it changed. */
function listPages(parts: PartsBySection): SitemapUrl[] {
  const newestOf = (section: SectionName) =>
    newest((parts[section] ?? []).map((part) => part.lastmod));
  const [threads, articles, problems] = [
    newestOf('threads'),
    newestOf('articles'),
    newestOf('known-issues'),
  ];
  return [
    { path: '/', lastmod: newest([threads, articles]) },
    { path: '/kb', lastmod: articles },
    { path: '/questions', lastmod: threads },
    { path: '/known-issues', lastmod: problems },
  ];
}

/** Every sitemap file the index names: the list pages, then each section's non-empty parts. */
export async function sitemapFiles(db: Database): Promise<SitemapPart[]> {
  const parts = await partsOf(db, sectionNames);
  return [
    { file: 'pages.xml', lastmod: newest(listPages(parts).map((page) => page.lastmod)) },
    ...sectionNames.flatMap((name) =>
      (parts[name] ?? []).map((found) => ({
        file: `${name}-${found.part + 1}.xml`,
        lastmod: found.lastmod,
      })),
    ),
  ];
}

/**
 * The URLs of one sitemap file, a batch of rows at a time, or null when there is no such file
 * (a file whose batches are all empty does not exist either).
 */
export function sitemapUrlBatches(db: Database, file: string): AsyncGenerator<SitemapUrl[]> | null {
  if (file === 'pages.xml')
    return (async function* () {
      yield listPages(await partsOf(db, ['threads', 'articles', 'known-issues']));
    })();
  const match = /^([a-z-]+)-(\d{1,7})\.xml$/.exec(file);
  const section = sectionNames.find((name) => name === match?.[1]);
  const part = Number(match?.[2]) - 1;
  if (!section || !(part >= 0)) return null;
  const { urls, batch = urlsPerSitemap } = sections[section] as Section;
  const ids = idsOfPart(part);
  return (async function* () {
    for (let first = ids.first; first <= ids.last; first += batch)
      yield urls(db, { first, last: Math.min(first + batch - 1, ids.last) });
  })();
}

function lastmodXml(lastmod: string | null): string {
  return lastmod ? `<lastmod>${xmlDate(lastmod)}</lastmod>` : '';
}

const sitemapNamespace = 'http://www.sitemaps.org/schemas/sitemap/0.9';

export function sitemapIndexXml(origin: string, files: SitemapPart[]): string {
  const entries = files.map(
    (file) =>
      `<sitemap><loc>${xmlText(`${origin}/sitemaps/${file.file}`)}</loc>${lastmodXml(file.lastmod)}</sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${sitemapNamespace}">\n${entries.join('\n')}\n</sitemapindex>\n`;
}

/** A urlset in three pieces: its start, the entries of each batch of URLs, its end. */
export const urlsetXml = {
  start: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${sitemapNamespace}">\n`,
  entries(origin: string, urls: SitemapUrl[]): string {
    const site = xmlText(origin);
    let entries = '';
    for (const url of urls)
      entries += `<url><loc>${site}${xmlText(url.path)}</loc>${lastmodXml(url.lastmod)}</url>\n`;
    return entries;
  },
  end: '</urlset>\n',
};
