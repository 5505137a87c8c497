import http from 'node:http';
import https from 'node:https';
import { Meilisearch } from 'meilisearch';

export class MeiliRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly staleSocket = false,
  ) {
    super(message);
    this.name = 'MeiliRequestError';
  }
}

/**
 * NOTE: on Node's built-in fetch every search costs ~45 ms (keep-alive plus delayed ACK on
 * responses over ~1 KB) while Meilisearch answers in ~1 ms. Requests go through node:http with a
 * keep-alive agent instead (~1.6 ms); `npm run bench:search` keeps an eye on it.
 */
export type MeiliTimeouts = {
  /** GET /health: a frozen engine must not hold up /healthz. */
  healthMs: number;
  /** Searches: past this, the app answers from SQLite FTS5 at once. */
  searchMs: number;
  /** Everything else (indexing, settings), which runs in the background. */
  otherMs: number;
};

export const defaultMeiliTimeouts: MeiliTimeouts = {
  healthMs: 500,
  searchMs: 1_000,
  otherMs: 5_000,
};

function timeoutFor(url: URL, timeouts: MeiliTimeouts): number {
  if (url.pathname === '/health') return timeouts.healthMs;
  if (url.pathname === '/multi-search' || url.pathname.endsWith('/search'))
    return timeouts.searchMs;
  return timeouts.otherMs;
}

export function createHttpClient(timeouts: MeiliTimeouts = defaultMeiliTimeouts) {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
  };
  // NOTE: a kept-alive socket may be closed by Meilisearch just as it is reused; such a request
  // never reached it, so it is sent once more on a fresh socket.
  async function request(input: RequestInfo | URL, init?: RequestInit): Promise<unknown> {
    try {
      return await send(input, init);
    } catch (error) {
      if (error instanceof MeiliRequestError && error.staleSocket) return send(input, init);
      throw error;
    }
  }

  async function send(input: RequestInfo | URL, init?: RequestInit): Promise<unknown> {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const transport = url.protocol === 'https:' ? https : http;
    const timeoutMs = timeoutFor(url, timeouts);
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: init?.method ?? 'GET',
          headers,
          agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = text;
            }
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              const message =
                typeof parsed === 'object' && parsed !== null && 'message' in parsed
                  ? String(parsed.message)
                  : text;
              reject(new MeiliRequestError(`Meilisearch ${status}: ${message}`, status));
            } else {
              resolve(parsed);
            }
          });
          res.on('error', reject);
        },
      );
      // A deadline for the whole exchange: a frozen engine accepts connections (the kernel does)
      // but never answers, and an idle-socket timeout alone would not cover a slow trickle.
      const deadline = setTimeout(
        () =>
          req.destroy(new MeiliRequestError(`Meilisearch did not answer in ${timeoutMs} ms`, null)),
        timeoutMs,
      );
      req.on('close', () => clearTimeout(deadline));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof MeiliRequestError) return reject(error);
        const stale = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(new MeiliRequestError(error.message, null, stale));
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  return {
    request,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

export function createMeiliClient(
  host: string,
  apiKey: string,
  timeouts: MeiliTimeouts = defaultMeiliTimeouts,
) {
  const httpClient = createHttpClient(timeouts);
  const client = new Meilisearch({ host, apiKey, httpClient: httpClient.request });
  return { client, close: httpClient.close };
}
