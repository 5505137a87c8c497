import type { Database } from '#db/client';
import { formValues, type FormFailure } from '~/utils/forms.server';
import { attachFormFiles } from './form-files.server';

/**
 * Stores the files a form posted in its `attachments` field (a form sent without JavaScript) and
 * appends their Markdown to the body, before the action reads the form. The rest of the action
 * then sees one body, and when it refuses the form for another reason, the text it gives back
 * already links the stored files, so nobody has to choose them again. A refused file comes back as
 * the form's failure: the attachments field's error, with everything typed kept.
 */
export async function appendAttachments(
  db: Database,
  user: Parameters<typeof attachFormFiles>[1],
  formData: FormData,
  bodyField = 'body',
): Promise<{ ok: true } | { ok: false; failure: FormFailure }> {
  const attached = await attachFormFiles(db, user, formData, 'attachments');
  if (!attached.ok)
    return {
      ok: false,
      failure: { fieldErrors: { attachments: attached.message }, values: formValues(formData) },
    };
  formData.delete('attachments');
  if (!attached.markdown) return { ok: true };
  const body = String(formData.get(bodyField) ?? '').trimEnd();
  formData.set(bodyField, body ? `${body}\n\n${attached.markdown}` : attached.markdown);
  return { ok: true };
}
