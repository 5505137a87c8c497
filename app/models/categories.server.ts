import { z } from 'zod';
import type { Database } from '#db/client';
import type { FieldErrors } from '~/utils/forms.server';
import { slugify } from '~/utils/slug';
import { touchSearch } from '#search/outbox';
import { ownRuleSql, type Viewer } from './visibility.server';

export const categorySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(2, 'Use at least 2 characters.')
      .max(60, 'Use at most 60 characters.'),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .max(60, 'Use at most 60 characters.')
      .regex(
        /^([a-z0-9]+(-[a-z0-9]+)*)?$/,
        'Use lowercase letters, digits and single dashes, like "getting-started".',
      ),
    description: z.string().trim().max(300, 'Use at most 300 characters.'),
    position: z.coerce
      .number('Enter a whole number.')
      .int('Enter a whole number.')
      .min(0, 'Use 0 or more.')
      .max(10_000, 'Use at most 10000.'),
  })
  .transform((input, ctx) => {
    const slug = input.slug || slugify(input.name);
    if (!slug) {
      ctx.addIssue({
        code: 'custom',
        path: ['slug'],
        message: 'Give a slug: the name has no letters or digits to make one from.',
      });
      return z.NEVER;
    }
    return { ...input, slug };
  });

export type CategoryInput = z.infer<typeof categorySchema>;

export function listCategories(db: Database) {
  return db
    .selectFrom('categories')
    .select(['id', 'name', 'slug', 'description', 'position'])
    .orderBy('position')
    .orderBy('name')
    .execute();
}

export function getCategory(db: Database, id: number) {
  return db
    .selectFrom('categories')
    .select(['id', 'name', 'slug', 'description', 'position'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Creates a category, or updates it when an id is given. */
export async function saveCategory(
  db: Database,
  input: CategoryInput,
  id: number | null = null,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors }> {
  const sameSlug = await db
    .selectFrom('categories')
    .select('id')
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  if (sameSlug && sameSlug.id !== id) {
    return { ok: false, fieldErrors: { slug: 'Another category uses this slug.' } };
  }
  if (id === null) {
    const created = await db
      .insertInto('categories')
      .values({ ...input, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true, id: created.id };
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('categories').set(input).where('id', '=', id).execute();
    await touchCategoryContent(trx, id, now);
  });
  return { ok: true, id };
}

export async function deleteCategory(db: Database, id: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const content = await categoryContent(trx, id);
    const result = await trx.deleteFrom('categories').where('id', '=', id).executeTakeFirst();
    await touchContent(trx, content, now);
    return result.numDeletedRows > 0n;
  });
}

async function categoryContent(db: Database, id: number) {
  const [threads, articles] = await Promise.all([
    db.selectFrom('threads').select('id').where('category_id', '=', id).execute(),
    db.selectFrom('articles').select('id').where('category_id', '=', id).execute(),
  ]);
  return { threads, articles };
}

/** Search documents carry the category's name and slug, so renaming it refreshes them. */
async function touchCategoryContent(db: Database, id: number, now: Date) {
  await touchContent(db, await categoryContent(db, id), now);
}

async function touchContent(
  db: Database,
  content: Awaited<ReturnType<typeof categoryContent>>,
  now: Date,
) {
  for (const thread of content.threads) await touchSearch(db, 'thread', thread.id, now);
  for (const article of content.articles) await touchSearch(db, 'article', article.id, now);
}

/** The categories this viewer may see, for choosing one (the ask and edit forms, filters). */
export function categoriesFor(db: Database, viewer: Viewer) {
  return db
    .selectFrom('categories')
    .select(['id', 'name', 'slug', 'description', 'position'])
    .where(ownRuleSql(viewer, 'category', 'categories'))
    .orderBy('position')
    .orderBy('name')
    .execute();
}

/**
 * A category's page for this viewer: the category, or (for a signed-in person outside it) the
 * group they may ask to join when the category is private to a group that takes requests, or
 * null when it is not there for them at all.
 */
export async function categoryPageFor(db: Database, slug: string, viewer: Viewer) {
  const category = await db
    .selectFrom('categories')
    .select(['id', 'name', 'slug', 'description', 'position'])
    .select(ownRuleSql(viewer, 'category', 'categories').as('visible'))
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!category) return null;
  const { visible, ...shown } = category;
  // NOTE: PostgreSQL returns a boolean, SQLite 1 or 0.
  if (visible === true || Number(visible) === 1) return { category: shown, joinGroup: null };
  if (!viewer) return null;
  const group = await db
    .selectFrom('audiences')
    .innerJoin('groups', 'groups.id', 'audiences.group_id')
    .innerJoin('categories', 'categories.id', 'audiences.subject_id')
    .select(['groups.id', 'groups.name'])
    .where('audiences.subject_type', '=', 'category')
    .where('audiences.subject_id', '=', category.id)
    .where('categories.visibility', '=', 'audience')
    .where('groups.join_policy', '=', 'request')
    .orderBy('groups.id')
    .executeTakeFirst();
  return group ? { category: shown, joinGroup: group } : null;
}

/** Categories with how many questions each holds that this viewer may see, for the home page. */
export async function listCategoriesWithCounts(db: Database, viewer: Viewer) {
  return db
    .selectFrom('categories')
    .select((eb) => [
      'categories.id',
      'categories.name',
      'categories.slug',
      'categories.description',
      eb
        .selectFrom('threads')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('threads.category_id', '=', 'categories.id')
        .where('threads.deleted_at', 'is', null)
        .as('question_count'),
    ])
    .where(ownRuleSql(viewer, 'category', 'categories'))
    .orderBy('categories.position')
    .orderBy('categories.name')
    .execute();
}
