import { sql } from 'kysely';
import type { Database } from '#db/client';
import { dialectOf } from '#db/dialect';
import type { SearchEntity } from '#db/schema';
import type { SearchAudience } from './audience';
import type { SearchDocument } from './documents';
import { englishStopWords } from './settings';
import { articlePath, questionPath } from '#lib/content-urls';

const stopWords = new Set(englishStopWords);
import type { FacetCounts, SearchParams, SearchResults, SearchHit } from './types';
import { highlightEnd, highlightStart, unmarkStopWords } from './types';

const key = (type: SearchEntity, id: number) => `${type}-${id}`;

// NOTE: FTS5 cannot index the doc_key column, so rows are found by a rowid derived from the
// entity (threads even, articles odd); a lookup by doc_key would scan the whole table.
const rowidOf = (type: SearchEntity, id: number) => id * 2 + (type === 'article' ? 1 : 0);
const rowidOfKey = (docKey: string) =>
  rowidOf(docKey.startsWith('article-') ? 'article' : 'thread', Number(docKey.split('-')[1]));

/** Keeps the fallback index in step: the public document, or no row when there is none. */
export function writeFtsDocument(
  db: Database,
  type: SearchEntity,
  id: number,
  document: SearchDocument | null,
) {
  return writeFtsDocuments(db, type, [id], [document]);
}

/** Keys as the fallback rows hold them: ' public signed_in ', so ' key ' finds one exactly. */
const ftsKeys = (keys: string[]) => ` ${keys.join(' ')} `;

/**
 * Whether the viewer holds one of the row's own keys and one of its category's (null: staff,
 * no condition). A row without keys, from before they were stored, is shown to staff alone.
 */
function audienceCondition(db: Database, audience: SearchAudience) {
  if (audience === 'all') return null;
  if (audience.length === 0) return sql<boolean>`1 = 0`;
  const find = dialectOf(db) === 'postgres' ? sql.raw('strpos') : sql.raw('instr');
  const holds = (column: string) =>
    sql`(${sql.join(
      audience.map((held) => sql`${find}(${sql.ref(column)}, ${ftsKeys([held])}) > 0`),
      sql` or `,
    )})`;
  return sql<boolean>`(${holds('audience')} and ${holds('category_audience')})`;
}

// Rows per statement: 14 values each, well inside SQLite's 32,766 variables.
const ftsRowsPerStatement = 500;

/**
 * writeFtsDocument for many entities: `documents[i]` belongs to `ids[i]`. A statement per few
 * hundred rows instead of two per row (an import writes tens of thousands).
 */
export async function writeFtsDocuments(
  db: Database,
  type: SearchEntity,
  ids: number[],
  documents: (SearchDocument | null)[],
) {
  for (let start = 0; start < ids.length; start += ftsRowsPerStatement) {
    const chunk = ids.slice(start, start + ftsRowsPerStatement);
    await db
      .deleteFrom('search_fts')
      .where(
        'rowid',
        'in',
        chunk.map((id) => rowidOf(type, id)),
      )
      .execute();
    const rows = chunk.flatMap((id, index) => {
      const document = documents[start + index];
      if (!document) return [];
      return [
        {
          rowid: rowidOf(type, id),
          doc_key: key(type, id),
          type,
          title: document.title,
          tags: document.tags.join(' '),
          body: document.body,
          answers: document.answers,
          category_slug: document.category_slug ?? '',
          journey_stage: document.journey_stage ?? '',
          answered: document.answered ? '1' : '0',
          created_at: String(document.created_at),
          score: document.score,
          audience: ftsKeys(document.audience),
          category_audience: ftsKeys(document.category_audience),
        },
      ];
    });
    if (rows.length) await db.insertInto('search_fts').values(rows).execute();
  }
}

/** The words of a query that carry meaning (stop words left out, unless nothing else is left). */
export function meaningfulWords(text: string): string[] {
  const all = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  const meaningful = all.filter((word) => !stopWords.has(word));
  return meaningful.length > 0 ? meaningful : all;
}

/** The words a query searches for: its own (the last one a prefix) and extra terms. */
type QueryTerms = { words: string[]; extra: string[] };

function queryTerms(text: string, extraTerms: string[] = []): QueryTerms | null {
  // Words like "how" and "the" match nearly every document: they add little to bm25 and make
  // every query score the whole index, so they are left out.
  const words = meaningfulWords(text).slice(0, 32);
  if (words.length === 0) return null;
  const extra = [
    ...new Set(extraTerms.map((term) => term.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''))),
  ]
    .filter((term) => term && !words.includes(term))
    .slice(0, 16);
  return { words, extra };
}

/** Words of the query as an FTS5 expression: each word quoted, OR-ed, the last one as a prefix. */
export function ftsQuery(text: string, extraTerms: string[] = []): string | null {
  const terms = queryTerms(text, extraTerms);
  if (!terms) return null;
  return [
    ...terms.words.map((word, index) => `"${word}"${index === terms.words.length - 1 ? '*' : ''}`),
    ...terms.extra.map((term) => `"${term}"`),
  ].join(' OR ');
}

/**
 * The same query on PostgreSQL: the words OR-ed in a tsquery (stemmed as the index is), the
 * last one a prefix. The words hold letters and digits only, so none is tsquery syntax.
 */
function tsQuery(terms: QueryTerms) {
  const text = [
    ...terms.words.map((word, index) => (index === terms.words.length - 1 ? `${word}:*` : word)),
    ...terms.extra,
  ].join(' | ');
  return sql`to_tsquery('english', ${text})`;
}

/** How a query is asked of the fallback index, on the database in use. */
function matcher(db: Database, text: string, extraTerms: string[] = []) {
  const terms = queryTerms(text, extraTerms);
  if (!terms) return null;
  if (dialectOf(db) === 'postgres') {
    const query = tsQuery(terms);
    return {
      condition: sql`document @@ ${query}`,
      // ts_rank over the weighted vector (title A, tags B, text C), divided by 1 + the log of the
      // document's length; highest first, where bm25 is lowest first. Measured on the StackFAQ
      // set it beat ts_rank_cd and the other normalisations (README, PostgreSQL).
      relevance: sql<number>`ts_rank(document, ${query}, 1)`,
      highlights: sql`ts_headline('english', title, ${query}, ${headlineOptions(false)}) as title,
        ts_headline('english', body || ' ' || answers, ${query}, ${headlineOptions(true)}) as snippet`,
    };
  }
  const match = ftsQuery(text, extraTerms) ?? '';
  return {
    condition: sql`search_fts match ${match}`,
    // bm25 is lower for better matches; negated, it is higher for better as ts_rank is.
    relevance: sql<number>`-${rankExpression}`,
    highlights: sql`highlight(search_fts, 2, ${highlightStart}, ${highlightEnd}) as title,
      snippet(search_fts, -1, ${highlightStart}, ${highlightEnd}, '…', 24) as snippet`,
  };
}

function headlineOptions(snippet: boolean) {
  const marks = `StartSel=${highlightStart}, StopSel=${highlightEnd}`;
  return snippet
    ? `${marks}, MaxWords=24, MinWords=12, MaxFragments=1, FragmentDelimiter=…`
    : `${marks}, HighlightAll=true`;
}

function whereOf(db: Database, match: { condition: ReturnType<typeof sql> }, params: SearchParams) {
  const filters = [match.condition];
  const visible = audienceCondition(db, params.audience);
  if (visible) filters.push(visible);
  if (params.type) filters.push(sql`type = ${params.type}`);
  if (params.category) filters.push(sql`category_slug = ${params.category}`);
  if (params.journeyStage) filters.push(sql`journey_stage = ${params.journeyStage}`);
  if (params.answered !== undefined) filters.push(sql`answered = ${params.answered ? '1' : '0'}`);
  if (params.tag) filters.push(sql`(' ' || tags || ' ') like ${`% ${params.tag} %`}`);
  return sql.join(filters, sql` and `);
}

// bm25 column weights: title 5, tags 3, question text and answers 1 (doc_key and type are not text).
const rankExpression = sql<number>`bm25(search_fts, 0, 0, 5.0, 3.0, 1.0, 1.0)`;

/** A document as the lexical ranking scored it: higher relevance is better. */
export type RankedDocument = { key: string; title: string; relevance: number };

/** Documents in bm25 order: every query word OR-ed, so question-shaped input ranks by topic. */
export async function ftsRanking(db: Database, params: SearchParams): Promise<RankedDocument[]> {
  const match = matcher(db, params.q, params.extraTerms);
  if (!match) return [];
  const rows = await sql<{ doc_key: string; title: string; relevance: number }>`
    select doc_key, title, ${match.relevance} as relevance from search_fts
    where ${whereOf(db, match, params)}
    order by relevance desc limit ${params.limit} offset ${params.offset}
  `.execute(db);
  return rows.rows.map((row) => ({
    key: row.doc_key,
    title: row.title,
    relevance: Number(row.relevance),
  }));
}

/** Highlighted titles and snippets for these documents, ready to show. */
export async function ftsHits(
  db: Database,
  params: SearchParams,
  keys: string[],
): Promise<SearchHit[]> {
  const match = matcher(db, params.q, params.extraTerms);
  if (!match || keys.length === 0) return [];
  const visible = audienceCondition(db, params.audience) ?? sql`1 = 1`;
  const rows = await sql<{ doc_key: string; type: SearchEntity; title: string; snippet: string }>`
    select doc_key, type, ${match.highlights}
    from search_fts where ${match.condition} and ${visible}
    and rowid in (${sql.join(keys.map(rowidOfKey))})
  `.execute(db);
  const described = await describe(db, keys);
  const byKey = new Map(rows.rows.map((row) => [row.doc_key, row]));
  return keys.flatMap((key) => {
    const row = byKey.get(key);
    const details = described.get(key);
    if (!row || !details) return [];
    return [
      {
        key,
        type: row.type,
        title: unmarkStopWords(row.title),
        snippet: unmarkStopWords(row.snippet),
        ...details,
      },
    ];
  });
}

/** Titles and opening words of these documents, unhighlighted (found by meaning, not words). */
export async function plainHits(
  db: Database,
  audience: SearchAudience,
  keys: string[],
): Promise<SearchHit[]> {
  if (keys.length === 0) return [];
  const visible = audienceCondition(db, audience);
  const rows = await db
    .selectFrom('search_fts')
    .select(['doc_key', 'type', 'title', 'body'])
    .where('rowid', 'in', keys.map(rowidOfKey))
    .$if(visible !== null, (query) => query.where(visible ?? sql<boolean>`1 = 1`))
    .execute();
  const described = await describe(db, keys);
  const byKey = new Map(rows.map((row) => [row.doc_key, row]));
  return keys.flatMap((key) => {
    const row = byKey.get(key);
    const details = described.get(key);
    if (!row || !details) return [];
    const words = row.body.split(/\s+/);
    const snippet = words.slice(0, 24).join(' ') + (words.length > 24 ? '…' : '');
    return [{ key, type: row.type, title: row.title, snippet, ...details }];
  });
}

/** Search answered from SQLite FTS5 alone (when Meilisearch cannot be reached), with facet counts. */
export async function ftsSearch(db: Database, params: SearchParams): Promise<SearchResults> {
  const match = matcher(db, params.q, params.extraTerms);
  if (!match) return { hits: [], total: 0, facets: {}, engine: 'fts' };
  const where = whereOf(db, match, params);
  const [keys, facetRows] = await Promise.all([
    ftsRanking(db, params),
    sql<{
      type: string;
      category_slug: string;
      journey_stage: string;
      answered: string;
      n: number;
    }>`
      select type, category_slug, journey_stage, answered, count(*) as n from search_fts where ${where}
      group by type, category_slug, journey_stage, answered
    `.execute(db),
  ]);
  const facets: FacetCounts = { type: {}, category_slug: {}, journey_stage: {}, answered: {} };
  for (const row of facetRows.rows) {
    const add = (facet: string, value: string) => {
      if (!value) return;
      const counts = (facets[facet] ??= {});
      counts[value] = (counts[value] ?? 0) + Number(row.n);
    };
    add('type', row.type);
    add('category_slug', row.category_slug);
    add('journey_stage', row.journey_stage);
    add('answered', row.answered === '1' ? 'true' : 'false');
  }
  const total = facetRows.rows.reduce((sum, row) => sum + Number(row.n), 0);
  const hits = await ftsHits(
    db,
    params,
    keys.map((document) => document.key),
  );
  return { hits, total, facets, engine: 'fts' };
}

/** Links and labels for FTS hits, read from the tables they came from. */
async function describe(db: Database, keys: string[]) {
  const ids = (type: SearchEntity) =>
    keys.filter((key) => key.startsWith(`${type}-`)).map((key) => Number(key.split('-')[1]));
  const threadIds = ids('thread');
  const articleIds = ids('article');
  const [threads, articles] = await Promise.all([
    threadIds.length
      ? db
          .selectFrom('threads')
          .leftJoin('categories', 'categories.id', 'threads.category_id')
          .select([
            'threads.id',
            'threads.slug',
            'threads.accepted_post_id',
            'categories.name as category',
          ])
          .where('threads.id', 'in', threadIds)
          .execute()
      : [],
    articleIds.length
      ? db
          .selectFrom('articles')
          .leftJoin('categories', 'categories.id', 'articles.category_id')
          .select(['articles.id', 'articles.slug', 'categories.name as category'])
          .where('articles.id', 'in', articleIds)
          .execute()
      : [],
  ]);
  const described = new Map<
    string,
    { id: number; url: string; category: string | null; answered: boolean }
  >();
  for (const thread of threads) {
    described.set(`thread-${thread.id}`, {
      id: thread.id,
      url: questionPath(thread),
      category: thread.category,
      answered: thread.accepted_post_id !== null,
    });
  }
  for (const article of articles) {
    described.set(`article-${article.id}`, {
      id: article.id,
      url: articlePath(article.slug),
      category: article.category,
      answered: true,
    });
  }
  return described;
}
