import type { LoaderFunctionArgs } from '@remix-run/node';
import { getViewer } from '~/auth/session.server';
import { readUpload } from '~/models/uploads/serve.server';
import { getDb } from '~/utils/db.server';

/**
 * An uploaded file, for the people who may read it (see uploadAccess); everyone else gets the
 * same 404 as for an address that never existed. `?size=display` is an image's display version.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  const display = new URL(request.url).searchParams.get('size') === 'display';
  const file = await readUpload(getDb(), viewer, {
    id: params.id ?? '',
    name: params.name ?? '',
    display,
  });
  if (!file)
    throw new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  if (request.headers.get('if-none-match') === file.headers.ETag)
    return new Response(null, { status: 304, headers: file.headers });
  return new Response(new Uint8Array(file.bytes), { status: 200, headers: file.headers });
}
