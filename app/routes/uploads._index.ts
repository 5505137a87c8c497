import type { ActionFunctionArgs } from '@remix-run/node';
import { getUser } from '~/auth/session.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { getDb } from '~/utils/db.server';

function uploadError(status: number, code: string, message: string) {
  return Response.json(
    { error: { code, message } },
    { status, headers: { 'Cache-Control': 'no-store' } },
  );
}

/**
 * The editor's uploads (file button, drop, paste): one `file` field in multipart/form-data; the
 * reply carries the Markdown to insert. Errors are JSON with a message shown to the person as is.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST')
    return uploadError(405, 'method_not_allowed', 'Send the file with POST.');
  const user = await getUser(request);
  if (!user) return uploadError(401, 'unauthorized', 'Sign in to attach files.');
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    return uploadError(
      400,
      'bad_request',
      'Send the file as multipart/form-data in a field named "file".',
    );
  }
  const file = formData.get('file');
  if (!(file instanceof File) || (file.size === 0 && file.name === ''))
    return uploadError(400, 'no_file', 'Choose a file to upload.');
  const stored = await storeUpload(getDb(), user, {
    name: file.name,
    bytes: Buffer.from(await file.arrayBuffer()),
  });
  if (!stored.ok) return uploadError(stored.status, stored.code, stored.error);
  return Response.json(
    { upload: stored.upload },
    { status: 201, headers: { 'Cache-Control': 'no-store', Location: stored.upload.url } },
  );
}

export function loader() {
  throw new Response('Not found', { status: 404 });
}
