import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { FormError, Notice, TextAreaField } from '~/components/forms';
import { logModeration } from '~/models/audit-log.server';
import { getDb } from '~/utils/db.server';
import { formError } from '~/utils/forms.server';
import { applySynonyms, searchHealth, synonymsSetting } from '#search/engine';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const [synonyms, health] = await Promise.all([synonymsSetting(getDb()), searchHealth()]);
  return { synonyms, health };
}

const synonymsSchema = z.string().max(20_000, 'Keep the list under 20,000 characters.');

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const parsed = synonymsSchema.safeParse((await request.formData()).get('synonyms') ?? '');
  if (!parsed.success)
    return formError(400, parsed.error.issues[0]?.message ?? 'That list could not be read.');
  await logModeration(getDb(), { actorId: admin.id, action: 'synonyms', targetType: 'search' });
  try {
    await applySynonyms(getDb(), parsed.data);
  } catch {
    return formError(
      503,
      'Saved, but Meilisearch could not be reached; the synonyms apply when it is back and the indexes are rebuilt.',
    );
  }
  return redirect('/admin/search?saved=1');
}

const statusText = {
  ok: 'Meilisearch is answering searches.',
  unavailable: 'Meilisearch cannot be reached: searches are answered by the SQLite fallback.',
  'fts-only': 'No Meilisearch is configured: searches are answered by SQLite full-text search.',
} as const;

export default function AdminSearch() {
  const { synonyms, health } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <h1>Search</h1>
      <p className={health.status === 'ok' ? 'muted' : 'overdue'}>
        {statusText[health.status]}{' '}
        {health.pendingUpdates > 0
          ? `${health.pendingUpdates} updates are waiting to be indexed.`
          : ''}
      </p>
      <Notice>
        {searchParams.has('saved') ? 'Synonyms saved and sent to both indexes.' : null}
      </Notice>
      <FormError>{actionData?.formError}</FormError>
      <section className="card form-card">
        <Form method="post" className="stack">
          <TextAreaField
            label="Synonyms"
            name="synonyms"
            rows={10}
            defaultValue={synonyms}
            hint="One group per line, words separated by commas: a search for any word of a group also finds the others. For example: invoice, bill"
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Save synonyms
            </button>
          </div>
        </Form>
      </section>
      <p className="muted">
        To rebuild the indexes from the database, run <code>npm run search:reindex</code> on the
        server.
      </p>
    </>
  );
}
