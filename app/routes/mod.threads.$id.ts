import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireRole } from '~/auth/session.server';
import { moderateThread, threadActionSchema } from '~/models/thread-moderation.server';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';
import { questionPath } from '#lib/content-urls';

/** POST /mod/threads/:id: lock, close, duplicate, merge, move or pin, then back to the thread. */
export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const user = await requireRole(request, 'moderator');
  const parsed = threadActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return redirect(`${questionPath({ id })}?${new URLSearchParams({ modError: 'invalid' })}`);
  const result = await moderateThread(getDb(), user, id, parsed.data);
  if (!result.ok) {
    if (result.status === 404) throw new Response('Not found', { status: 404 });
    return redirect(
      `${questionPath({ id })}?${new URLSearchParams({ modError: result.error.startsWith('Say why') ? 'reason' : 'target' })}#moderate`,
    );
  }
  return redirect(
    `${questionPath({ id: result.redirectTo })}?${new URLSearchParams({ modDone: parsed.data.intent })}`,
  );
}

export function loader() {
  throw new Response('Not found', { status: 404 });
}
