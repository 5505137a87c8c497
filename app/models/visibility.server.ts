import { sql, type RawBuilder } from 'kysely';
import type { Database } from '#db/client';
import type { Role, Visibility } from '#db/schema';
import { contentKeys, type AudienceRow } from '#search/audience';
import { touchSearchMany } from '#search/outbox';

// The keys live beside the search documents that carry them; the rule is read from here.
export { contentKeys, type AudienceRow };

/**
 * Who sees what: the one rule every surface asks (pages, lists, counts, search, suggestions,
 * mail, the API). Categories and articles carry a visibility; a thread takes its category's; an
 * article must pass both its own and its category's. Staff (agents, moderators, admins) see
 * everything. Content someone may not see answers 404: its existence is private too.
 *
 * The rule has three forms that must agree (test/integration/visibility-matrix.test.ts checks
 * them against each other): `canSee` on audience keys in memory, the SQL conditions below, and
 * the Meilisearch filter built from the same keys (search/engine.ts).
 */

/** The person asking, with what the rule needs: null for an anonymous visitor. */
export type Viewer = {
  id: number;
  role: Role;
  groupIds: number[];
  organizationId: number | null;
} | null;

export const anonymous: Viewer = null;

export function seesEverything(viewer: Viewer): boolean {
  return viewer !== null && viewer.role !== 'member';
}

/** The keys a viewer holds: null for staff, who see everything. */
export function viewerKeys(viewer: Viewer): string[] | null {
  if (seesEverything(viewer)) return null;
  if (!viewer) return ['public'];
  return [
    'public',
    'signed_in',
    ...viewer.groupIds.map((id) => `group:${id}`),
    ...(viewer.organizationId === null ? [] : [`org:${viewer.organizationId}`]),
  ];
}

/** Whether a viewer may see content behind every one of these locks (its own, its category's). */
export function canSee(viewer: Viewer, ...locks: string[][]): boolean {
  const keys = viewerKeys(viewer);
  if (keys === null) return true;
  return locks.every((lock) => lock.some((key) => keys.includes(key)));
}

const never = sql<boolean>`1 = 0`;
const always = sql<boolean>`1 = 1`;

function idList(ids: number[]) {
  return sql.join(ids.map((id) => sql.lit(Math.trunc(id))));
}

/**
 * The rule on one row of `categories` or `articles` (its own visibility only), as SQL: `alias`
 * names the table in the query.
 */
export function ownRuleSql(
  viewer: Viewer,
  subjectType: 'category' | 'article',
  alias: string,
): RawBuilder<boolean> {
  if (seesEverything(viewer)) return always;
  const visibility = sql.ref(`${alias}.visibility`);
  if (!viewer) return sql<boolean>`${visibility} = 'public'`;
  const opens = [
    ...(viewer.groupIds.length ? [sql`a.group_id in (${idList(viewer.groupIds)})`] : []),
    ...(viewer.organizationId !== null
      ? [sql`a.organization_id = ${sql.lit(Math.trunc(viewer.organizationId))}`]
      : []),
  ];
  const inAudience = opens.length
    ? sql`(${visibility} = 'audience' and exists (select 1 from audiences a
        where a.subject_type = ${sql.lit(subjectType)} and a.subject_id = ${sql.ref(`${alias}.id`)}
        and (${sql.join(opens, sql` or `)})))`
    : never;
  return sql<boolean>`(${visibility} in ('public', 'signed_in') or ${inAudience})`;
}

/** Whether the category in `column` (a category id, or null for none) is visible. */
export function categoryVisibleSql(viewer: Viewer, column: string): RawBuilder<boolean> {
  if (seesEverything(viewer)) return always;
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} is null or ${ref} in (select vc.id from categories vc
    where ${ownRuleSql(viewer, 'category', 'vc')}))`;
}

/** Whether the thread in `alias` (a `threads` row) is visible: its category decides. */
export function threadVisibleSql(viewer: Viewer, alias = 'threads'): RawBuilder<boolean> {
  return categoryVisibleSql(viewer, `${alias}.category_id`);
}

/** Whether the article in `alias` (an `articles` row) is visible: its own rule and its category's. */
export function articleVisibleSql(viewer: Viewer, alias = 'articles'): RawBuilder<boolean> {
  if (seesEverything(viewer)) return always;
  return sql<boolean>`(${ownRuleSql(viewer, 'article', alias)} and ${categoryVisibleSql(
    viewer,
    `${alias}.category_id`,
  )})`;
}

/** The ids of the categories a viewer may not see (few; a thread list leaves their threads out). */
export async function hiddenCategoryIds(db: Database, viewer: Viewer): Promise<number[]> {
  if (seesEverything(viewer)) return [];
  const rows = await db
    .selectFrom('categories')
    .select('id')
    .where(sql<boolean>`not ${ownRuleSql(viewer, 'category', 'categories')}`)
    .execute();
  return rows.map((row) => row.id);
}

/** The audience keys of categories and articles, for documents and in-memory checks. */
export async function audienceRows(
  db: Database,
  subjectType: 'category' | 'article',
  ids: number[],
): Promise<Map<number, AudienceRow[]>> {
  const byId = new Map<number, AudienceRow[]>();
  if (ids.length === 0) return byId;
  const rows = await db
    .selectFrom('audiences')
    .select(['subject_id', 'group_id', 'organization_id'])
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', ids)
    .execute();
  for (const row of rows) {
    const list = byId.get(row.subject_id) ?? [];
    list.push(row);
    byId.set(row.subject_id, list);
  }
  return byId;
}

/** The keys that open a category (`['public']` for no category). */
export async function categoryKeys(db: Database, categoryId: number | null): Promise<string[]> {
  if (categoryId === null) return ['public'];
  const category = await db
    .selectFrom('categories')
    .select(['id', 'visibility'])
    .where('id', '=', categoryId)
    .executeTakeFirst();
  if (!category) return ['public'];
  const audience = await audienceRows(db, 'category', [category.id]);
  return contentKeys(category.visibility, audience.get(category.id) ?? []);
}

/** Whether a viewer may see this thread (by its category). */
export async function canSeeThread(
  db: Database,
  viewer: Viewer,
  thread: { category_id: number | null },
): Promise<boolean> {
  if (seesEverything(viewer)) return true;
  return canSee(viewer, await categoryKeys(db, thread.category_id));
}

/** Whether a viewer may see this article (its own visibility and its category's). */
export async function canSeeArticle(
  db: Database,
  viewer: Viewer,
  article: { id: number; visibility: Visibility; category_id: number | null },
): Promise<boolean> {
  if (seesEverything(viewer)) return true;
  const audience = await audienceRows(db, 'article', [article.id]);
  return canSee(
    viewer,
    contentKeys(article.visibility, audience.get(article.id) ?? []),
    await categoryKeys(db, article.category_id),
  );
}

/** The groups a person belongs to: by hand, through their organisation, or by verified domain. */
export async function groupIdsOf(
  db: Database,
  person: {
    id: number;
    organizationId: number | null;
    email: string | null;
    emailVerified: boolean;
  },
): Promise<number[]> {
  const domain = person.emailVerified ? (person.email ?? '').split('@')[1]?.toLowerCase() : '';
  let query = db.selectFrom('group_members').select('group_id').where('user_id', '=', person.id);
  if (person.organizationId !== null)
    query = query.union(
      db
        .selectFrom('group_organizations')
        .select('group_id')
        .where('organization_id', '=', person.organizationId),
    );
  if (domain)
    query = query.union(
      db.selectFrom('group_domains').select('group_id').where('domain', '=', domain),
    );
  const rows = await query.execute();
  return rows.map((row) => row.group_id).sort((a, b) => a - b);
}

type Person = {
  id: number;
  role: Role;
  organizationId: number | null;
  email: string | null;
  emailVerifiedAt: string | null;
};

/** The viewer for a signed-in person (or null). */
export async function viewerOf(db: Database, person: Person | null): Promise<Viewer> {
  if (!person) return null;
  return {
    id: person.id,
    role: person.role,
    organizationId: person.organizationId,
    groupIds:
      person.role === 'member'
        ? await groupIdsOf(db, { ...person, emailVerified: person.emailVerifiedAt !== null })
        : [],
  };
}

/** The viewer for a user id (mail, notifications, API tokens): null when there is no such person. */
export async function viewerOfUser(db: Database, userId: number): Promise<Viewer> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'organization_id', 'email', 'email_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  return viewerOf(db, {
    id: user.id,
    role: user.role,
    organizationId: user.organization_id,
    email: user.email,
    emailVerifiedAt: user.email_verified_at,
  });
}

export type AudienceChoice = { groupIds: number[]; organizationIds: number[] };

/**
 * Sets who may see a category or an article, and refreshes the search documents it changes (a
 * category's threads and articles carry its keys). Page versions move by trigger.
 */
export async function setVisibility(
  db: Database,
  subject: { type: 'category' | 'article'; id: number },
  visibility: Visibility,
  audience: AudienceChoice = { groupIds: [], organizationIds: [] },
  now = new Date(),
) {
  await db.transaction().execute(async (trx) => {
    const table = subject.type === 'category' ? 'categories' : 'articles';
    await trx.updateTable(table).set({ visibility }).where('id', '=', subject.id).execute();
    await trx
      .deleteFrom('audiences')
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .execute();
    const rows =
      visibility === 'audience'
        ? [
            ...[...new Set(audience.groupIds)].map((id) => ({
              group_id: id,
              organization_id: null,
            })),
            ...[...new Set(audience.organizationIds)].map((id) => ({
              group_id: null,
              organization_id: id,
            })),
          ]
        : [];
    if (rows.length)
      await trx
        .insertInto('audiences')
        .values(rows.map((row) => ({ subject_type: subject.type, subject_id: subject.id, ...row })))
        .execute();
    if (subject.type === 'article') {
      await touchSearchMany(trx, 'article', [subject.id], now);
      return;
    }
    const [threads, articles] = await Promise.all([
      trx.selectFrom('threads').select('id').where('category_id', '=', subject.id).execute(),
      trx.selectFrom('articles').select('id').where('category_id', '=', subject.id).execute(),
    ]);
    await touchSearchMany(
      trx,
      'thread',
      threads.map((row) => row.id),
      now,
    );
    await touchSearchMany(
      trx,
      'article',
      articles.map((row) => row.id),
      now,
    );
  });
}

/** The names of the groups and organisations in these audience rows, by id (for labels). */
export async function audienceNames(db: Database, rows: AudienceRow[]) {
  const groupIds = [
    ...new Set(rows.flatMap((row) => (row.group_id === null ? [] : [row.group_id]))),
  ];
  const organizationIds = [
    ...new Set(rows.flatMap((row) => (row.organization_id === null ? [] : [row.organization_id]))),
  ];
  const [groups, organizations] = await Promise.all([
    groupIds.length
      ? db.selectFrom('groups').select(['id', 'name']).where('id', 'in', groupIds).execute()
      : [],
    organizationIds.length
      ? db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where('id', 'in', organizationIds)
          .execute()
      : [],
  ]);
  return {
    groups: new Map(groups.map((row) => [row.id, row.name])),
    organizations: new Map(organizations.map((row) => [row.id, row.name])),
  };
}
