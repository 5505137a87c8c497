/** A form POST as a browser would send it, for calling route actions directly. */
export function formRequest(
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** The status of what an action returned: a Response, data() with an init, or plain data (200). */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (typeof result === 'object' && result !== null && 'init' in result) {
    const init: unknown = result.init;
    if (
      typeof init === 'object' &&
      init !== null &&
      'status' in init &&
      typeof init.status === 'number'
    ) {
      return init.status;
    }
  }
  return 200;
}

/** A Cookie header that signs the request in as this user (a real lucia session). */
export async function sessionCookieFor(userId: number): Promise<string> {
  const { createSessionCookie } = await import('~/auth/session.server');
  const setCookie = await createSessionCookie(userId);
  return setCookie.split(';')[0] ?? '';
}

export const testContext = { cspNonce: '', clientAddress: '127.0.0.1' };

/** Runs a loader or action and returns its result, or the Response it threw (redirects, 403, 404). */
export async function settle<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}
