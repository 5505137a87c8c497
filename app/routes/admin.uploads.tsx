import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Notice } from '~/components/forms';
import { IntentButton } from '~/components/posts';
import { logModeration } from '~/models/audit-log.server';
import { deleteUpload, listUploadsBySize } from '~/models/uploads/admin.server';
import { sizeText } from '~/models/uploads/sizes';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Uploads · Administration' }];

const filterSchema = z.object({
  owner: z.string().trim().max(60).catch(''),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const params = new URL(request.url).searchParams;
  const filter = filterSchema.parse({
    owner: params.get('owner') ?? '',
    page: params.get('page') ?? 1,
  });
  const list = await listUploadsBySize(getDb(), {
    page: filter.page,
    owner: filter.owner || undefined,
  });
  return { ...list, filter };
}

const deleteSchema = z.object({
  intent: z.literal('delete'),
  uploadId: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const parsed = deleteSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response('Not found', { status: 404 });
  const deleted = await deleteUpload(getDb(), parsed.data.uploadId);
  if (!deleted) throw new Response('Not found', { status: 404 });
  await logModeration(getDb(), {
    actorId: admin.id,
    action: 'upload_delete',
    targetType: 'upload',
    targetUserId: deleted.ownerId,
    data: { upload: parsed.data.uploadId, name: deleted.name },
  });
  const back = new URL(request.url);
  back.searchParams.set('deleted', deleted.name);
  return redirect(`${back.pathname}${back.search}`);
}

export default function AdminUploads() {
  const { uploads, hasMore, totals, filter } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const deleted = searchParams.get('deleted');
  const pageLink = (page: number) => {
    const next = new URLSearchParams(searchParams);
    next.delete('deleted');
    next.set('page', String(page));
    return `?${next}`;
  };
  return (
    <>
      <h1>Uploads</h1>
      <p className="muted">
        {totals.count.toLocaleString('en')} files, {sizeText(totals.bytes)} in all, largest first.
        Files nobody used within a day are removed on their own.
      </p>
      {deleted ? (
        <Notice>Deleted {deleted}. Posts that showed it now show a broken image.</Notice>
      ) : null}
      <Form method="get" className="filters" role="search" aria-label="Filter uploads">
        <label>
          Owner (username){' '}
          <input type="search" name="owner" defaultValue={filter.owner} maxLength={60} />
        </label>{' '}
        <button type="submit" className="button button-secondary">
          Filter
        </button>
        {filter.owner ? <Link to="/admin/uploads">All owners</Link> : null}
      </Form>
      {uploads.length === 0 ? (
        <p className="empty-state">
          {filter.owner
            ? `${filter.owner} has not uploaded anything.`
            : 'Nobody has uploaded anything yet.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Size</th>
                <th scope="col">Owner</th>
                <th scope="col">Used in</th>
                <th scope="col">Uploaded</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {uploads.map((upload) => (
                <tr key={upload.id}>
                  <td>
                    <a href={upload.url}>{upload.name}</a>
                    <br />
                    <span className="muted">
                      {upload.type.split(';')[0]}
                      {upload.width && upload.height ? `, ${upload.width}×${upload.height}` : ''}
                    </span>
                  </td>
                  <td>{sizeText(upload.bytes)}</td>
                  <td>
                    <Link to={`/users/${upload.owner_username}`}>{upload.owner_name}</Link>{' '}
                    <Link
                      to={`?owner=${encodeURIComponent(upload.owner_username)}`}
                      className="muted"
                    >
                      (all theirs)
                    </Link>
                  </td>
                  <td>
                    {upload.usedIn.length === 0 ? (
                      <span className="muted">not used</span>
                    ) : (
                      <ul>
                        {upload.usedIn.map((place) => (
                          <li key={`${place.type}-${place.href}`}>
                            <Link to={place.href}>{place.label}</Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{formatDate(upload.created_at)}</td>
                  <td>
                    <IntentButton intent="delete" fields={{ uploadId: upload.id }} danger>
                      Delete<span className="visually-hidden"> {upload.name}</span>
                    </IntentButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {filter.page > 1 || hasMore ? (
        <nav className="pager" aria-label="Pages">
          {filter.page > 1 ? <Link to={pageLink(filter.page - 1)}>← Larger</Link> : <span />}
          {hasMore ? <Link to={pageLink(filter.page + 1)}>Smaller →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
