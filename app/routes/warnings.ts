import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireUser } from '~/auth/session.server';
import { acknowledgeWarnings } from '~/models/sanctions.server';
import { getDb } from '~/utils/db.server';
import { refererPath } from '~/utils/safe-redirect';

/** POST /warnings: the signed-in person acknowledges their warnings (kept in the audit log). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await acknowledgeWarnings(getDb(), user.id);
  return redirect(refererPath(request));
}

export function loader({ request }: LoaderFunctionArgs) {
  void request;
  throw new Response('Not found', { status: 404 });
}
