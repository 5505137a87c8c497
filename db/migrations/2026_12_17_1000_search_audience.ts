import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

/**
 * The fallback index carries who may see each document, as Meilisearch's documents do: the keys
 * of the page itself and of its category, space-separated with a space at each end (' public ').
 * Rows copied from before carry none ('') and are hidden from everyone but staff until search
 * starts and fills them in (search/engine.ts).
 */

const columns = `doc_key, type, title, tags, body, answers, category_slug, journey_stage, answered,
  created_at, score`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`alter table search_fts add column audience text not null default ''`.execute(db);
    await sql`alter table search_fts add column category_audience text not null default ''`.execute(
      db,
    );
    return;
  }
  // NOTE: an FTS5 table cannot take new columns: it is made again and the rows copied over.
  await sql`alter table search_fts rename to search_fts_before_audience`.execute(db);
  await sql`
    create virtual table search_fts using fts5(
      doc_key unindexed,
      type unindexed,
      title,
      tags,
      body,
      answers,
      category_slug unindexed,
      journey_stage unindexed,
      answered unindexed,
      created_at unindexed,
      score unindexed,
      audience unindexed,
      category_audience unindexed,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )
  `.execute(db);
  await sql`
    insert into search_fts (rowid, ${sql.raw(columns)}, audience, category_audience)
    select rowid, ${sql.raw(columns)}, '', '' from search_fts_before_audience
  `.execute(db);
  await sql`drop table search_fts_before_audience`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`alter table search_fts drop column category_audience`.execute(db);
    await sql`alter table search_fts drop column audience`.execute(db);
    return;
  }
  await sql`alter table search_fts rename to search_fts_with_audience`.execute(db);
  await sql`
    create virtual table search_fts using fts5(
      doc_key unindexed,
      type unindexed,
      title,
      tags,
      body,
      answers,
      category_slug unindexed,
      journey_stage unindexed,
      answered unindexed,
      created_at unindexed,
      score unindexed,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )
  `.execute(db);
  await sql`
    insert into search_fts (rowid, ${sql.raw(columns)})
    select rowid, ${sql.raw(columns)} from search_fts_with_audience
  `.execute(db);
  await sql`drop table search_fts_with_audience`.execute(db);
}
