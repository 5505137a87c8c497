import type { z } from 'zod';

// Who may call what is decided in one place: requireApiAccess in ./access.server.ts.

/** Every API error has one shape: `{ "error": { "code", "message" } }`. */
export function apiError(
  status: number,
  code: string,
  message: string,
  headers?: HeadersInit,
): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

export function apiJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}

/** The JSON body, checked against its schema; throws a 400 with a code when it is not. */
export async function readBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.infer<S>> {
  if (!(request.headers.get('content-type') ?? '').includes('application/json'))
    throw apiError(415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw apiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw apiError(400, 'invalid_request', `${where}${issue?.message ?? 'The body is not valid.'}`);
  }
  return parsed.data;
}

/** A positive id from the URL, or a JSON 404. */
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!/^\d{1,12}$/.test(value ?? '') || !Number.isSafeInteger(id) || id < 1)
    throw apiError(404, 'not_found', 'Nothing here has that id.');
  return id;
}

export function methodNotAllowed(allowed: string): Response {
  return apiError(405, 'method_not_allowed', `Use ${allowed} here.`, { Allow: allowed });
}
