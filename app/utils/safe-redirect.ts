// Judged on a placeholder origin: only the path, query and fragment of a target are kept.
const placeholderOrigin = 'http://commons.invalid';

/**
 * A redirect target from input (a form field, a Referer) as a same-site path, or the fallback.
 * The target is read the way a browser reads a Location header, by the WHATWG URL parser: it
 * drops tabs and newlines, takes a backslash for a slash and resolves dot segments, so
 * `/\t/evil.example`, `/\\evil.example` and `/.//evil.example` all name another host and are
 * refused. What comes back is the parser's own serialisation (ASCII, percent-encoded), which is
 * always a valid header value.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
  if (typeof to !== 'string' || !to.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(to, placeholderOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== placeholderOrigin || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Where a Referer points on this site (path and query), or the fallback for any other value. */
export function refererPath(request: Request, fallback = '/') {
  const referer = request.headers.get('referer');
  if (!referer || !URL.canParse(referer)) return fallback;
  const back = new URL(referer);
  if (back.origin !== new URL(request.url).origin) return fallback;
  return safeRedirect(`${back.pathname}${back.search}`, fallback);
}
