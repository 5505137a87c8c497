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
export function createHttpClient(timeoutMs = 5_000) {
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
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: init?.method ?? 'GET',
          headers,
          agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
          timeout: timeoutMs,
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
      req.on('timeout', () =>
        req.destroy(new MeiliRequestError(`Meilisearch did not answer in ${timeoutMs} ms`, null)),
      );
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

export function createMeiliClient(host: string, apiKey: string) {
  const httpClient = createHttpClient();
  const client = new Meilisearch({ host, apiKey, httpClient: httpClient.request });
  return { client, close: httpClient.close };
}
