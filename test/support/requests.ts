import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';

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

/** A route's loader or action as a test calls it: Remix passes both the same arguments. */
export type RouteHandler = (args: LoaderFunctionArgs) => unknown;
type Params = Record<string, string>;

/** Runs a loader or action as Remix would; a Response it throws is returned, not thrown. */
export function callRoute(handler: RouteHandler, request: Request, params: Params = {}) {
  return settle(async () => handler({ request, params, context: testContext }));
}

async function signedIn(userId: number | null): Promise<Record<string, string>> {
  return userId === null ? {} : { Cookie: await sessionCookieFor(userId) };
}

/** A page request by this user (or a signed-out visitor), through the route's loader. */
export async function getAs(
  loader: RouteHandler,
  path: string,
  userId: number | null,
  params: Params = {},
) {
  const request = new Request(`http://localhost${path}`, { headers: await signedIn(userId) });
  return callRoute(loader, request, params);
}

/** A form POST by this user, through the route's action. */
export async function postAs(
  action: RouteHandler,
  path: string,
  userId: number,
  fields: Record<string, string>,
  params: Params = {},
) {
  return callRoute(action, formRequest(path, fields, await signedIn(userId)), params);
}

/** What a loader returns to this user, typed as the loader says; a thrown Response fails the test. */
export async function loaderData<T>(
  loader: (args: LoaderFunctionArgs) => Promise<T>,
  path: string,
  userId: number | null,
  params: Params = {},
): Promise<T> {
  const request = new Request(`http://localhost${path}`, { headers: await signedIn(userId) });
  return loader({ request, params, context: testContext });
}

/** A request to /api/v1 as a client sends it: a bearer token and, with a body, JSON. */
export function apiRequest(
  pathname: string,
  options: { method?: string; token?: string; body?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined)
    headers['Content-Type'] = options.contentType ?? 'application/json';
  return new Request(`http://localhost/api/v1${pathname}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body,
  });
}

/** The status and parsed JSON body of an API handler's answer (bodies are checked field by field). */
export async function callApi(handler: RouteHandler, request: Request, params: Params = {}) {
  const result = await callRoute(handler, request, params);
  if (!(result instanceof Response)) throw new Error('API handlers answer with a Response');
  return { status: result.status, body: await result.json() };
}

/** Where a redirect points, or null for anything that is not a Response. */
export function locationOf(result: unknown): string | null {
  return result instanceof Response ? result.headers.get('Location') : null;
}

const formFailure = z.object({
  data: z.object({
    fieldErrors: z.record(z.string(), z.string()),
    values: z.record(z.string(), z.string()),
  }),
});

/** The field errors and typed-in values of a form an action sent back; anything else throws. */
export function formFailureOf(result: unknown) {
  return formFailure.parse(result).data;
}

const formReply = z.object({
  data: z.object({
    form: z.string().nullable(),
    formError: z.string().nullable(),
    notice: z.string().nullable(),
    fieldErrors: z.record(z.string(), z.string()),
    values: z.record(z.string(), z.string()),
  }),
});

/** What a form action answered (FormReply: notice, formError, fieldErrors, values); else throws. */
export function formReplyOf(result: unknown) {
  return formReply.parse(result).data;
}
