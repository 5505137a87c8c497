import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { destroySession } from '~/auth/session.server';

export async function action({ request }: ActionFunctionArgs) {
  const cookie = await destroySession(request);
  return redirect('/', { headers: { 'Set-Cookie': cookie } });
}

// Signing out changes state, so it only happens by POST (the account menu's button).
export function loader() {
  return redirect('/');
}
