import { z } from 'zod';
import { visibilities, type Visibility } from '#db/schema';

/** The visibility choice on the category and article editors, shared by the server and the pages. */

export const visibilityLabels: Record<Visibility, string> = {
  public: 'Public',
  signed_in: 'Signed-in people',
  audience: 'Listed groups and organisations',
  internal: 'Staff only (internal)',
};

export const visibilityHints: Record<Visibility, string> = {
  public: 'Anyone, signed in or not.',
  signed_in: 'Anyone with an account who is signed in.',
  audience: 'Only the groups and organisations you tick below, and staff.',
  internal: 'Agents, moderators and admins only.',
};

const idList = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string().regex(/^\d{1,9}$/, 'Choose from the list.'))
    .max(200, 'Choose fewer.')
    .transform((ids) => [...new Set(ids.map(Number))]),
);

export const visibilitySchema = z
  .object({
    visibility: z.enum(visibilities, 'Choose who may see it.'),
    groupIds: idList,
    organizationIds: idList,
  })
  .superRefine((input, ctx) => {
    if (
      input.visibility === 'audience' &&
      input.groupIds.length === 0 &&
      input.organizationIds.length === 0
    )
      ctx.addIssue({
        code: 'custom',
        path: ['visibility'],
        message: 'Tick at least one group or organisation, or choose another option.',
      });
  });

export type VisibilityInput = z.infer<typeof visibilitySchema>;

/** What was chosen, to put back into the form: checked ids joined by spaces. */
export function visibilityValues(formData: FormData): Record<string, string> {
  const ids = (name: string) =>
    formData
      .getAll(name)
      .filter((value) => typeof value === 'string' && /^\d{1,9}$/.test(value))
      .join(' ');
  const visibility = formData.get('visibility');
  return {
    visibility: typeof visibility === 'string' ? visibility.slice(0, 20) : '',
    groupIds: ids('groupIds'),
    organizationIds: ids('organizationIds'),
  };
}
