import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/**
 * An XML document as a response, gzipped here when the reader takes gzip. A sitemap part is
 * several megabytes: compressed at zlib's fastest level on the thread pool, it costs a fraction of
 * what the default level costs on the event loop, for a file about 15% larger.
 */
export async function xmlResponse(
  request: Request,
  body: string,
  contentType: string,
): Promise<Response> {
  const headers = new Headers({
    'Content-Type': `${contentType}; charset=utf-8`,
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept-Encoding',
  });
  if (!/\bgzip\b/.test(request.headers.get('accept-encoding') ?? ''))
    return new Response(body, { headers });
  headers.set('Content-Encoding', 'gzip');
  return new Response(await gzip(body, { level: zlib.constants.Z_BEST_SPEED }), { headers });
}
