/** A positive integer id from a URL segment; anything else is a 404, never a 500. */
export function requireIdParam(value: string | undefined): number {
  const id = Number(value);
  if (!value || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new Response('Not found', { status: 404 });
  }
  return id;
}
