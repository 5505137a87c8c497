import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import zlib from 'node:zlib';
import type { AppLoadContext } from '@remix-run/node';
import type { NextFunction, Request, Response } from 'express';
import { isbot } from 'isbot';
import type { Database } from '#db/client';
import { passingVisitorId } from './visitor.server';

/**
 * Rendered pages kept in memory and served without running Remix. A stored page is served only
 * while the versions it was rendered at are still current (see the page_versions migrations:
 * triggers bump them in the transaction that changes the content), so an edit, a vote or a
 * moderation hide reaches the next reader at once; every request reads the versions from the
 * database, so several processes or servers agree.
 * Anonymous readers share one copy per address. A signed-in member gets a copy of their own of a
 * thread or an article (it shows their votes, notifications and name), which also depends on
 * `user:<id>`; staff, and anonymous readers with a visitor cookie (their page shows what they
 * did), always get a fresh page.
 */

type Page = {
  /** Keys in page_versions the page depends on. */
  keys: string[];
  /** Whether a member may get a stored copy of their own. */
  personal: boolean;
  /** The view a served copy counts, as the page's loader would. */
  view?: { page: 'thread' | 'article'; id: number };
};

type Rendered =
  | { kind: 'stored'; page: Stored }
  | { kind: 'fresh'; response: globalThis.Response; nonce: string };

type Stored = {
  versions: string;
  storedAt: number;
  nonce: string;
  etag: string;
  html: Buffer;
  gzip: Buffer | null;
};

export type PageCacheOptions = {
  db: Database;
  /** Renders a GET request through Remix. */
  render: (request: globalThis.Request, context: AppLoadContext) => Promise<globalThis.Response>;
  /** The load context Remix gets for this request, with this nonce. */
  loadContext: (req: Request, nonce: string) => AppLoadContext;
  maxBytes: number;
  /** The oldest copy served even when nothing changed: relative times ("5 minutes ago") and
   * reputation shown beside names move on without a version bump. */
  maxAgeMs: number;
  /** The Content-Security-Policy header for pages whose scripts carry this nonce. */
  contentSecurityPolicy: (nonce: string) => string;
  /** The id of the member this Cookie header signs in, when their pages may be stored; null
   * for staff, a session about to be renewed, or none. */
  memberOf: (cookieHeader: string) => Promise<number | null>;
  /** Counts a view of a page served from memory, as its loader would have. */
  countView: (view: CountedView) => Promise<void>;
  onError?: (error: unknown) => void;
};

type CountedView = {
  page: 'thread' | 'article';
  id: number;
  reader: string;
  userId: number | null;
  at: Date;
};

const sessionCookie = /(?:^|;\s*)commons_session=/;
const visitorCookie = /(?:^|;\s*)commons_visitor=/;
const threadPath = /^\/questions\/(\d{1,15})(?:\/[^/]+)?$/;
const articlePath = /^\/kb\/([^/]{1,100})$/;
const listPaths = [/^\/$/, /^\/questions$/, /^\/kb$/, /^\/categories\/[^/]+$/, /^\/tags\/[^/]+$/];

/** What a path depends on, or null when it is never cached. */
async function pageOf(db: Database, pathname: string): Promise<Page | null> {
  // Client-side navigations ask for `.data`; only whole documents are cached.
  if (pathname.endsWith('.data')) return null;
  const thread = threadPath.exec(pathname);
  if (thread) {
    const id = Number(thread[1]);
    return { keys: [`thread:${id}`, 'layout'], personal: true, view: { page: 'thread', id } };
  }
  const article = articlePath.exec(pathname);
  if (article) {
    let slug: string;
    try {
      slug = decodeURIComponent(article[1] ?? '');
    } catch {
      return null;
    }
    const found = await db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', slug)
      .where('status', '=', 'published')
      .executeTakeFirst();
    if (!found) return null;
    return {
      keys: [`article:${found.id}`, 'layout'],
      personal: true,
      view: { page: 'article', id: found.id },
    };
  }
  return listPaths.some((path) => path.test(pathname))
    ? { keys: ['site', 'layout'], personal: false }
    : null;
}

async function versionsOf(db: Database, keys: string[]): Promise<string> {
  const rows = await db
    .selectFrom('page_versions')
    .select(['page', 'version'])
    .where('page', 'in', keys)
    .execute();
  const byKey = new Map(rows.map((row) => [row.page, row.version]));
  return keys.map((key) => `${key}=${byKey.get(key) ?? 0}`).join(';');
}

function remixRequest(req: Request): globalThis.Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  // NOTE: no abort signal: readers who arrive meanwhile wait for this rendering, so it must
  // finish even when the reader who started it goes away.
  return new Request(url, { method: 'GET', headers });
}

/** Sends a response Remix made (one that is not stored) as it is. */
async function sendAsIs(req: Request, res: Response, response: globalThis.Response) {
  res.status(response.status);
  res.setHeader('X-Page-Cache', 'pass');
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.append(name, value);
  for (const cookie of response.headers.getSetCookie()) res.append('Set-Cookie', cookie);
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  Readable.fromWeb(response.body as ReadableStream).pipe(res);
}

export function createPageCache(options: PageCacheOptions) {
  const { db, render, maxBytes, maxAgeMs, contentSecurityPolicy } = options;
  const stored = new Map<string, Stored>();
  const rendering = new Map<string, Promise<Rendered>>();
  let bytes = 0;
  const stats = { hits: 0, misses: 0, bypassed: 0 };

  function remember(key: string, page: Stored) {
    forget(key);
    stored.set(key, page);
    bytes += page.html.length;
    // A Map iterates in insertion order and a hit re-inserts: the first key is the least recent.
    for (const [oldest, old] of stored) {
      if (bytes <= maxBytes) break;
      stored.delete(oldest);
      bytes -= old.html.length + (old.gzip?.length ?? 0);
    }
  }

  function forget(key: string) {
    const old = stored.get(key);
    if (!old) return;
    stored.delete(key);
    bytes -= old.html.length + (old.gzip?.length ?? 0);
  }

  async function renderPage(req: Request, versions: string): Promise<Rendered> {
    const nonce = crypto.randomBytes(16).toString('base64');
    const response = await render(remixRequest(req), options.loadContext(req, nonce));
    const storable =
      response.status === 200 &&
      !response.headers.has('set-cookie') &&
      (response.headers.get('content-type') ?? '').startsWith('text/html');
    if (!storable) return { kind: 'fresh', response, nonce };
    const html = Buffer.from(await response.arrayBuffer());
    const etag = `"${crypto.createHash('sha1').update(html).digest('base64url')}"`;
    return {
      kind: 'stored',
      page: { versions, storedAt: Date.now(), nonce, etag, html, gzip: null },
    };
  }

  function send(
    req: Request,
    res: Response,
    key: string,
    page: Stored,
    state: string,
    personal: boolean,
  ) {
    // NOTE: the nonce is the stored page's own, made when it was rendered. A page changes only
    // through a version bump, which renders it again with a new nonce, so markup injected into
    // content can never carry the nonce of the page it ends up in.
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(page.nonce));
    res.setHeader('Cache-Control', personal ? 'private, no-cache' : 'no-cache');
    res.setHeader('Vary', 'Cookie, Accept-Encoding');
    res.setHeader('ETag', page.etag);
    res.setHeader('X-Page-Cache', state);
    if (req.get('if-none-match') === page.etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    let body = page.html;
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      if (!page.gzip) {
        page.gzip = zlib.gzipSync(page.html);
        if (stored.get(key) === page) bytes += page.gzip.length;
      }
      body = page.gzip;
      res.setHeader('Content-Encoding', 'gzip');
    }
    res.setHeader('Content-Length', body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  }

  function countView(req: Request, page: Page, memberId: number | null) {
    if (!page.view || isbot(req.get('user-agent') ?? '')) return;
    const reader = memberId
      ? `user:${memberId}`
      : `visitor:${passingVisitorId(req.get('user-agent') ?? '', req.ip ?? 'unknown', new Date())}`;
    options
      .countView({ ...page.view, reader, userId: memberId, at: new Date() })
      .catch((error: unknown) => options.onError?.(error));
  }

  async function handle(req: Request, res: Response, next: NextFunction) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const cookie = req.get('cookie') ?? '';
    const signedIn = sessionCookie.test(cookie);
    if (!signedIn && visitorCookie.test(cookie)) {
      stats.bypassed += 1;
      return next();
    }
    const page = await pageOf(db, req.path);
    if (!page) return next();
    const memberId = signedIn && page.personal ? await options.memberOf(cookie) : null;
    if (signedIn && !memberId) {
      stats.bypassed += 1;
      return next();
    }
    // The host is part of the key: without PUBLIC_URL, canonical links are built from it.
    const key = `${req.get('host') ?? ''} ${req.originalUrl}${memberId ? ` user:${memberId}` : ''}`;
    const versions = await versionsOf(
      db,
      memberId ? [...page.keys, `user:${memberId}`] : page.keys,
    );
    const found = stored.get(key);
    if (found && found.versions === versions && Date.now() - found.storedAt < maxAgeMs) {
      stats.hits += 1;
      stored.delete(key);
      stored.set(key, found);
      countView(req, page, memberId);
      send(req, res, key, found, 'hit', memberId !== null);
      return;
    }
    stats.misses += 1;
    // Readers who arrive together while a page is rendered wait for that one rendering.
    const flight = `${key} ${versions}`;
    let pending = rendering.get(flight);
    const renderer = !pending;
    if (!pending) {
      pending = renderPage(req, versions).finally(() => rendering.delete(flight));
      rendering.set(flight, pending);
    }
    const result = await pending;
    if (result.kind === 'fresh') {
      // Not storable (a redirect, a 404, a cookie): each waiting reader gets its own rendering.
      if (!renderer) return next();
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(result.nonce));
      return sendAsIs(req, res, result.response);
    }
    if (renderer) remember(key, result.page);
    else countView(req, page, memberId);
    send(req, res, key, result.page, renderer ? 'miss' : 'hit', memberId !== null);
  }

  return {
    middleware(req: Request, res: Response, next: NextFunction) {
      handle(req, res, next).catch(next);
    },
    stats: () => ({ ...stats, pages: stored.size, bytes }),
  };
}
