import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { openNotification } from '~/models/notifications.server';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';

/** Opening a notification marks it read and goes to what it is about. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const target = await openNotification(getDb(), user.id, requireIdParam(params.id));
  if (!target) throw new Response('Not found', { status: 404 });
  return redirect(target);
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        404: ({ params }) => (
          <p>No notification #{params.id} for you. What it pointed to may have been removed.</p>
        ),
      }}
    />
  );
}
