import type { ActionFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/auth/session.server';
import { renderContent } from '~/models/content.server';
import { getDb } from '~/utils/db.server';

/** Renders a draft exactly as it will be stored, for the live preview beside an editor. */
export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const body = (await request.formData()).get('body');
  const source = typeof body === 'string' ? body.slice(0, 30_000) : '';
  const { html } = await renderContent(getDb(), source);
  return Response.json({ html }, { headers: { 'Cache-Control': 'no-store' } });
}

export function loader() {
  throw new Response('Not found', { status: 404 });
}
