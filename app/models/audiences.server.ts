import type { Database } from '#db/client';
import type { Visibility } from '#db/schema';
import { parseForm, type FieldErrors } from '~/utils/forms.server';
import { logModeration } from './audit-log.server';
import { setVisibility } from './visibility.server';
import { visibilitySchema, type VisibilityInput } from './visibility-form';

/** The visibility of categories and articles as the editors set and the staff lists show it. */

type Subject = { type: 'category' | 'article'; id: number };

/** The groups and organisations an editor may list. */
export async function audienceOptions(db: Database) {
  const [groups, organizations] = await Promise.all([
    db.selectFrom('groups').select(['id', 'name']).orderBy('name').execute(),
    db.selectFrom('organizations').select(['id', 'name']).orderBy('name').execute(),
  ]);
  return { groups, organizations };
}

/** A category's or article's visibility and what it lists, or null when there is no such row. */
export async function currentAudience(db: Database, subject: Subject) {
  const table = subject.type === 'category' ? 'categories' : 'articles';
  const row = await db
    .selectFrom(table)
    .select('visibility')
    .where('id', '=', subject.id)
    .executeTakeFirst();
  if (!row) return null;
  const audience = await db
    .selectFrom('audiences')
    .select(['group_id', 'organization_id'])
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .execute();
  return {
    visibility: row.visibility,
    groupIds: audience.flatMap((a) => (a.group_id === null ? [] : [a.group_id])),
    organizationIds: audience.flatMap((a) =>
      a.organization_id === null ? [] : [a.organization_id],
    ),
  };
}

/** Field errors when the choice lists a group or organisation that does not exist (any more). */
export async function checkAudience(db: Database, input: VisibilityInput): Promise<FieldErrors> {
  if (input.visibility !== 'audience') return {};
  const [groups, organizations] = await Promise.all([
    input.groupIds.length
      ? db.selectFrom('groups').select('id').where('id', 'in', input.groupIds).execute()
      : [],
    input.organizationIds.length
      ? db
          .selectFrom('organizations')
          .select('id')
          .where('id', 'in', input.organizationIds)
          .execute()
      : [],
  ]);
  if (
    groups.length !== input.groupIds.length ||
    organizations.length !== input.organizationIds.length
  )
    return { visibility: 'One of those groups or organisations is gone; choose again.' };
  return {};
}

/**
 * The visibility fields of an editor's form, checked against the groups and organisations. A form
 * without them (an older page, a script) leaves the visibility as it is: data is null.
 */
export async function parseVisibilityForm(
  db: Database,
  formData: FormData,
): Promise<
  { success: true; data: VisibilityInput | null } | { success: false; fieldErrors: FieldErrors }
> {
  if (!formData.has('visibility')) return { success: true, data: null };
  const parsed = parseForm(formData, visibilitySchema);
  if (!parsed.success) return { success: false, fieldErrors: parsed.fieldErrors };
  const fieldErrors = await checkAudience(db, parsed.data);
  if (Object.keys(fieldErrors).length > 0) return { success: false, fieldErrors };
  return parsed;
}

/** Sets who may see a category or article (checked with checkAudience first) and logs it. */
export async function saveVisibility(
  db: Database,
  actorId: number,
  subject: Subject,
  input: VisibilityInput | null,
  now = new Date(),
) {
  if (!input) return;
  const before = await currentAudience(db, subject);
  const audience = { groupIds: input.groupIds, organizationIds: input.organizationIds };
  const unchanged =
    before !== null &&
    before.visibility === input.visibility &&
    (input.visibility !== 'audience' ||
      (sameIds(before.groupIds, audience.groupIds) &&
        sameIds(before.organizationIds, audience.organizationIds)));
  if (unchanged) return;
  await setVisibility(db, subject, input.visibility, audience, now);
  await logModeration(
    db,
    {
      actorId,
      action: 'visibility',
      targetType: subject.type,
      targetId: subject.id,
      data: { visibility: input.visibility, ...(input.visibility === 'audience' ? audience : {}) },
    },
    now,
  );
}

function sameIds(a: number[], b: number[]) {
  const sorted = (ids: number[]) => [...new Set(ids)].sort((x, y) => x - y).join(',');
  return sorted(a) === sorted(b);
}

export type VisibilitySummary = { visibility: Visibility; names: string[] };

/** Who may see each of these categories or articles, in words for the staff lists. */
export async function visibilitySummaries(
  db: Database,
  type: Subject['type'],
  ids: number[],
): Promise<Record<number, VisibilitySummary>> {
  const summaries: Record<number, VisibilitySummary> = {};
  if (ids.length === 0) return summaries;
  const table = type === 'category' ? 'categories' : 'articles';
  const rows = await db
    .selectFrom(table)
    .select(['id', 'visibility'])
    .where('id', 'in', ids)
    .where('visibility', '!=', 'public')
    .execute();
  for (const row of rows) summaries[row.id] = { visibility: row.visibility, names: [] };
  const listed = rows.filter((row) => row.visibility === 'audience').map((row) => row.id);
  if (listed.length === 0) return summaries;
  const names = await db
    .selectFrom('audiences')
    .leftJoin('groups', 'groups.id', 'audiences.group_id')
    .leftJoin('organizations', 'organizations.id', 'audiences.organization_id')
    .select(['audiences.subject_id', 'groups.name as group_name', 'organizations.name as org_name'])
    .where('audiences.subject_type', '=', type)
    .where('audiences.subject_id', 'in', listed)
    .orderBy('audiences.id')
    .execute();
  for (const row of names) {
    const name = row.group_name ?? row.org_name;
    if (name) summaries[row.subject_id]?.names.push(name);
  }
  return summaries;
}
