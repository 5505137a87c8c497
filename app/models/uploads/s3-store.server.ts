import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { UploadStore } from './store.server';

export type S3Options = {
  /** The server's base URL, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000. */
  url: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
};

type S3Reply = { status: number; body: Buffer };

const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

function hmac(key: string | Buffer, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data).digest();
}

function hashHex(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Signs a request with AWS Signature Version 4 (header form), the scheme every S3-compatible
 * server accepts. Only what this store sends is covered: no query string, a known body.
 */
export function signV4(
  options: Pick<S3Options, 'accessKeyId' | 'secretAccessKey' | 'region'>,
  request: {
    method: string;
    host: string;
    path: string;
    body: Buffer;
    headers: Record<string, string>;
  },
  now: Date,
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': hashHex(request.body),
  };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lowered = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value.trim()]),
  );
  const canonicalHeaders = names.map((name) => `${name}:${lowered[name]}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    request.path,
    '',
    canonicalHeaders,
    signedHeaders,
    lowered['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${day}/${options.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hashHex(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, day), options.region), 's3'),
    'aws4_request',
  );
  const signature = crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/**
 * An S3-compatible store (AWS S3, MinIO, Ceph, R2...) addressed path-style (`URL/bucket/key`),
 * with a SigV4 client on node:crypto and node:http(s) rather than an SDK of several megabytes
 * for three calls.
 */
export function s3Store(options: S3Options): UploadStore {
  const base = new URL(options.url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const transport = base.protocol === 'https:' ? https : http;
  const agent = base.protocol === 'https:' ? agents.https : agents.http;

  function send(
    method: string,
    key: string,
    body: Buffer = Buffer.alloc(0),
    extra: Record<string, string> = {},
  ) {
    const objectPath = `${basePath}/${encodeSegment(options.bucket)}/${encodeSegment(key)}`;
    const headers = signV4(
      options,
      {
        method,
        host: base.host,
        path: objectPath,
        body,
        headers: { ...extra, ...(body.length ? { 'content-length': String(body.length) } : {}) },
      },
      new Date(),
    );
    return new Promise<S3Reply>((resolve, reject) => {
      const request = transport.request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port || undefined,
          method,
          path: objectPath,
          headers,
          agent,
          timeout: 30_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`S3 ${method} timed out`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  function failure(method: string, reply: S3Reply): Error {
    const code = /<Code>([^<]*)<\/Code>/.exec(reply.body.toString('utf8'))?.[1] ?? 'no error code';
    return new Error(`S3 ${method} answered ${reply.status} (${code})`);
  }

  return {
    async put(key, bytes, type) {
      const reply = await send('PUT', key, bytes, { 'content-type': type });
      if (reply.status !== 200) throw failure('PUT', reply);
    },
    async get(key) {
      const reply = await send('GET', key);
      if (reply.status === 404) return null;
      if (reply.status !== 200) throw failure('GET', reply);
      return reply.body;
    },
    async delete(key) {
      const reply = await send('DELETE', key);
      if (reply.status !== 204 && reply.status !== 200 && reply.status !== 404)
        throw failure('DELETE', reply);
    },
  };
}
