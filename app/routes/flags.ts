import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireUser } from '~/auth/session.server';
import { safeRedirect } from '~/utils/safe-redirect';
import { flagContent, flagSchema } from '~/models/flags.server';
import { getDb } from '~/utils/db.server';
import { parseForm } from '~/utils/forms.server';

/** POST /flags: flags a thread, answer, comment or article, then goes back to the page. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const back = safeRedirect(String(formData.get('returnTo') ?? '/'));
  const [path, hash = ''] = back.split('#');
  const withNotice = (key: string, value: string) => {
    const url = new URL(path ?? '/', 'http://local');
    url.searchParams.set(key, value);
    return `${url.pathname}${url.search}${hash ? `#${hash}` : ''}`;
  };
  const parsed = parseForm(formData, flagSchema);
  if (!parsed.success) return redirect(withNotice('flagError', 'reason'));
  const result = await flagContent(getDb(), user, parsed.data);
  if (!result.ok) {
    if (result.status === 404) throw new Response('Not found', { status: 404 });
    return redirect(
      withNotice('flagError', result.error.startsWith('You cannot') ? 'own' : 'already'),
    );
  }
  return redirect(withNotice('flagged', result.hidden ? 'hidden' : '1'));
}

export function loader() {
  throw new Response('Not found', { status: 404 });
}
